"""``sayso eval ...``: evaluation commands (filled in by the evaluation modules)."""
