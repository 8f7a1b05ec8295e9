"""``sayso_role_tagger``: a trained tagger for attribution roles (source, cue, content).

Output: ``doc.spans["sayso_roles"]``, a span group of token spans labelled ``"source"``, ``"cue"`` or
``"content"``, in document order, never overlapping. They are not linked into attributions: each span
is one fragment (a content split by its cue, ``"A," she said, "B."``, gives two ``content`` spans), and
combining them with the rule-based :mod:`sayso.attribution` is left to that component. Each span carries
its mean tag probability in ``doc.spans["sayso_roles"].attrs["scores"]`` (a list parallel to the spans).

The model (trained on PolNeAR by :mod:`sayso.training.train`) ships in ``sayso/data/models/attribution``
and is loaded on the first call. It reads the TAG, DEP and ENT features the base pipeline set, so the
component must run after the tagger, parser and NER of ``en_core_web_sm``::

    nlp = load_base_model()
    nlp.add_pipe("sayso_role_tagger")
    doc = nlp("The minister said the bridge would reopen.")
    [(s.text, s.label_) for s in doc.spans["sayso_roles"]]

The component never changes tokens' own attributes (``tag_`` is left as the parser set it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy
import spacy
from spacy.attrs import intify_attr
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, SpanGroup
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.types import Ints2d

#: The span group the component writes.
SPANS_KEY = "sayso_roles"

#: The shipped model's folder (a spaCy pipeline with one ``tagger`` pipe named ``roles``).
MODEL_DIR = Path(__file__).parent / "data" / "models" / "attribution"

#: Name of the tagger pipe inside the model pipeline.
PIPE_NAME = "roles"


#: Quotation marks that open, close, or toggle (straight quotes) a quotation.
_OPEN, _CLOSE, _TOGGLE = ("“", "``"), ("”", "''"), ('"',)

#: Number of structural features per token (see :func:`structural_features`).
N_STRUCTURAL = 4


def structural_features(doc: Doc) -> numpy.ndarray:
    """Per-token features that reach beyond a CNN window, hashed to uint64 (shape ``(len(doc), 4)``).

    Columns: (1) quotation state: opening mark, closing mark, inside, outside (straight quotes toggle; a
    line break closes an open quotation); (2) the sentence root's lemma with the dependency label of the
    token's branch under the root (``say|ccomp`` for a clause said, ``say|nsubj`` for its speaker);
    (3) the lemma and label of that branch's top token (``accord|prep``); (4) the head's lemma with the
    token's own label. ``doc``: a parsed doc. Returns the feature array."""
    n = len(doc)
    out = numpy.zeros((n, N_STRUCTURAL), dtype="uint64")
    if n == 0:
        return out
    heads = (numpy.arange(n) + doc.to_array("HEAD").astype("int64")).tolist()
    lemmas = [t.lemma_.lower() for t in doc]
    deps = [t.dep_ for t in doc]
    # top[i]: the token's branch under its root (a child of the root, or the root itself)
    top = [-1] * n
    for i in range(n):
        path, cur = [], i
        while top[cur] < 0 and heads[cur] != cur and heads[heads[cur]] != heads[cur]:
            path.append(cur)
            cur = heads[cur]
        if top[cur] < 0:
            top[cur] = cur
        for j in path:
            top[j] = top[cur]
    inside = False
    for tok in doc:
        i, text = tok.i, tok.text
        if text in _OPEN or (text in _TOGGLE and not inside):
            q, inside = "Q_OPEN", True
        elif text in _CLOSE or (text in _TOGGLE and inside):
            q, inside = "Q_CLOSE", False
        else:
            if inside and "\n" in text and tok.is_space:
                inside = False
            q = "Q_IN" if inside else "Q_OUT"
        b = top[i]
        root = heads[b]
        bdep = "ROOT" if b == root else deps[b]
        out[i, 0] = get_string_id(q)
        out[i, 1] = get_string_id(f"r:{lemmas[root]}|{bdep}")
        out[i, 2] = get_string_id(f"b:{lemmas[b]}|{bdep}")
        out[i, 3] = get_string_id(f"h:{lemmas[heads[i]]}|{deps[i]}")
    return out


def _extract_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Ints2d], object]:
    columns = model.attrs["columns"]
    feats = []
    for doc in docs:
        arr = doc.to_array(columns).reshape((len(doc), len(columns))).astype("uint64")
        feats.append(model.ops.asarray2i(numpy.hstack([arr, structural_features(doc)]), dtype="uint64"))
    return feats, lambda d_feats: []


