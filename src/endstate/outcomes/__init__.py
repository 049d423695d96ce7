"""The outcomes layer: outcome columns, atomic result folders with manifests, the sweep store of Parquet partitions (DuckDB on top), and the survival statistics every layer above shares."""
