"""Scoring the claim ledger on real multi-outlet stories annotated claim by claim (``realstories``).

The data set (not shipped with sayso) holds ``pages/<id>.html`` (the news pages), ``texts/<id>.json`` (the
article text each gold span points into) and ``dev/<story>.json`` (claims with their members, origins and
first reports; ``not_merge`` and ``compatible`` claim pairs). Its ``LOADING.md`` gives the rules this module
implements:

1. Per gold story the pages are ingested into a fresh store with the real pipeline (read, analyse, store,
   link into stories, update the ledger); page → sayso story comes from ``story_articles``.
   ``grouping_recall`` = page pairs of a gold story in one sayso story / all page pairs. The ledger of every
   sayso story holding a page is read as ``sayso claims --format json`` writes it; a sayso claim's members
   are its ``timeline``.
2. A gold member maps to the sayso member of the same article whose content span covers at least half of the
   gold content's word tokens (by offsets), the best Dice if several (``member_mapping_recall``).
3. Over pairs of gold members from different articles (cross pairs of ``compatible`` claims left out):
   ``merge_precision``, ``merge_recall`` (unmapped members count as misses), ``merge_recall_mapped`` and
   ``not_merge_violated`` (must-not-merge claim pairs with a mapped member pair in one sayso claim).
4. ``origin_accuracy`` (gold claims with ≥ 2 mapped members: the sayso claim holding most of them has the gold
   ``independent_origins``), ``origin_accuracy_cross_article``, ``origin_mean_abs_error`` and
   ``first_report_accuracy`` (cross-article claims: the sayso first report is one of the gold ones).
5. ``stance_accuracy`` on mapped members (``hedged`` reads as ``hedges``), ``stance_accuracy_coarse``
   (hedges = relays).

Gold spans are offsets into the annotated text; when sayso's stored text differs, a gold content is found in
it by its text (the occurrence nearest the gold offset).
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from ..errors import BadInput, InputNotFound

_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass
class GoldMember:
    """One annotated attribution: ``article`` (page id), ``stance``, ``content`` and its ``span`` in the text."""

    claim: str
    article: str
    stance: str
    content: str
    start: int
    end: int
    speaker: str | None = None


@dataclass
class GoldStory:
    """One annotated story: its ``pages`` (ids), ``claims`` (id -> dict), ``members``, ``not_merge`` and
    ``compatible`` claim pairs."""

    story: str
    pages: list[str]
    claims: dict[str, dict]
    members: list[GoldMember]
    not_merge: list[tuple[str, str]]
    compatible: set[frozenset[str]] = field(default_factory=set)


def check_data(data: Path) -> None:
    """Raise :class:`~sayso.errors.InputNotFound` with one clear line when ``data`` is not a realstories folder
    (``dev/*.json``, ``pages/``, ``texts/``)."""
    if not data.is_dir():
        raise InputNotFound(f"no realstories data at {data} (expected a folder with dev/, pages/ and texts/)")
    missing = [p for p in ("dev", "pages", "texts") if not (data / p).is_dir()]
    if missing:
        raise InputNotFound(f"{data} is not a realstories folder: no {', '.join(missing)}/ in it")
    if not any((data / "dev").glob("*.json")):
        raise InputNotFound(f"{data / 'dev'} holds no annotated stories (*.json)")


def load_gold(data: Path, split: str = "dev") -> list[GoldStory]:
    """The annotated stories of ``data/<split>/*.json``, in file-name order. Raises BadInput on a file that
    is not such a story."""
    out = []
    for path in sorted((data / split).glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            members = [
                GoldMember(
                    c["id"], m["article"], m["stance"], m["content"], m["span"][0], m["span"][1], m.get("speaker")
                )
                for c in raw["claims"]
                for m in c["members"]
            ]
            out.append(
                GoldStory(
                    story=raw["story"],
                    pages=[a["id"] for a in raw["articles"]],
                    claims={c["id"]: c for c in raw["claims"]},
                    members=members,
                    not_merge=[tuple(p["claims"]) for p in raw.get("not_merge", [])],
                    compatible={frozenset(p) for p in raw.get("compatible", [])},
                )
            )
        except (ValueError, KeyError, IndexError, TypeError) as err:
            raise BadInput(f"{path} is not a realstories story: {type(err).__name__}: {err}") from None
    return out


# ------------------------------------------------------------------------------------------------ mapping


def locate(content: str, start: int, gold_text: str, text: str) -> tuple[int, int] | None:
    """Where gold content ``content`` (at ``start`` in the annotated ``gold_text``) lies in sayso's ``text``:
    the same offsets when the texts agree there, else the occurrence nearest ``start``; None if absent."""
    end = start + len(content)
    if text[start:end] == content:
        return start, end
    if gold_text[start:end] == content and gold_text == text:
        return start, end
    found = [m.start() for m in re.finditer(re.escape(content), text)]
    if not found:
        return None
    best = min(found, key=lambda s: abs(s - start))
    return best, best + len(content)


def tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The word tokens of ``text[start:end]`` as absolute (start, end) offsets."""
    return [(start + m.start(), start + m.end()) for m in _TOKEN.finditer(text[start:end])]


def map_member(gold_span: tuple[int, int], text: str, candidates: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The sayso member span (of ``candidates``, spans in ``text``) that covers at least half of the gold
    span's word tokens, the best Dice (over word tokens) if several; None when none does."""
    gold = tokens(text, *gold_span)
    if not gold:
        return None
    best, best_dice = None, -1.0
    for s, e in candidates:
        covered = sum(1 for a, b in gold if a >= s and b <= e)
        if covered * 2 < len(gold):
            continue
        dice = 2 * covered / (len(gold) + len(tokens(text, s, e)))
        if dice > best_dice:
            best, best_dice = (s, e), dice
    return best


# ------------------------------------------------------------------------------------------------ running


def ingest_pages(store, pages: list[Path], nlp) -> None:
    """Read, analyse and store ``pages`` into ``store``, link each into its story and bring the ledger up to
    date, as ``sayso ingest`` does."""
    from ..analysis import analyse_article
    from ..claims import update_ledger
    from ..loading import load
    from ..stories import StoryLinker

    linker = StoryLinker(store)
    for page in pages:
        report = analyse_article(load(str(page)), nlp)
        result = store.save_report(report)
        linker.link(result.article_id, report, refresh=result.status == "replaced")
    update_ledger(store)


def story_ledgers(store) -> tuple[dict[str, int], dict[int, list[dict]], dict[str, str]]:
    """Page → sayso story, sayso story → its claims (as ``sayso claims --format json`` writes them), and page
    → stored article text, read from ``store``."""
    from ..claims import read_ledger

    rows = store.connection.execute(
        "SELECT sa.story_id, ar.input, ar.text FROM story_articles AS sa JOIN articles AS ar ON ar.id = sa.article_id"
    ).fetchall()
    page_story = {_page_id(r[1]): r[0] for r in rows}
    texts = {_page_id(r[1]): r[2] for r in rows}
    ledgers = {sid: [c.as_dict() for c in read_ledger(store, sid)] for sid in sorted(set(page_story.values()))}
    return page_story, ledgers, texts


def _page_id(name: str | None) -> str:
    """The page id of an article's input ('…/pages/aeb-1ace8c85.html' -> 'aeb-1ace8c85')."""
    base = re.split(r"[\\/]", name or "")[-1]
    return base.rsplit(".", 1)[0] if "." in base else base


def score_story(
    gold: GoldStory,
    page_story: dict[str, int],
    ledgers: dict[int, list[dict]],
    texts: dict[str, str],
    gold_texts: dict[str, str],
) -> dict[str, Any]:
    """The counts behind every score for one gold story (see the module docstring); summed over stories by
    :func:`summarise`."""
    c: Counter[str] = Counter()
    # grouping
    for a, b in combinations(gold.pages, 2):
        c["page_pairs"] += 1
        c["page_pairs_grouped"] += int(a in page_story and page_story.get(a) == page_story.get(b))
    # sayso members by page: span -> claims holding it (story-qualified claim ids) and stance per claim
    spans: dict[str, dict[tuple[int, int], dict[str, dict]]] = {}
    claim_info: dict[str, dict] = {}
    for sid, claims in ledgers.items():
        for claim in claims:
            key = f"{sid}:{claim['id']}"
            claim_info[key] = claim
            for r in claim["timeline"]:
                page = _page_id(r["article"])
                span = (r["span"]["start"], r["span"]["end"])
                spans.setdefault(page, {}).setdefault(span, {})[key] = r
    # map gold members
    mapped: list[tuple[int, int] | None] = []
    for m in gold.members:
        text = texts.get(m.article)
        where = locate(m.content, m.start, gold_texts.get(m.article, ""), text) if text is not None else None
        target = map_member(where, text, list(spans.get(m.article, {}))) if where and text else None
        mapped.append(target)
        c["members"] += 1
        c["members_mapped"] += target is not None

    def claims_of(k: int) -> dict[str, dict]:
        t = mapped[k]
        return spans[gold.members[k].article][t] if t is not None else {}

    # merging
    missed: list[dict] = []  # gold same-claim pairs sayso did not merge
    for i, j in combinations(range(len(gold.members)), 2):
        mi, mj = gold.members[i], gold.members[j]
        if mi.article == mj.article or (mi.claim != mj.claim and frozenset((mi.claim, mj.claim)) in gold.compatible):
            continue
        same_gold = mi.claim == mj.claim
        both = mapped[i] is not None and mapped[j] is not None
        merged = both and bool(set(claims_of(i)) & set(claims_of(j)))
        if same_gold:
            c["gold_pairs"] += 1
            c["gold_pairs_mapped"] += both
            c["gold_pairs_merged"] += merged
            if not merged:
                missed.append(
                    {
                        "claim": mi.claim,
                        "mapped": both,
                        "members": [
                            {"article": m.article, "speaker": m.speaker, "content": m.content[:120]} for m in (mi, mj)
                        ],
                    }
                )
        if merged:
            c["merged_pairs"] += 1
            c["merged_pairs_correct"] += same_gold
    merge_errors: list[dict] = []
    for a, b in gold.not_merge:
        violated = False
        for i, mi in enumerate(gold.members):
            for j, mj in enumerate(gold.members):
                if mi.claim != a or mj.claim != b or mapped[i] is None or mapped[j] is None:
                    continue
                if mi.article == mj.article and mapped[i] == mapped[j]:
                    continue  # one sayso attribution: not two statements merged
                violated = violated or bool(set(claims_of(i)) & set(claims_of(j)))
        c["not_merge_pairs"] += 1
        c["not_merge_violated"] += violated
        if violated:
            merge_errors.append({"not_merge": [a, b]})
    # origins and first reports; the sayso claim of each gold claim
    chosen: dict[str, str] = {}
    errors: list[dict] = []
    for cid, claim in gold.claims.items():
        idx = [k for k, m in enumerate(gold.members) if m.claim == cid and mapped[k] is not None]
        votes = Counter(key for k in idx for key in claims_of(k))
        if not votes:
            continue
        best = min(votes, key=lambda key: (-votes[key], key))
        chosen[cid] = best
        if len(idx) < 2:
            continue
        predicted = claim_info[best]["independent_origins"]
        cross = len({gold.members[k].article for k in idx}) >= 2
        c["origin_claims"] += 1
        c["origin_right"] += predicted == claim["independent_origins"]
        c["origin_abs_error"] += abs(predicted - claim["independent_origins"])
        if cross:
            c["origin_claims_cross"] += 1
            c["origin_right_cross"] += predicted == claim["independent_origins"]
            c["first_report_claims"] += 1
            first = _page_id(claim_info[best]["first_report"]["article"])
            c["first_report_right"] += first in claim.get("first_report", [])
        if predicted != claim["independent_origins"]:
            errors.append(
                {
                    "claim": cid,
                    "gold": claim["independent_origins"],
                    "sayso": predicted,
                    "gold_origins": claim.get("origins", []),
                    "sayso_origins": [o["label"] for o in claim_info[best]["origins"]],
                }
            )
    # stance
    stance_errors: list[dict] = []
    for k, m in enumerate(gold.members):
        held = claims_of(k)
        if not held:
            continue
        r = held.get(chosen.get(m.claim, ""), next(iter(held.values())))
        predicted = "hedges" if r.get("hedged") else r["stance"]
        c["stance_members"] += 1
        c["stance_right"] += predicted == m.stance
        coarse = {"hedges": "relays"}
        c["stance_right_coarse"] += coarse.get(predicted, predicted) == coarse.get(m.stance, m.stance)
        if predicted != m.stance:
            stance_errors.append({"claim": m.claim, "content": m.content[:80], "gold": m.stance, "sayso": predicted})
    return {
        "story": gold.story,
        "counts": dict(c),
        "merge_errors": merge_errors,
        "missed_merges": missed,
        "origin_errors": errors,
        "stance_errors": stance_errors,
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def summarise(counts: Counter[str]) -> dict[str, Any]:
    """The scores (see the module docstring) from counts summed over stories."""
    return {
        "merge_precision": _ratio(counts["merged_pairs_correct"], counts["merged_pairs"]),
        "merge_recall": _ratio(counts["gold_pairs_merged"], counts["gold_pairs"]),
        "merge_recall_mapped": _ratio(counts["gold_pairs_merged"], counts["gold_pairs_mapped"]),
        "not_merge_violated": counts["not_merge_violated"],
        "not_merge_pairs": counts["not_merge_pairs"],
        "origin_accuracy": _ratio(counts["origin_right"], counts["origin_claims"]),
        "origin_accuracy_cross_article": _ratio(counts["origin_right_cross"], counts["origin_claims_cross"]),
        "origin_mean_abs_error": _ratio(counts["origin_abs_error"], counts["origin_claims"]),
        "first_report_accuracy": _ratio(counts["first_report_right"], counts["first_report_claims"]),
        "stance_accuracy": _ratio(counts["stance_right"], counts["stance_members"]),
        "stance_accuracy_coarse": _ratio(counts["stance_right_coarse"], counts["stance_members"]),
        "grouping_recall": _ratio(counts["page_pairs_grouped"], counts["page_pairs"]),
        "member_mapping_recall": _ratio(counts["members_mapped"], counts["members"]),
    }


def evaluate_realstories(
    data: Path,
    split: str = "dev",
    nlp=None,
    fast: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Score sayso's stories and claim ledger on the realstories folder ``data`` (its ``split`` stories).

    ``nlp``: a loaded pipeline (default: :func:`sayso.pipeline.load_pipeline` with ``fast``); ``progress``:
    called with a line per story. Returns the scores of :func:`summarise` plus ``stories`` (per story: its
    counts, scores, the must-not-merge pairs merged and the claims whose origin count or members' stance differ
    from gold), ``pages`` and ``seconds``. Raises InputNotFound when ``data`` is not such a folder, BadInput on
    a malformed file."""
    from ..store import Store

    check_data(data)
    golds = load_gold(data, split)
    if not golds:
        raise InputNotFound(f"{data / split} holds no annotated stories (*.json)")
    if nlp is None:
        from ..pipeline import load_pipeline

        nlp = load_pipeline(fast=fast)
    started = time.perf_counter()
    total: Counter[str] = Counter()
    per_story = []
    pages = 0
    for gold in golds:
        files = []
        for page in gold.pages:
            path = data / "pages" / f"{page}.html"
            if not path.is_file():
                raise InputNotFound(f"page {page} of story {gold.story} not found: {path}")
            files.append(path)
        gold_texts = {}
        for page in gold.pages:
            tpath = data / "texts" / f"{page}.json"
            gold_texts[page] = json.loads(tpath.read_text(encoding="utf-8"))["text"] if tpath.is_file() else ""
        with tempfile.TemporaryDirectory(prefix="sayso-realstories-") as tmp:
            with Store(Path(tmp) / "story.db") as store:
                ingest_pages(store, files, nlp)
                page_story, ledgers, texts = story_ledgers(store)
        result = score_story(gold, page_story, ledgers, texts, gold_texts)
        result["scores"] = summarise(Counter(result["counts"]))
        result["sayso_stories"] = len(set(page_story.values()))
        per_story.append(result)
        total.update(result["counts"])
        pages += len(files)
        if progress is not None:
            progress(f"{gold.story}: {len(files)} pages, {result['sayso_stories']} sayso stories")
    out = summarise(total)
    out.update(
        {"split": split, "pages": pages, "stories": per_story, "seconds": round(time.perf_counter() - started, 1)}
    )
    return out
