"""exits layer."""