@registry.architectures("sayso.RoleEmbed.v1")
def role_embed(width: int, attrs: list[str], rows: list[int], structural_rows: int) -> Model:
    """Token embedding for the role tagger: hash embeddings of the token attributes ``attrs`` (``rows``
    buckets each, as in spaCy's MultiHashEmbed) plus the :func:`structural_features` (``structural_rows``
    buckets each), mixed by a maxout layer to ``width``."""
    columns = [intify_attr(a) for a in attrs]
    all_rows = list(rows) + [structural_rows] * N_STRUCTURAL
    embeds = [HashEmbed(width, r, column=i, seed=8 + i, dropout=0.0) for i, r in enumerate(all_rows)]
    extract = Model("role_features", _extract_forward, attrs={"columns": columns})
    return chain(
        extract,
        list2ragged(),
        with_array(concatenate(*embeds)),
        with_array(Maxout(width, width * len(embeds), nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )


def bio_runs(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """The labelled runs of a BIO tag sequence as ``(start, end, role)``, end exclusive.

    An ``I-X`` that does not continue a run of ``X`` starts a new run (lenient decoding)."""
    out: list[tuple[int, int, str]] = []
    start, role = -1, ""
    for i, tag in enumerate(tags):
        prefix, _, r = tag.partition("-")
        if prefix == "B" or (prefix == "I" and r != role):
            if role:
                out.append((start, i, role))
            start, role = i, r
        elif prefix != "I":
            if role:
                out.append((start, i, role))
            start, role = -1, ""
    if role:
        out.append((start, len(tags), role))
    return out


def predict_tags(model_nlp: Language, docs: list[Doc]) -> tuple[list[list[str]], list[numpy.ndarray]]:
    """Tag parsed ``docs`` with the role model, without writing anything to them.

    ``model_nlp``: the loaded role model pipeline; ``docs``: docs parsed by the base pipeline.
    Returns the BIO tags per doc and, per doc, the probability of each chosen tag."""
    pipe = model_nlp.get_pipe(PIPE_NAME)
    labels = pipe.labels
    scores = pipe.model.predict(docs)
    tags, probs = [], []
    for doc, sc in zip(docs, scores, strict=True):
        sc = pipe.model.ops.to_numpy(sc)
        if len(doc) == 0:
            tags.append([])
            probs.append(numpy.zeros((0,), dtype="f"))
            continue
        # the tagger's output layer is not normalised at inference (Tagger.v2, normalize=false): softmax here
        sc = numpy.exp(sc - sc.max(axis=1, keepdims=True))
        sc /= sc.sum(axis=1, keepdims=True)
        best = sc.argmax(axis=1)
        tags.append([labels[i] for i in best])
        probs.append(sc[numpy.arange(len(best)), best])
    return tags, probs


class RoleTagger:
    """The pipeline component: tags roles and writes ``doc.spans["sayso_roles"]``.

    ``model_dir``: the trained model folder (default :data:`MODEL_DIR`), loaded lazily on first use."""

    def __init__(self, nlp: Language, name: str = "sayso_role_tagger", model_dir: str | None = None) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.model_dir = Path(model_dir) if model_dir else MODEL_DIR
        self._model: Language | None = None

    @property
    def model(self) -> Language:
        """The role model pipeline (loaded on first access, sharing the host pipeline's vocab)."""
        if self._model is None:
            self._model = spacy.load(self.model_dir, vocab=self.vocab)
        return self._model

    def __call__(self, doc: Doc) -> Doc:
        """Tag one doc and return it."""
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterable[Doc]:
        """Tag a stream of docs in batches of ``batch_size``, yielding them in order."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._process(batch)
                batch = []
        if batch:
            yield from self._process(batch)

    def _process(self, docs: list[Doc]) -> list[Doc]:
        nonempty = [d for d in docs if len(d)]
        all_tags, all_probs = predict_tags(self.model, nonempty) if nonempty else ([], [])
        by_id = {id(d): (t, p) for d, t, p in zip(nonempty, all_tags, all_probs, strict=True)}
        for doc in docs:
            tags, probs = by_id.get(id(doc), ([], []))
            spans, scores = [], []
            for start, end, role in bio_runs(tags):
                spans.append(doc[start:end])
                spans[-1].label_ = role
                scores.append(round(float(numpy.mean(probs[start:end])), 4))
            group = SpanGroup(doc, name=SPANS_KEY, spans=spans, attrs={"scores": scores})
            doc.spans[SPANS_KEY] = group
        return docs


@Language.factory(
    "sayso_role_tagger",
    default_config={"model_dir": None},
    requires=["token.tag", "token.dep", "token.ent_type"],
)
def make_role_tagger(nlp: Language, name: str, model_dir: str | None) -> RoleTagger:
    """spaCy factory for :class:`RoleTagger`. ``model_dir``: a trained model folder (default: shipped)."""
    return RoleTagger(nlp, name, model_dir)
