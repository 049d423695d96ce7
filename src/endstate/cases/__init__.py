"""cases layer."""
