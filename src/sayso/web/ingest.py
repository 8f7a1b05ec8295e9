"""Reading a new article from the web app (the API's POST and the home page's form): fetch a URL under the
command line's private-address rules, or take pasted text, analyse it, store it and link it into its story."""

from __future__ import annotations

import re

from ..errors import BadInput, SaysoError
from ..store import SaveResult

_HTTP_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Seconds a URL's whole fetch may take.
FETCH_TIMEOUT_S = 30.0


def read_article(
    state,
    *,
    url: str | None,
    text: str | None,
    title: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
) -> tuple[SaveResult, int | None]:
    """Read the article at ``url`` or in ``text`` (exactly one), override its ``title``, ``outlet`` and
    ``published`` date when given, analyse it with the state's pipeline, store it and link it into its story.

    ``state``: the app's :class:`~sayso.web.app.AppState`. Returns the save result and the story id. Raises
    BadInput (neither or both given, not an http(s) URL, unusable text, a bad date), NetworkError (a refused,
    private or unreachable URL) or StoreError."""
    from ..analysis import analyse_article
    from ..loading import article_from_text, decode, guess_language, load
    from ..pipeline import ModelNotFound, load_pipeline
    from ..stories import StoryLinker

    url = (url or "").strip() or None
    text = text if text and text.strip() else None
    if (url is None) == (text is None):
        raise BadInput("give either a URL to read or the article's text (one of the two)")
    if published and not _DATE.match(published):
        raise BadInput(f"published must be a date as YYYY-MM-DD, not {published[:40]!r}")
    if url is not None:
        if not _HTTP_URL.match(url):
            raise BadInput("the URL must start with http:// or https://")
        article = load(url, allow_private=state.allow_private, timeout=FETCH_TIMEOUT_S)
    else:
        name = "the pasted text"
        article = article_from_text(decode(text.encode("utf-8"), name), name)
        article = article.model_copy(update={"language": guess_language(article.text), "input": "-"})
    updates = {k: v.strip() for k, v in (("title", title), ("outlet", outlet), ("published", published)) if v}
    if updates:
        article = article.model_copy(update=updates)
    try:
        nlp = load_pipeline(fast=state.fast)
    except ModelNotFound as err:
        from ..errors import MissingResource

        raise MissingResource(str(err)) from None
    report = analyse_article(article, nlp)
    with state.write_lock:
        store = state.store()
        result = store.save_report(report)
        linker = StoryLinker(store)
        try:
            linked = linker.link(result.article_id, report, refresh=result.status == "replaced")
            story_id = linked.story_id
        except SaysoError:
            raise
        except Exception:  # a bug in linking: the article stays stored, unlinked (as `sayso ingest` does)
            story_id = None
    return result, story_id
