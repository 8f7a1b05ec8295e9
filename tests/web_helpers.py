"""Shared by the web app's tests: a store ingested from the repository's fixtures, and an HTML tag parser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STORY = ROOT / "tests" / "fixtures" / "story" / "reports"
EXAMPLE = ROOT / "src" / "sayso" / "data" / "example.txt"
HARBOUR = ROOT / "tests" / "fixtures" / "articles" / "harbour-sale.txt"


def fixture_files() -> list[Path]:
    """The articles the web tests ingest: the Ostrevia story's 13 reports, the example and the harbour article."""
    return sorted(STORY.glob("*.md")) + [EXAMPLE, HARBOUR]


def ingest_fixtures(db: Path) -> None:
    """Ingest :func:`fixture_files` into ``db`` with `sayso ingest` (the default pipeline)."""
    import pytest

    from sayso.cli import main

    with pytest.raises(SystemExit) as done:
        main(["ingest", *map(str, fixture_files()), "--db", str(db)])
    assert done.value.code in (0, None)


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and the text inside ``<script>`` elements."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.script_text.append(data)

    def links(self) -> list[str]:
        """The href of every ``<a>``."""
        return [a["href"] for t, a in self.tags if t == "a" and a.get("href")]
