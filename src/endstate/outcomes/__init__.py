"""outcomes layer: outcome columns, atomic result folders with manifests, shared survival statistics."""
