"""Outcomes: the result store (Parquet partitions with a manifest, DuckDB on top) shared by the layers above."""
