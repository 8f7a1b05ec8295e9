"""Fixtures shared by several test files."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def web_db(tmp_path_factory):
    """A store ingested (default pipeline) from the repository's fixtures: the Ostrevia story, the example
    article and the harbour article (see tests/web_helpers.py). Tests must not write to it."""
    from web_helpers import ingest_fixtures

    db = tmp_path_factory.mktemp("web") / "fixtures.db"
    ingest_fixtures(db)
    return db
