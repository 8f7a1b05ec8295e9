"""Throughput of the full sayso pipeline compared with a bare spaCy parse of the same texts, and the
cost of linking articles into stories (:func:`run_linking_bench`, ``sayso bench --linking N``).

Both pipelines are warmed up on the first text, then each is timed separately on the whole corpus,
repeating the corpus until at least ``min_seconds`` of work has been timed. The full run includes
building the report (:func:`sayso.report.build_report`) for every document. Words are counted as
whitespace-separated tokens of the text.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from . import extensions  # noqa: F401  (registers the Doc attributes set below)
from .errors import BadInput, InputNotFound


def example_text() -> str:
    """The bundled example article (``sayso/data/example.txt``)."""
    return resources.files("sayso").joinpath("data/example.txt").read_text(encoding="utf-8")


def load_corpus(corpus: str | Path | None = None) -> list[str]:
    """The texts to benchmark: every ``*.txt`` in ``corpus`` (sorted by name), or the bundled example.

    ``corpus``: a folder, or ``None``. Raises :class:`InputNotFound` for a missing folder and
    :class:`BadInput` when it holds no non-empty ``.txt`` file."""
    if corpus is None:
        return [example_text()]
    folder = Path(corpus)
    if not folder.is_dir():
        raise InputNotFound(f"corpus folder not found: {folder}")
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    texts = [t for t in texts if t.strip()]
    if not texts:
        raise BadInput(f"no non-empty .txt files in {folder}")
    return texts


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _timed(run: Callable[[Sequence[str]], None], texts: Sequence[str], min_seconds: float) -> tuple[float, int]:
    """Run ``run`` over ``texts`` until ``min_seconds`` have passed; return (seconds, passes)."""
    passes, elapsed = 0, 0.0
    while passes == 0 or elapsed < min_seconds:
        t0 = time.perf_counter()
        run(texts)
        elapsed += time.perf_counter() - t0
        passes += 1
    return elapsed, passes


def run_bench(
    texts: Sequence[str],
    nlp: Any = None,
    bare: Any = None,
    min_seconds: float = 3.0,
    batch_size: int = 16,
    fast_nlp: Any = None,
) -> dict[str, float | int]:
    """Time the default pipeline, the ``--fast`` pipeline and a bare model parse on ``texts``.

    ``texts``: the articles; ``nlp``: the default pipeline (default :func:`sayso.pipeline.load_pipeline`);
    ``fast_nlp``: the rules-only pipeline (default ``load_pipeline(fast=True)``; ``False`` skips it);
    ``bare``: the bare model (default a fresh :func:`sayso.pipeline.load_base_model`); ``min_seconds``:
    least timed work per pipeline; ``batch_size``: documents per ``nlp.pipe`` batch.

    Returns ``articles_per_s``, ``words_per_s``, ``bare_articles_per_s``, ``bare_words_per_s``,
    ``ratio`` (full time ÷ bare time per pass), ``fast_ratio`` and ``fast_articles_per_s`` (the same for the
    ``--fast`` pipeline), ``articles``, ``words`` (of one pass), ``seconds``,
    ``bare_seconds``, ``passes``, ``bare_passes`` and ``peak_rss_mb``."""
    from .pipeline import load_base_model, load_pipeline
    from .report import build_report
    from .schema import Article

    if not texts:
        raise BadInput("nothing to benchmark: no texts")
    nlp = nlp if nlp is not None else load_pipeline()
    bare = bare if bare is not None else load_base_model()
    if fast_nlp is None:
        fast_nlp = load_pipeline(fast=True)

    def runner(pipeline: Any) -> Callable[[Sequence[str]], None]:
        def run(batch: Sequence[str]) -> None:
            def docs():
                for text in batch:
                    doc = pipeline.make_doc(text)
                    doc._.sayso_article = Article(text=text)
                    yield doc

            for doc in pipeline.pipe(docs(), batch_size=batch_size):
                build_report(doc)

        return run

    full = runner(nlp)

    def plain(batch: Sequence[str]) -> None:
        for _ in bare.pipe(batch, batch_size=batch_size):
            pass

    full(texts[:1])
    plain(texts[:1])
    seconds, passes = _timed(full, texts, min_seconds)
    bare_seconds, bare_passes = _timed(plain, texts, min_seconds)
    fast_result: dict[str, float | int] = {}
    articles = len(texts)
    per_pass, bare_per_pass = seconds / passes, bare_seconds / bare_passes
    if fast_nlp is not False:
        fast = runner(fast_nlp)
        fast(texts[:1])
        fast_seconds, fast_passes = _timed(fast, texts, min_seconds)
        fast_per_pass = fast_seconds / fast_passes
        fast_result = {
            "fast_articles_per_s": round(articles / fast_per_pass, 3),
            "fast_ratio": round(fast_per_pass / bare_per_pass, 3),
            "fast_seconds": round(fast_seconds, 3),
            "fast_passes": fast_passes,
        }
    words = sum(len(t.split()) for t in texts)
    return {
        **fast_result,
        "articles_per_s": round(articles / per_pass, 3),
        "words_per_s": round(words / per_pass, 1),
        "bare_articles_per_s": round(articles / bare_per_pass, 3),
        "bare_words_per_s": round(words / bare_per_pass, 1),
        "ratio": round(per_pass / bare_per_pass, 3),
        "articles": articles,
        "words": words,
        "seconds": round(seconds, 3),
        "bare_seconds": round(bare_seconds, 3),
        "passes": passes,
        "bare_passes": bare_passes,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


# --- linking: stories and copies over generated articles ----------------------------------------------

#: Generated articles published per day: the date span grows with N, as a real feed's does.
LINKING_ARTICLES_PER_DAY = 300
_SYLLABLES = (
    "ka lo mi ra ten vor bel quin dar sel mor tal ven ris hal bro nek sti gar lun pel dov mar fen cor "
    "ash bri cal dun eth fal gol hin jor kes lyn mab nor orv pim rul sab tor ul vek wyn yar zel"
).split()
_ORG_KINDS = ("Institute", "Authority", "Council", "Union", "Foundation", "Agency", "Bank", "Party")
_PLACE_KINDS = ("", "", "port", "field", "ton", "by", "mouth")
_COUNTRIES = tuple(f"{a.title()}{b}ia" for a, b in zip(_SYLLABLES[:16], _SYLLABLES[16:32], strict=True))
_VERBS = ("warns", "denies", "confirms", "rejects", "backs", "questions", "announces", "halts", "expands", "delays")


@dataclass
class GeneratedArticle:
    """A generated article: its ``report``, the ``story`` it belongs to, ``copy_of``: the ``index`` (place
    in generation order) of the article it copies, or None."""

    report: Any
    story: int
    copy_of: int | None
    index: int


def _name(rng: random.Random, syllables: int) -> str:
    """An invented capitalised name of ``syllables`` syllables drawn with ``rng``."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).title()


