"""``sayso read SOURCE``."""
