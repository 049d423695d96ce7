"""Built-in scenarios (the default is East Timor 1999, lead-state security-keeping)."""
