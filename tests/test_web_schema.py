"""Property tests of the API against its own OpenAPI schema (schemathesis's case generation, run by hypothesis):
for generated parameters and bodies, no route fails with a server error, every answer has a status and a body the
schema documents, and errors are JSON with a message."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install -e .[dev])")

from hypothesis import HealthCheck, given, settings  # noqa: E402

from sayso.web.app import create_app  # noqa: E402

#: Generated cases per operation.
EXAMPLES = 30


@pytest.fixture(scope="module")
def api_schema(web_db):
    # read-only (no token): generated POSTs are refused before anything is read or written
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(web_db))


def _operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_follows_the_schema(api_schema):
    operations = _operations(api_schema)
    assert {f"{op.method.upper()} {op.path}" for op in operations} == {
        "GET /api/articles",
        "POST /api/articles",
        "GET /api/articles/{article_id}",
        "GET /api/sources/{source_id}",
        "GET /api/stories",
        "GET /api/stories/{story_id}",
        "GET /api/stories/{story_id}/claims",
        "GET /api/search",
        "GET /api/export",
    }
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            response = case.call_and_validate()
            assert response.status_code < 500, (case.path, response.text[:300])
            if response.status_code >= 400:
                body = response.json()
                assert body["status"] == response.status_code and body["message"]

        check()
