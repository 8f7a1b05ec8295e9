"""sayso export: each format opens in the tool it targets (CSV in pandas or the csv module, GraphML in networkx,
brat read back by sayso's own reader to the same spans, ClaimReview expanded as JSON-LD with schema.org terms)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from sayso.cli import main
from sayso.evaluation.brat import parse_ann, read_ann
from sayso.export import FORMATS, export
from sayso.export.brat import fragments, report_ann
from sayso.export.rows import CSV_COLUMNS
from sayso.schema import Article, Attribution, Report, Source, Span
from sayso.store import Store


@pytest.fixture(scope="module")
def story_id(web_db):
    with Store(web_db) as store:
        return store.connection.execute(
            "SELECT story_id FROM story_articles GROUP BY story_id ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()[0]


def _run(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = 0
    try:
        main(list(args))
    except SystemExit as done:
        code = done.code or 0
    out = capsys.readouterr()
    return code, out.out, out.err


def test_csv_has_one_row_per_attribution(web_db, capsys):
    code, out, _ = _run(capsys, "export", "--db", str(web_db), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    with Store(web_db) as store:
        total = store.connection.execute("SELECT COUNT(*) FROM attributions").fetchone()[0]
        by_id = {r[0]: r[1] for r in store.connection.execute("SELECT id, text FROM articles")}
    assert len(rows) == total and list(rows[0]) == list(CSV_COLUMNS)
    for row in rows:
        text = by_id[int(row["article_id"])]
        start, end = int(row["content_start"]), int(row["content_end"])
        content = row["content"][1:] if row["content"].startswith("'") and text[start] != "'" else row["content"]
        assert text[start:end] == content
        if row["cue_start"]:
            assert text[int(row["cue_start"]) : int(row["cue_end"])] == row["cue"]
        if row["source"]:
            assert row["chain"].endswith(row["source"]) or row["chain"] == ""
    assert any("→" in r["chain"] and r["anonymous"] == "true" for r in rows)
    pandas = pytest.importorskip("pandas", reason="pandas is not installed: the csv module read the file above")
    frame = pandas.read_csv(io.StringIO(out))
    assert len(frame) == total and list(frame.columns) == list(CSV_COLUMNS)


def test_csv_cells_cannot_run_as_formulas(tmp_path):
    text = '=HYPERLINK("http://x") said Bo Lin. It is true, Lin said.'
    report = Report(
        article=Article(text=text, title="@SUM(1)", outlet="+Outlet"),
        sources=[Source(id="s1", name="-Bo Lin", type="person")],
        attributions=[
            Attribution(
                id="a1",
                source="s1",
                cue=Span(start=55, end=59, text=text[55:59]),
                content=Span(start=40, end=50, text=text[40:50]),
                kind="indirect",
            ),
        ],
    )
    with Store(tmp_path / "f.db") as store:
        store.save(report)
        out = export(store, "csv").text
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["title"] == "'@SUM(1)" and row["outlet"] == "'+Outlet" and row["source"] == "'-Bo Lin"


def test_ndjson_records(web_db, story_id, capsys):
    code, out, _ = _run(capsys, "export", "--db", str(web_db), "--format", "ndjson", "--story", str(story_id))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert records and all(r["article"]["story_id"] == story_id for r in records)
    r = next(r for r in records if r["source"] and r["source"]["anonymous"])
    assert r["chain"][-1] == r["source"]["name"] and r["spans"]["content"]["text"]


def test_graphml_opens_in_networkx(web_db, story_id, tmp_path, capsys):
    nx = pytest.importorskip("networkx", reason="networkx is not installed")
    path = tmp_path / "story.graphml"
    code, _, err = _run(
        capsys, "export", "--db", str(web_db), "--format", "graphml", "--story", str(story_id), "-o", str(path)
    )
    assert code == 0 and "wrote" in err
    graph = nx.read_graphml(path)
    kinds = {d["kind"] for _, d in graph.nodes(data=True)}
    assert kinds == {"claim", "origin", "article"}
    claims = [n for n, d in graph.nodes(data=True) if d["kind"] == "claim"]
    with Store(web_db) as store:
        from sayso.ledgers import story_ledger

        ledger = story_ledger(store, story_id)
    assert len(claims) == len(ledger)
    relations = {d["relation"] for *_, d in graph.edges(data=True)}
    assert {"reports", "supports", "traces_to", "copy_of"} <= relations
    # the 120-tanks claim's origins: as many as the ledger says are independent
    main_claim = next(c for c in ledger if "120" in c.statement)
    node = f"story/{story_id}/claim/{main_claim.id}"
    supports = [u for u, _, d in graph.in_edges(node, data=True) if d["relation"] == "supports"]
    assert len(set(supports)) == main_claim.independent_origins


def test_brat_reads_back_to_the_same_spans(web_db, tmp_path, capsys):
    folder = tmp_path / "brat"
    code, _, err = _run(capsys, "export", "--db", str(web_db), "--format", "brat", "-o", str(folder))
    assert code == 0 and "brat files" in err
    assert (folder / "annotation.conf").is_file()
    with Store(web_db) as store:
        ids = [r[0] for r in store.connection.execute("SELECT id FROM articles")]
        checked = 0
        for article_id in ids:
            report = store.report(article_id)
            text = (folder / f"article-{article_id}.txt").read_text(encoding="utf-8")
            assert text == report.article.text
            doc = parse_ann((folder / f"article-{article_id}.ann").read_text(encoding="utf-8"))
            assert doc.skipped_lines == 0
            gold = read_ann(folder / f"article-{article_id}.ann")
            assert len(gold) == len(report.attributions)
            for att, back in zip(report.attributions, gold, strict=True):
                parts = [(p.start, p.end) for p in att.content_parts] or [(att.content.start, att.content.end)]
                assert back.content == tuple(fragments(text, parts))
                if "\n" not in att.content.text and not att.content_parts:
                    assert back.content == ((att.content.start, att.content.end),)
                assert back.cue == (None if att.cue is None else ((att.cue.start, att.cue.end),))
                span = att.source_span
                if att.source is None:
                    assert back.source is None
                else:
                    assert back.source == (None if span is None else ((span.start, span.end),))
                checked += 1
    assert checked > 50


def test_brat_fragments_stop_at_line_breaks():
    text = "“We will,” she said.\n\n“Soon.”"
    assert fragments(text, [(0, len(text))]) == [(0, 20), (22, 29)]
    report = Report(
        article=Article(text=text),
        attributions=[
            Attribution(id="a1", source=None, cue=None, content=Span(start=0, end=len(text), text=text), kind="hedged")
        ],
    )
    ann = report_ann(report)
    assert "Attribution-no-source" in ann and "0 20;22 29" in ann


def test_claimreview_is_schema_org_json_ld(web_db, story_id, capsys):
    jsonld = pytest.importorskip("pyld.jsonld", reason="PyLD is not installed")
    code, out, _ = _run(capsys, "export", "--db", str(web_db), "--format", "claimreview", "--story", str(story_id))
    assert code == 0
    drafts = json.loads(out)
    with Store(web_db) as store:
        from sayso.ledgers import story_ledger

        ledger = story_ledger(store, story_id)
    assert len(drafts) == len(ledger)
    for draft, claim in zip(drafts, ledger, strict=True):
        assert draft["@context"] == "https://schema.org" and draft["@type"] == "ClaimReview"
        assert draft["claimReviewed"] == claim.statement
        assert "reviewRating" not in draft and "author" not in draft  # the fact-checker's to give
        item = draft["itemReviewed"]
        assert item["@type"] == "Claim" and item["firstAppearance"]["@type"] == "NewsArticle"
        assert item["appearance"] and all(a["@type"] == "NewsArticle" for a in item["appearance"])

    # Expanded offline with schema.org's vocabulary, every term becomes a schema.org IRI (none is dropped).
    def loader(url, options=None):
        assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": {"@context": {"@vocab": "https://schema.org/"}},
        }

    def keys(value) -> int:  # properties (not JSON-LD keywords), at every depth
        if isinstance(value, dict):
            return sum((not k.startswith("@")) + keys(v) for k, v in value.items() if k != "@context")
        if isinstance(value, list):
            return sum(keys(v) for v in value)
        return 0

    expanded = jsonld.expand(drafts, {"documentLoader": loader})
    assert len(expanded) == len(drafts)
    first = expanded[0]
    assert first["@type"] == ["https://schema.org/ClaimReview"]
    item = first["https://schema.org/itemReviewed"][0]
    assert item["@type"] == ["https://schema.org/Claim"] and "https://schema.org/firstAppearance" in item
    assert keys(expanded) == keys(drafts)

    def properties(value):
        if isinstance(value, dict):
            for k, v in value.items():
                if not k.startswith("@"):
                    yield k
                yield from properties(v)
        elif isinstance(value, list):
            for v in value:
                yield from properties(v)

    assert all(p.startswith("https://schema.org/") for p in properties(expanded))


def test_export_refuses_bad_requests(web_db, tmp_path, capsys):
    assert _run(capsys, "export", "--db", str(tmp_path / "none.db"), "--format", "csv")[0] == 3
    code, _, err = _run(capsys, "export", "--db", str(web_db), "--format", "graphml", "--story", "999999")
    assert code == 3 and "no story 999999" in err
    assert _run(capsys, "export", "--db", str(web_db), "--format", "brat")[0] == 2  # brat needs -o FOLDER
    file = tmp_path / "a-file"
    file.write_text("x")
    assert _run(capsys, "export", "--db", str(web_db), "--format", "brat", "-o", str(file))[0] == 2
    assert _run(capsys, "export", "--db", str(web_db), "--format", "pdf")[0] == 2
    assert set(FORMATS) == {"csv", "ndjson", "graphml", "brat", "claimreview"}


def test_brat_over_the_api_is_a_zip(web_db, story_id):
    from fastapi.testclient import TestClient

    from sayso.web.app import create_app

    r = TestClient(create_app(web_db)).get("/api/export", params={"format": "brat", "story": story_id})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert f'filename="sayso-story-{story_id}.zip"' in r.headers["content-disposition"]
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert "annotation.conf" in names and sum(n.endswith(".ann") for n in names) == 12
