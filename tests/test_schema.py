"""The checked-in JSON Schema matches the models, and the hand-built report fixtures validate against it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schema" / "report.schema.json"
FIXTURES = ROOT / "tests" / "fixtures" / "reports"


def _load_script():
    spec = importlib.util.spec_from_file_location("write_schema", ROOT / "scripts" / "write_schema.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_checked_in_schema_is_current():
    script = _load_script()
    assert SCHEMA_FILE.read_text(encoding="utf-8") == script.schema_text(), (
        "schema/report.schema.json is out of date: run .venv/bin/python scripts/write_schema.py"
    )
    assert script.main(["--check"]) == 0


def test_schema_keys_sorted_and_titled():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert list(schema) == sorted(schema)
    assert schema["title"] == "sayso report"
    assert schema["$schema"].endswith("2020-12/schema")
    assert {"Article", "Source", "Attribution", "TimeExpression", "Quantity", "Place"} <= set(schema["$defs"])


@pytest.mark.parametrize("name", ["example.json", "injection.json"])
def test_fixtures_validate(validator, name):
    data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    errors = sorted(validator.iter_errors(data), key=str)
    assert errors == []


def test_schema_rejects_bad_reports(validator):
    data = json.loads((FIXTURES / "example.json").read_text(encoding="utf-8"))
    data["attributions"][0]["kind"] = "rumour"
    data["sources"][0]["nickname"] = "MT"
    del data["article"]["text"]
    messages = [e.message for e in validator.iter_errors(data)]
    assert any("'rumour' is not one of" in m for m in messages)
    assert any("nickname" in m for m in messages)
    assert any("'text' is a required property" in m for m in messages)