class _Body:
    """Builds an article body while recording the offsets of what is mentioned in it."""

    def __init__(self) -> None:
        self.text = ""

    def add(self, piece: str) -> tuple[int, int]:
        """Append ``piece``; return its (start, end) offsets."""
        start = len(self.text)
        self.text += piece
        return start, len(self.text)


def generate_articles(n: int, seed: int = 0) -> Iterator[GeneratedArticle]:
    """``n`` generated article variants, as analysed reports, in a shuffled arrival order.

    Stories of 1-8 articles about invented people, organisations and towns (plus a few widely shared
    invented countries) are written by invented outlets over a span of ``n / LINKING_ARTICLES_PER_DAY``
    days; about a quarter of the articles are wire copies of the story's first one (same body with an
    outlet line and a credit, title variants such as 'Opinion | X - Site'), and a few are the same page
    again under a tracking-parameter or mobile URL. ``seed`` makes it reproducible."""
    from .schema import Article, Attribution, Place, Report, Source, Span

    rng = random.Random(seed)
    vocab = sorted({_name(rng, rng.randint(2, 3)).lower() for _ in range(6000)})
    outlets = [(f"The {_name(rng, 2)} {rng.choice(('Times', 'Post', 'Herald', 'Gazette'))}", None) for _ in range(80)]
    outlets = [(name, name.lower().replace("the ", "").replace(" ", "") + ".example") for name, _ in outlets]
    made = 0
    story = 0
    buffer: list[GeneratedArticle] = []
    base = dt.date(2021, 1, 1)

    def filler(k: int) -> str:
        return " ".join(rng.choice(vocab) for _ in range(k))

    def write(story_ctx: dict, outlet: tuple[str, str], day: dt.date) -> Any:
        body = _Body()
        sources, places, attributions = [], [], []
        persons, org, town, country = story_ctx["persons"], story_ctx["org"], story_ctx["town"], story_ctx["country"]
        p_start, p_end = body.add(town)
        body.add(f", {country} — {filler(rng.randint(10, 16))}.\n\n")
        places.append(Place(id="p1", start=p_start, end=p_end, text=town, name=town, country=None, lat=None, lon=None))
        for i, person in enumerate(persons):
            body.add("“")
            c_start, c_end = body.add(f"{filler(rng.randint(8, 14)).capitalize()}")
            body.add(",” said ")
            s_start, s_end = body.add(person)
            body.add(f", who leads the {org}. {filler(rng.randint(20, 40)).capitalize()}.\n\n")
            sid = f"s{i + 1}"
            sources.append(
                Source(
                    id=sid,
                    name=person,
                    type="person",
                    affiliation=org,
                    mentions=[Span(start=s_start, end=s_end, text=person)],
                )
            )
            attributions.append(
                Attribution(
                    id=f"a{i + 1}",
                    source=sid,
                    source_span=Span(start=s_start, end=s_end, text=person),
                    cue=None,
                    content=Span(start=c_start, end=c_end, text=body.text[c_start:c_end]),
                    kind="direct",
                )
            )
        sources.append(Source(id=f"s{len(persons) + 1}", name=org, type="organization"))
        body.add(f"{filler(rng.randint(40, 80)).capitalize()}.\n")
        title = f"{persons[0].split()[-1]} {rng.choice(_VERBS)} {filler(3)} in {town}"  # each outlet its own
        slug = "-".join(title.lower().split()[:6])
        article = Article(
            title=title,
            outlet=outlet[0],
            published=day.isoformat(),
            url=f"https://www.{outlet[1]}/{day.year}/{day.month:02d}/{slug}-{rng.randrange(10**6)}",
            text=body.text,
        )
        return Report(article=article, sources=sources, places=places, attributions=attributions)

    while made < n:
        day = base + dt.timedelta(days=made // LINKING_ARTICLES_PER_DAY)
        persons = [f"{_name(rng, 1)} {_name(rng, rng.randint(2, 3))}" for _ in range(rng.randint(1, 3))]
        ctx = {
            "persons": persons,
            "org": f"{_name(rng, 2)} {rng.choice(_ORG_KINDS)}",
            "town": _name(rng, 2) + rng.choice(_PLACE_KINDS),
            "country": rng.choice(_COUNTRIES),
        }
        size = min(n - made, 1 + min(7, int(rng.expovariate(0.5))))
        first: Any = None
        first_index = made
        for k in range(size):
            outlet = rng.choice(outlets)
            when = day + dt.timedelta(days=rng.randint(0, 2) if k else 0)
            roll = rng.random()
            copy_of: int | None = None
            if k == 0:
                report = first = write(ctx, outlet, when)
            elif roll < 0.25:  # wire copy on another site
                art = first.article
                title = rng.choice(("Opinion | {t} - {o}", "{t} | {o}", "UPDATE: {t}", "{t}")).format(
                    t=art.title, o=outlet[0]
                )
                text = f"{art.text}\nReporting by {_name(rng, 2)}; editing by {_name(rng, 2)} for {outlet[0]}.\n"
                slug = art.url.rsplit("/", 1)[1]
                copied = art.model_copy(
                    update={
                        "title": title,
                        "outlet": outlet[0],
                        "text": text,
                        "url": f"https://{outlet[1]}/wire/{slug}",
                    }
                )
                report = first.model_copy(update={"article": copied})
                copy_of = first_index
            elif roll < 0.30:  # the first article again, under a tracking or mobile URL
                art = first.article
                variant = rng.choice(("{u}?utm_source=feed&utm_medium=rss", "{u}/?fbclid=x{r}", "{m}/amp"))
                url = variant.format(u=art.url, r=rng.randrange(10**6), m=art.url.replace("://www.", "://m."))
                report = first.model_copy(update={"article": art.model_copy(update={"url": url})})
                copy_of = first_index
            else:
                report = write(ctx, outlet, when)
            buffer.append(GeneratedArticle(report, story, copy_of, made))
            made += 1
        story += 1
        if len(buffer) >= 256 or made >= n:
            rng.shuffle(buffer)  # arrival order: shuffled within a short window
            yield from buffer
            buffer = []


def _pairs(counts: Iterable[int]) -> int:
    """How many pairs the groups of sizes ``counts`` hold."""
    return sum(c * (c - 1) // 2 for c in counts)


def run_linking_bench(
    n: int,
    folder: str | Path | None = None,
    seed: int = 0,
    batch: int = 100,
    checkpoint_pages: int = 10000,
    db: str | None = None,
) -> dict[str, float | int]:
    """Store ``n`` generated, already analysed articles (:func:`generate_articles`) into a fresh store and
    link them into stories as they arrive, ``batch`` at a time (one transaction to save a batch, one to
    link it: :meth:`~sayso.store.Store.save_reports`, :meth:`~sayso.stories.StoryLinker.link_many`); the
    generation itself is not timed.

    ``folder``: where the temporary database goes (default: the system's temporary folder); ``seed``:
    for the generator. The store runs in WAL mode with ``synchronous=NORMAL``, a 64 MiB page cache and a
    checkpoint every ``checkpoint_pages`` pages of WAL (SQLite's default: 1000). ``db``: a PostgreSQL URL
    of an empty database to store into instead (the PRAGMAs then do nothing).
    Returns ``articles``, ``seconds`` (save + link, wall clock), ``ms_per_article``, ``save_ms_per_article``,
    ``link_ms_per_article``, ``last10_ms_per_article`` (over the last tenth), ``cpu_ms_per_article``
    (process CPU time: what the wall clock shows less waiting for the disk), ``stories_true``,
    ``stories_found``, ``copies_true``, ``copies_found``, ``pair_precision``, ``pair_recall`` (articles
    put in the same story, against the generated stories), ``copy_precision``, ``copy_recall`` (copies
    pointing at an article of their own generated copy group), ``db_mb``
    and ``peak_rss_mb``."""
    from .store import Store
    from .stories import StoryLinker

    if n < 1:
        raise BadInput("--linking needs at least 1 article")
    truth_story: dict[int, int] = {}
    truth_group: dict[int, int] = {}  # article id -> generation index of the article it is (or copies)
    save_s = link_s = last_s = cpu_s = 0.0
    tail_from = n - max(1, n // 10)
    with tempfile.TemporaryDirectory(dir=folder, prefix="sayso-linking-") as tmp:
        path = Path(tmp) / "linking.db"
        with Store(db or path) as store:
            store.connection.execute("PRAGMA journal_mode = WAL")
            store.connection.execute("PRAGMA synchronous = NORMAL")
            store.connection.execute("PRAGMA cache_size = -65536")
            store.connection.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint_pages)}")
            linker = StoryLinker(store)
            pending: list[GeneratedArticle] = []

            def flush() -> None:
                nonlocal save_s, link_s, last_s, cpu_s
                c0, t0 = time.process_time(), time.perf_counter()
                results = store.save_reports([item.report for item in pending])
                t1 = time.perf_counter()
                linker.link_many([(r.article_id, item.report) for r, item in zip(results, pending, strict=True)])
                t2 = time.perf_counter()
                cpu_s += time.process_time() - c0
                save_s += t1 - t0
                link_s += t2 - t1
                for r, item in zip(results, pending, strict=True):
                    if len(truth_story) >= tail_from:
                        last_s += (t2 - t0) / len(pending)
                    truth_story[r.article_id] = item.story
                    truth_group[r.article_id] = item.copy_of if item.copy_of is not None else item.index
                pending.clear()

            for item in generate_articles(n, seed):
                pending.append(item)
                if len(pending) >= batch:
                    flush()
            if pending:
                flush()
            rows = store.connection.execute("SELECT article_id, story_id, original_id FROM story_articles").fetchall()
            store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            if store.postgres:
                size = store.connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        db_mb = (size if db else path.stat().st_size) / (1024 * 1024)
    joint: dict[tuple[int, int], int] = {}
    found: dict[int, int] = {}
    true: dict[int, int] = {}
    copies_found = copies_right = 0
    for article_id, story_id, original_id in rows:
        key = (truth_story[article_id], story_id)
        joint[key] = joint.get(key, 0) + 1
        found[story_id] = found.get(story_id, 0) + 1
        true[truth_story[article_id]] = true.get(truth_story[article_id], 0) + 1
        if original_id is not None:
            copies_found += 1
            copies_right += truth_group[article_id] == truth_group[original_id]
    same = _pairs(joint.values())
    copies_true = n - len(set(truth_group.values()))
    seconds = save_s + link_s
    return {
        "articles": n,
        "seconds": round(seconds, 2),
        "ms_per_article": round(1000 * seconds / n, 3),
        "save_ms_per_article": round(1000 * save_s / n, 3),
        "link_ms_per_article": round(1000 * link_s / n, 3),
        "last10_ms_per_article": round(1000 * last_s / (n - tail_from), 3),
        "cpu_ms_per_article": round(1000 * cpu_s / n, 3),
        "stories_true": len(true),
        "stories_found": len(found),
        "copies_true": copies_true,
        "copies_found": copies_found,
        "pair_precision": round(same / max(1, _pairs(found.values())), 4),
        "pair_recall": round(same / max(1, _pairs(true.values())), 4),
        "copy_precision": round(copies_right / max(1, copies_found), 4),
        "copy_recall": round(copies_right / max(1, copies_true), 4),
        "db_mb": round(db_mb, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _linking_child(n: int, seed: int, batch: int, queue: Any, db: str | None = None) -> None:
    """Run :func:`run_linking_bench` in a child process; put its result (or its exception) on ``queue``."""
    try:
        queue.put(run_linking_bench(n, seed=seed, batch=batch, db=db))
    except BaseException as err:  # reported by the parent
        queue.put(err)


def run_linking_benches(
    sizes: Sequence[int], seed: int = 0, batch: int = 100, isolate: bool = True, db: str | None = None
) -> list[dict[str, float | int]]:
    """:func:`run_linking_bench` for each N in ``sizes`` (``seed``, ``batch`` passed on); with ``isolate``
    each runs in its own forked process, so that ``peak_rss_mb`` is that run's own peak and not the
    largest run's so far. ``db``: a PostgreSQL URL to store into (emptied of sayso's tables before each
    run) instead of a temporary SQLite file."""
    if db is not None:
        out = []
        for n in sizes:
            _empty_postgres(db)
            out.append(
                _isolated(n, seed, batch, db)
                if isolate and hasattr(os, "fork")
                else run_linking_bench(n, seed=seed, batch=batch, db=db)
            )
        return out
    if not isolate or not hasattr(os, "fork"):
        return [run_linking_bench(n, seed=seed, batch=batch) for n in sizes]
    return [_isolated(n, seed, batch, None) for n in sizes]


def _isolated(n: int, seed: int, batch: int, db: str | None) -> dict[str, float | int]:
    """:func:`run_linking_bench` in a forked process of its own."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_linking_child, args=(n, seed, batch, queue, db))
    proc.start()
    out = queue.get()
    proc.join()
    if isinstance(out, BaseException):
        raise out
    return out


def _empty_postgres(url: str) -> None:
    """Empty the PostgreSQL database at ``url`` of sayso's tables, views and functions (its ``public`` schema)
    for a fresh run. Raises BadInput when that schema holds tables that are not sayso's."""
    from .db import PgConnection, redact

    conn = PgConnection(url)
    try:
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchall()
        }
        from .store import Store

        with Store(":memory:") as fresh:
            ours = {r[0] for r in fresh.connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables - ours:
            raise BadInput(f"{redact(url)} holds tables that are not sayso's: give the benchmark an empty database")
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    finally:
        conn.close()


# --- scaling: time and memory against article length -------------------------------------------------

#: Sizes ``sayso bench --scaling`` reads by default (characters of generated text).
SCALING_SIZES = (10_000, 100_000, 1_000_000, 10_000_000)

_NEWS_PEOPLE = (
    "Olena Kovalenko",
    "Dmitry Sokolov",
    "Anna Berg",
    "James Whitfield",
    "Maria Lopez",
    "Kenji Tanaka",
    "Fatima Haddad",
    "Pieter de Vries",
    "Ilya Grashchenkov",
    "Sarah O'Neill",
    "Tomasz Nowak",
    "Laura Rossi",
)
_NEWS_ROLES = (
    "spokeswoman",
    "spokesman",
    "finance minister",
    "mayor",
    "political scientist",
    "chief executive",
    "defense minister",
    "senior analyst",
    "regional governor",
    "union leader",
)
_NEWS_ORGS = (
    "the Defense Ministry",
    "the central bank",
    "the city council",
    "the European Commission",
    "Reuters",
    "the port authority",
    "the Interior Ministry",
    "the World Bank",
    "the national railway",
    "Gazprom",
)
_NEWS_OUTLETS = ("Reuters", "the Associated Press", "Vyorstka", "the BBC", "Le Monde", "The Moscow Times")
_NEWS_PLACES = (
    "Kharkiv",
    "Kyiv",
    "Odesa",
    "Berlin",
    "Paris",
    "Warsaw",
    "Tokyo",
    "Madrid",
    "Moscow",
    "Lviv",
    "Istanbul",
    "Rotterdam",
    "Gdansk",
    "Milan",
    "Vienna",
)
_NEWS_THINGS = (
    "soldiers",
    "workers",
    "households",
    "flights",
    "residents",
    "troops",
    "refugees",
    "jobs",
    "vehicles",
    "tonnes of grain",
)
_NEWS_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_NEWS_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NEWS_PARAGRAPHS = (
    "{place} — {person}, the {role} of {org}, said on {day} that the plan to hire {n} {thing} would go ahead "
    "by {month} {date}, despite a budget gap of ${m} million.",
    "“We are {n} {thing} short, and that is why everything is ready for the next stage,” one source in "
    "{org} told {outlet}, speaking on condition of anonymity because they were not authorized to talk "
    "to the press.",
    "{outlet} reported on {day} that prices in {place} rose by over {p}% in {month}, citing two officials "
    "familiar with the matter. The figures could not be independently verified.",
    "“It was indiscriminate and harsh the last time,” {person} told {outlet}. “Now they will probably try a "
    "softer approach in {place}, starting in {month} {year}.”",
    "According to {org}, between {n} and {n2} {thing} have left {place} since {month} {date}, and about "
    "{p} percent of them plan to return within {k} years.",
    "A source close to {org} said the decision had been taken in {place} weeks ago. “Nobody wants to say "
    "it out loud,” the source added, adding that {n} {thing} were on the list.",
    "The meeting in {place} lasted {k} hours, {person} said, and a second round of talks is planned for "
    "{day}, {month} {date}, {year}.",
    "Officials in {place} said the new bridge, {k} km long and built for €{m} billion, would open next "
    "year. {person}, a {role}, called it “a turning point for the region.”",
)


def generate_news(size: int, seed: int = 0) -> str:
    """Deterministic news-like text of at most ``size`` bytes in UTF-8 (whole paragraphs, at least one; within
    a paragraph of ``size``): paragraphs from templates with direct and reported speech, named and anonymous
    sources, numbers, money, percentages, dates and places, separated by blank lines. ``seed`` makes it
    reproducible."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 1  # the final line break
    while True:
        paragraph = rng.choice(_NEWS_PARAGRAPHS).format(
            place=rng.choice(_NEWS_PLACES),
            person=rng.choice(_NEWS_PEOPLE),
            role=rng.choice(_NEWS_ROLES),
            org=rng.choice(_NEWS_ORGS),
            outlet=rng.choice(_NEWS_OUTLETS),
            thing=rng.choice(_NEWS_THINGS),
            day=rng.choice(_NEWS_DAYS),
            month=rng.choice(_NEWS_MONTHS),
            date=rng.randint(1, 28),
            year=rng.randint(2015, 2026),
            n=f"{rng.randint(2, 400) * 1000:,}",
            n2=f"{rng.randint(401, 900) * 1000:,}",
            m=rng.randint(2, 90),
            p=rng.randint(2, 60),
            k=rng.randint(2, 12),
        )
        added = len(paragraph.encode("utf-8")) + (2 if parts else 0)
        if parts and length + added > size:
            break
        parts.append(paragraph[0].upper() + paragraph[1:])
        length += added
    return "\n\n".join(parts) + "\n"


def parse_size(text: str) -> int:
    """A size in bytes from ``10000``, ``10k``, ``1.5M``, ``10MB`` or ``100KB`` (k = 1,000, M = 1,000,000).

    >>> [parse_size(s) for s in ("10k", "1m", "10MB", "2500")]
    [10000, 1000000, 10000000, 2500]
    """
    t = text.strip().lower().removesuffix("b")
    scale = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    number = t[:-1] if scale > 1 else t
    try:
        value = float(number)
    except ValueError:
        raise BadInput(f"not a size: {text!r} (e.g. 10k, 100k, 1m, 10m)") from None
    if not 0 < value * scale <= 100_000_000:
        raise BadInput(f"size out of range: {text!r} (from 1 byte to 100m)")
    return int(value * scale)


def own_peak_rss_mb() -> float:
    """Peak resident memory of this process's own program in MiB: Linux's ``VmHWM``, which starts afresh
    at ``exec`` (``ru_maxrss`` keeps the peak of the process that started it, so a child started by a large
    parent reports the parent's size); :func:`peak_rss_mb` where there is no ``/proc``."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


#: What a fresh process runs to measure the peak memory of reading one generated text (argv: size, seed,
#: fast, processes): the pipeline loaded and warmed up, then the read; prints a JSON object. torch is kept out
#: as in the runtime install (thinc imports it when the ``train`` extra is installed: about 175 MB).
_RSS_CHILD = """
import json, resource, sys
sys.modules.setdefault("torch", None)  # the runtime never uses torch: where the train extra put it, thinc would load it
from sayso.analysis import analyse_article
from sayso.bench import generate_news, own_peak_rss_mb
from sayso.pipeline import load_pipeline
from sayso.schema import Article
size, seed, fast, processes = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1", int(sys.argv[4])
nlp = load_pipeline(fast=fast)
analyse_article(Article(text=generate_news(5_000, seed + 1)), nlp)
text = generate_news(size, seed)
base = own_peak_rss_mb()
analyse_article(Article(text=text), nlp, processes=processes)
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"base_rss_mb": round(base, 1), "peak_rss_mb": round(own_peak_rss_mb(), 1),
                  "children_peak_rss_mb": round(children, 1)}))
"""


def peak_rss_of_read(size: int, seed: int = 0, fast: bool = False, processes: int = 1) -> dict[str, float]:
    """Peak resident memory (MiB) of reading the generated text of ``size`` bytes (:func:`generate_news` with
    ``seed``) in a fresh Python process, with the pipeline (``fast``: rules only) loaded and warmed up
    first: ``peak_rss_mb``, ``base_rss_mb`` before the read (the model and the text), and
    ``children_peak_rss_mb``, the largest of the processes forked to parse pieces (``processes`` > 1; their
    resident size counts the pages they share with the reading process, so it overstates what they add)."""
    import json
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, str(size), str(seed), "1" if fast else "0", str(processes)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"measuring memory for {size:,} bytes failed: {last}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cpu_with_children() -> float:
    """CPU seconds used so far by this process and by its children that have ended (the forked parsers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run_scaling_bench(
    sizes: Sequence[int] = SCALING_SIZES,
    seed: int = 0,
    fast: bool = False,
    nlp: Any = None,
    rss: bool = True,
    processes: int | None = None,
) -> dict[str, Any]:
    """How the time and memory of reading one article grow with its length.

    For each size in ``sizes`` (bytes), a news-like text is generated (:func:`generate_news` with ``seed``)
    and read once with :func:`sayso.analysis.analyse_article` by a pipeline loaded once and warmed up
    (``nlp``, default :func:`sayso.pipeline.load_pipeline` with ``fast``: rules only, without the neural
    tagger) on ``processes`` processes (default: as ``sayso read``,
    :func:`sayso.chunking.spare_processes`); with ``rss``, the peak memory of the same read is measured in a
    fresh process (:func:`peak_rss_of_read`).

    Returns ``{"sizes": [...], "seed", "fast", "processes", "seconds_per_mb_ratio", "cpu_seconds_per_mb_ratio",
    "peak_rss_mb_max"}``: per size ``bytes``, ``chars``, ``seconds`` (wall clock), ``cpu_seconds``,
    ``seconds_per_mb`` and ``cpu_seconds_per_mb`` (MB = 10^6 bytes), ``attributions``, ``sources``,
    ``quantities``, ``times``, ``places`` and, with ``rss``, ``peak_rss_mb`` and ``base_rss_mb`` (before the
    read); a ratio is the largest seconds per MB over the smallest (1.0: linear; the CPU one is steadier on
    a busy machine)."""
    from .analysis import analyse_article
    from .chunking import spare_processes
    from .pipeline import load_pipeline
    from .schema import Article

    if not sizes:
        raise BadInput("nothing to benchmark: no sizes")
    processes = processes or spare_processes()
    nlp = nlp if nlp is not None else load_pipeline(fast=fast)
    analyse_article(Article(text=generate_news(5_000, seed + 1)), nlp)  # warm up
    rows: list[dict[str, Any]] = []
    for size in sizes:
        text = generate_news(size, seed)
        n_bytes = len(text.encode("utf-8"))
        c0, t0 = _cpu_with_children(), time.perf_counter()
        report = analyse_article(Article(text=text), nlp, processes=processes)
        seconds, cpu = time.perf_counter() - t0, _cpu_with_children() - c0
        row: dict[str, Any] = {
            "bytes": n_bytes,
            "chars": len(text),
            "seconds": round(seconds, 3),
            "cpu_seconds": round(cpu, 3),
            "seconds_per_mb": round(seconds / (n_bytes / 1e6), 3),
            "cpu_seconds_per_mb": round(cpu / (n_bytes / 1e6), 3),
            "attributions": len(report.attributions),
            "sources": len(report.sources),
            "quantities": len(report.quantities),
            "times": len(report.times),
            "places": len(report.places),
        }
        del report, text
        if rss:
            row.update(peak_rss_of_read(size, seed, fast, processes))
        rows.append(row)

    def ratio(key: str) -> float | None:
        values = [r[key] for r in rows]
        return round(max(values) / min(values), 3) if min(values) > 0 else None

    return {
        "sizes": rows,
        "seed": seed,
        "fast": fast,
        "processes": processes,
        "seconds_per_mb_ratio": ratio("seconds_per_mb"),
        "cpu_seconds_per_mb_ratio": ratio("cpu_seconds_per_mb"),
        "peak_rss_mb_max": max((r["peak_rss_mb"] for r in rows), default=None) if rss else None,
    }


# --- ingesting: articles per second with 1 and 2 workers ---------------------------------------------------

#: Bytes of each generated article of the ingest benchmark (about 500 words, a long news story).
INGEST_ARTICLE_BYTES = 3_000


def ingest_texts(n: int, seed: int = 0, size: int = INGEST_ARTICLE_BYTES) -> list[str]:
    """``n`` generated news-like articles of about ``size`` bytes each (:func:`generate_news`, seeds ``seed``,
    ``seed + 1``, ...)."""
    return [generate_news(size, seed + i) for i in range(n)]


def run_ingest_bench(
    texts: Sequence[str],
    workers: Sequence[int] = (1, 2),
    fast: bool = False,
    batch_size: int | None = None,
) -> dict[str, Any]:
    """Ingest the same ``texts`` into a fresh store once per worker count in ``workers`` and time it.

    Each run first starts its workers and loads their pipelines (``fast``: rules only) and ingests one
    warm-up article per worker (``startup_s_N``, not timed); then every text is ingested as a record of its
    own (analysed, saved, linked into its story) with ``batch_size`` records per batch (default
    :data:`sayso.ingestion.BATCH_SIZE`). Returns, for each N: ``articles_per_s_N``, ``seconds_N``,
    ``cpu_seconds_N`` (this process: reading, writing, linking), ``ms_per_article_N``, ``startup_s_N``,
    ``peak_rss_mb_N`` (this process), ``worker_peak_rss_mb_N`` and ``worker_cpu_seconds_N`` (the worker
    processes, for N > 1) and ``cpu_ms_per_article_N`` (all processes' CPU time per article); ``speedup``
    (``articles_per_s`` of the second count over the first) and ``cpu_bound_speedup`` (N times one worker's
    CPU per article over N workers': the speedup to expect where each worker has a core of its own, which a
    busy machine's wall clock does not show), ``articles``, ``words``, ``fast``,
    ``cpus``, ``threads`` (``SAYSO_THREADS``, the neural reader's onnxruntime threads per worker) and
    ``load_before``/``load_after`` (the 1-minute load average, for judging the numbers)."""
    from .ingestion import BATCH_SIZE, Ingester, IngestOptions
    from .input.record import Record
    from .schema import Article
    from .store import Store

    if not texts:
        raise BadInput("nothing to benchmark: no texts")

    def record(i: int, text: str, tag: str) -> Record:
        article = Article(text=text, url=f"https://bench.example/{tag}/{i}", title=f"Bench article {tag} {i}")
        return Record(
            input=f"bench/{tag}/{i}", kind="article", article=article, identity=f"{tag}\x00{i}\x00{text}".encode()
        )

    records = [record(i, t, "run") for i, t in enumerate(texts)]
    result: dict[str, Any] = {
        "articles": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "fast": fast,
        "cpus": os.cpu_count(),
        "threads": int(os.environ.get("SAYSO_THREADS") or 1),
        "load_before": round(os.getloadavg()[0], 2),
    }
    for n in workers:
        options = IngestOptions(fast=fast, workers=n, batch_size=batch_size or BATCH_SIZE)
        with tempfile.TemporaryDirectory(prefix="sayso-bench-") as tmp:
            store = Store(Path(tmp) / "bench.db")
            ingester = Ingester(store, options)
            try:
                t0 = time.perf_counter()
                ingester.analyser.warm_up()
                size = options.batch_size * n  # a batch for each worker
                warm = [record(i, generate_news(600, 10_000 + i), f"warm{n}") for i in range(size)]
                ingester.ingest(warm)
                startup = time.perf_counter() - t0
                stats = getattr(ingester.analyser, "stats", None)
                before = stats() if stats is not None else {}
                c0, t0 = time.process_time(), time.perf_counter()
                tally = ingester.ingest(records)
                seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
                after = stats() if stats is not None else {}
                if tally.failures or tally.stored != len(records) + size:
                    first = tally.failures[0][1].message if tally.failures else "not every article was stored"
                    raise RuntimeError(f"ingest benchmark with {n} workers failed: {first}")
                pool_rss = sorted(rss for rss, _ in after.values())
                worker_cpu = (
                    sum(after[pid][1] - before[pid][1] for pid in after)
                    if n > 1 and len(after) == n and set(before) == set(after)
                    else None
                )
            finally:
                ingester.close()
                store.close()
        result[f"articles_per_s_{n}"] = round(len(records) / seconds, 3)
        result[f"seconds_{n}"] = round(seconds, 3)
        result[f"cpu_seconds_{n}"] = round(cpu, 3)
        result[f"ms_per_article_{n}"] = round(1000 * seconds / len(records), 2)
        result[f"startup_s_{n}"] = round(startup, 2)
        result[f"peak_rss_mb_{n}"] = round(own_peak_rss_mb(), 1)
        if pool_rss:
            result[f"worker_peak_rss_mb_{n}"] = [round(r, 1) for r in pool_rss]
        if worker_cpu is not None:
            result[f"worker_cpu_seconds_{n}"] = round(worker_cpu, 3)
        # CPU seconds per article, every process of the run together: what a run costs whatever the load
        total_cpu = cpu + (worker_cpu or 0.0)
        result[f"cpu_ms_per_article_{n}"] = round(1000 * total_cpu / len(records), 2)
    if len(workers) >= 2:
        first, second = workers[0], workers[1]
        result["speedup"] = round(result[f"articles_per_s_{second}"] / result[f"articles_per_s_{first}"], 3)
        # With a core for each worker, N workers go N times as fast as one, less the extra CPU each article
        # costs them: the speedup to expect on an idle machine, from CPU time (not a measured wall clock).
        if first == 1 and f"worker_cpu_seconds_{second}" in result:
            per1, per2 = result[f"cpu_ms_per_article_{first}"], result[f"cpu_ms_per_article_{second}"]
            result["cpu_bound_speedup"] = round(second * per1 / per2, 3) if per2 else None
    result["load_after"] = round(os.getloadavg()[0], 2)
    return result
