"""``sayso bench``."""
