"""``sayso ingest``."""
