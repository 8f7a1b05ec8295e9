"""Stance of a text toward a claim: asserts, denies, relays (without endorsing) or merely mentions.

Two light models ship under ``sayso/data/models/stance``, both built by ``sayso train stance``
(:mod:`sayso.training.stance`):

* ``fnc1``: gradient-boosted trees (LightGBM, saved as its own text format) on FNC-1 headline/body pairs,
  labels agree / disagree / discuss / unrelated;
* ``emergent``: LightGBM averaged with a logistic regression, trained on EmergentLite only (claim vs.
  article headline), labels for / against / observing; it never saw FNC-1 data, since FNC-1 reuses
  Emergent's claims.

Both read the same base features (:func:`pair_features`): TF-IDF cosines (vocabulary fitted on the
training texts and stored as JSON), word / n-gram / character overlap, cue lexicons for refuting, hedging
and confirming words (in the text, and in the sentences most like the claim), negation polarity, and MiniLM
cosines between the claim and the text's sentences (:mod:`sayso.embeddings`). The FNC-1 model adds
:func:`focus_features` (negation and refuting cues near the claim's words, in the sentences most like the
claim); the Emergent model adds the MiniLM vector of the headline's frame (:func:`frame_words`: the headline
with the claim's words taken out) and averages in a :class:`LinearModel` (logistic regression weights
stored as JSON) over frame terms. FNC and Emergent labels map onto sayso's stances with :data:`TO_SAYSO`."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from .errors import MissingResource

FNC_LABELS = ("agree", "disagree", "discuss", "unrelated")
EMERGENT_LABELS = ("for", "against", "observing")
#: sayso's stances, in the order of the probabilities :meth:`StanceClassifier.predict` returns.
STANCES = ("asserts", "denies", "relays", "mentions")
TO_SAYSO = {
    "agree": "asserts",
    "for": "asserts",
    "disagree": "denies",
    "against": "denies",
    "discuss": "relays",
    "observing": "relays",
    "unrelated": "mentions",
}


def _split(entries: str) -> tuple[str, ...]:
    """The comma-separated ``entries`` of a lexicon string, stripped."""
    return tuple(e.strip() for e in entries.split(",") if e.strip())


# --- cue lexicons (written for sayso; matched on lower-cased word stems or phrases) -------------------------

REFUTE = _split(
    "fake, fakes, faked, fraud, hoax, hoaxes, false, falsely, deny, denies, denied, denial, debunk, "
    "debunks, debunked, bogus, untrue, incorrect, myth, prank, pranks, satire, satirical, parody, "
    "fabricated, fabrication, made up, not true, no evidence, not real, isn't true, is not true, "
    "nonsense, refute, refutes, refuted, dismiss, dismissed, dismisses, rejects, rejected, retract, "
    "retracted, retraction, wrong, misleading, mistaken, rumour is false, doubt, doubts, doubtful, "
    "skeptical, sceptical, scam, photoshopped, doctored, baseless, unfounded, lie, lies, lied, nope, "
    "despite, contrary, no truth, not the case, turns out, turned out, never happened, did not happen, "
    "didn't happen, spoof, joke, conspiracy, discredited, false alarm, no such"
)
HEDGE = _split(
    "reportedly, allegedly, alleged, claim, claims, claimed, claiming, according to, rumor, rumors, "
    "rumour, rumours, rumored, rumoured, unconfirmed, unverified, may, might, could, appears, appear, "
    "apparently, purportedly, purported, supposedly, suggests, suggest, said to, believed, speculation, "
    "speculate, speculated, possibly, possible, if true, report, reports, reported, sources, source, "
    "say, says, said, seems, seem, likely, unclear, not clear, not yet, investigating, investigate, "
    "could be, would, perhaps, suspected, is said, are said, whether"
)
CONFIRM = _split(
    "confirmed, confirms, confirm, confirmation, officially, official, announced, announces, proves, "
    "proved, proof, revealed, reveals, indeed, actually, verified, true, really, fact, real, genuine, "
    "authentic, definitely, certainly, admitted, admits"
)
NEGATION = _split(
    "not, no, never, none, nothing, nobody, neither, nor, without, isn't, aren't, wasn't, weren't, "
    "don't, doesn't, didn't, won't, can't, cannot, couldn't, hasn't, haven't, hadn't, shouldn't, "
    "wouldn't, n't"
)
#: Words whose presence in the text (log count) and in the sentences most like the claim (yes/no) are
#: features of their own (:func:`focus_features`), so that the trees can weigh each one.
FOCUS_WORDS = _split(
    "fake, hoax, false, denied, denies, deny, debunked, not, true, rumor, rumors, rumour, satire, prank, myth, "
    "claims, claimed, reportedly, allegedly, confirmed, confirms, unconfirmed, according, no, evidence, never, "
    "photoshopped, doctored, but, however"
)
STOP = frozenset(
    """a an the and or but if of at by for with about against between into through during before after above
    below to from up down in out on off over under again further then once here there when where why how all
    any both each few more most other some such only own same so than too very s t can will just should now
    i me my we our you your he him his she her it its they them their what which who whom this that these
    those am is are was were be been being have has had having do does did doing as until while also would
    could""".split()
)

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENT = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+")


def words(text: str) -> list[str]:
    """Lower-cased word tokens of ``text`` (letters, digits, and a trailing clitic like ``n't``)."""
    return _WORD.findall(text.lower().replace("’", "'"))


def stem(word: str) -> str:
    """A crude suffix-stripping stem of a lower-case ``word`` (enough to match 'denies' with 'denied')."""
    for suffix in ("ing", "ied", "ies", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> list[str]:
    """Stems of the non-stop-words of ``text``, in order."""
    return [stem(w) for w in words(text) if w not in STOP]


def sentences(text: str, limit: int = 40) -> list[str]:
    """Split ``text`` into at most ``limit`` non-empty sentences (a regex on end punctuation and newlines);
    a text without any split comes back whole."""
    parts = [p.strip() for p in _SENT.split(text) if p and p.strip()]
    return (parts or [text.strip() or ""])[:limit]


def _lexicon(entries: Sequence[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    singles = frozenset(e for e in entries if " " not in e and "'" not in e)
    phrases = tuple(f" {e} " for e in entries if " " in e or "'" in e)
    return singles, phrases


_LEXICONS = {
    name: _lexicon(entries)
    for name, entries in (("refute", REFUTE), ("hedge", HEDGE), ("confirm", CONFIRM), ("neg", NEGATION))
}


def cue_counts(text: str) -> dict[str, int]:
    """How many refute / hedge / confirm / negation cues ``text`` holds (single words and phrases)."""
    toks = words(text)
    joined = " " + " ".join(toks) + " "
    counts = {}
    for name, (singles, phrases) in _LEXICONS.items():
        n = sum(1 for t in toks if t in singles) + sum(joined.count(p) for p in phrases)
        if name == "neg":
            n += sum(1 for t in toks if t.endswith("n't") and t not in singles)
        counts[name] = n
    return counts


# --- TF-IDF ------------------------------------------------------------------------------------------------


@dataclass
class TfIdf:
    """A fitted TF-IDF vocabulary over unigram and bigram stems: ``vocab`` maps a term to its column,
    ``idf`` holds one weight per column."""

    vocab: dict[str, int]
    idf: np.ndarray

    @staticmethod
    def terms(text: str) -> list[str]:
        """Unigram and bigram stem terms of ``text``."""
        st = content_stems(text)
        return st + [f"{a} {b}" for a, b in zip(st, st[1:], strict=False)]

    @classmethod
    def fit(cls, texts: Sequence[str], max_terms: int = 30000, min_df: int = 2) -> TfIdf:
        """Fit on ``texts`` (each one document), keeping the ``max_terms`` most frequent terms seen in at least
        ``min_df`` documents. Returns the fitted vocabulary."""
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(cls.terms(text)))
        kept = sorted((t for t, n in df.items() if n >= min_df), key=lambda t: (-df[t], t))[:max_terms]
        vocab = {t: i for i, t in enumerate(kept)}
        n_docs = max(len(texts), 1)
        idf = np.array([math.log((1 + n_docs) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float32)
        return cls(vocab, idf)

    def matrix(self, texts: Sequence[str]) -> Any:
        """L2-normalised TF-IDF rows for ``texts`` as a scipy CSR matrix (``len(texts)`` x vocabulary)."""
        from scipy.sparse import csr_matrix

        rows, cols, vals = [], [], []
        for r, text in enumerate(texts):
            tf = Counter(self.vocab[t] for t in self.terms(text) if t in self.vocab)
            if not tf:
                continue
            weights = {c: (1 + math.log(n)) * float(self.idf[c]) for c, n in tf.items()}
            norm = math.sqrt(sum(w * w for w in weights.values()))
            for c, w in weights.items():
                rows.append(r)
                cols.append(c)
                vals.append(w / norm)
        return csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.vocab)), dtype=np.float32)

    def to_json(self) -> dict[str, Any]:
        """The vocabulary as a JSON-able dict (terms in column order, idf rounded to 4 places)."""
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        return {"terms": terms, "idf": [round(float(x), 4) for x in self.idf]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TfIdf:
        """Rebuild from :meth:`to_json`'s dict ``data``."""
        return cls({t: i for i, t in enumerate(data["terms"])}, np.asarray(data["idf"], dtype=np.float32))


# --- features ----------------------------------------------------------------------------------------------

Encoder = Callable[[Sequence[str]], np.ndarray]


def _default_encoder(texts: Sequence[str]) -> np.ndarray:
    from .embeddings import encode

    return encode(texts)


def _ngrams(toks: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def _chargrams(text: str, n: int = 4) -> set[str]:
    s = " ".join(words(text))
    return {s[i : i + n] for i in range(len(s) - n + 1)}


_CUES = ("refute", "hedge", "confirm", "neg")


def feature_names() -> list[str]:
    """Names of the columns :func:`pair_features` returns, in order."""
    names = [
        "tfidf_cos",
        "tfidf_cos_lead",
        "tfidf_sent_max",
        "tfidf_sent_top3",
        "emb_cos_text",
        "emb_sent_max",
        "emb_sent_top3",
        "emb_sent_mean",
        "emb_cos_first",
        "emb_argmax_pos",
        "emb_sent_max_minus_mean",
        "jaccard",
        "claim_cov",
        "claim_cov_lead",
        "bigram_cov",
        "trigram_cov",
        "char4_cov",
        "num_cov",
        "claim_len",
        "text_len_log",
        "n_sents",
        "claim_question",
        "text_question",
    ]
    for where in ("claim", "text", "top", "lead"):
        names += [f"{c}_{where}" for c in _CUES]
    names += [f"{c}_text_rate" for c in _CUES]
    names += ["neg_parity_top", "refute_top_minus_claim", "hedge_top_minus_claim"]
    return names


def pair_features(
    pairs: Sequence[tuple[str, str]],
    tfidf: TfIdf,
    encoder: Encoder | None = None,
    top_k: int = 3,
    embed_dims: bool = False,
    focus: bool = False,
    frame_embed: bool = False,
) -> np.ndarray:
    """Feature matrix for ``pairs`` of (claim, text) strings: one row per pair, columns as in
    :func:`feature_names`. ``tfidf``: the fitted vocabulary; ``encoder``: a function embedding a list of
    strings into unit vectors (default: MiniLM, :func:`sayso.embeddings.encode`); ``top_k``: how many of the
    text's sentences most similar to the claim count as its "top" sentences; ``embed_dims``: also append
    3 x 384 columns (the text's mean MiniLM vector, its difference from the claim's and their product);
    ``focus``: also append :func:`focus_features`; ``frame_embed``: also append the 384 columns of the
    MiniLM vector of the text's frame (:func:`frame_text`). Claims and texts repeated across pairs are
    processed once. Returns a float32 array of shape ``(len(pairs), n_features)``, columns named by
    :func:`all_feature_names` with the same options."""
    encoder = encoder or _default_encoder
    claims = sorted({c for c, _ in pairs})
    texts = sorted({t for _, t in pairs})
    c_idx = {c: i for i, c in enumerate(claims)}
    t_idx = {t: i for i, t in enumerate(texts)}
    t_sents = [sentences(t) for t in texts]
    flat = [s for ss in t_sents for s in ss]
    offsets = np.cumsum([0] + [len(ss) for ss in t_sents])
    lead = [" ".join(ss[:3])[:600] for ss in t_sents]

    c_tf = tfidf.matrix(claims)
    t_tf = tfidf.matrix(texts)
    l_tf = tfidf.matrix(lead)
    s_tf = tfidf.matrix(flat)
    c_emb = encoder(claims)
    s_emb = encoder(flat)
    t_emb = np.stack([s_emb[offsets[i] : offsets[i + 1]].mean(axis=0) for i in range(len(texts))])
    t_emb /= np.maximum(np.linalg.norm(t_emb, axis=1, keepdims=True), 1e-9)

    c_info = []
    for c in claims:
        toks = content_stems(c)
        c_info.append(
            (
                set(toks),
                _ngrams(toks, 2),
                _ngrams(toks, 3),
                _chargrams(c),
                {w for w in words(c) if w.isdigit()},
                cue_counts(c),
                len(words(c)),
                "?" in c,
            )
        )
    t_info = []
    for t, ss in zip(texts, t_sents, strict=True):
        toks = content_stems(t)
        lead_toks = set(content_stems(t[:255]))
        t_info.append(
            (
                set(toks),
                _ngrams(toks, 2),
                _ngrams(toks, 3),
                _chargrams(t[:4000]),
                {w for w in words(t) if w.isdigit()},
                cue_counts(t),
                len(words(t)),
                "?" in t,
                lead_toks,
                cue_counts(" ".join(ss[:3])),
                [cue_counts(s) for s in ss],
            )
        )

    names = feature_names()
    out = np.zeros((len(pairs), len(names)), dtype=np.float32)
    for row, (c, t) in enumerate(pairs):
        ci, ti = c_idx[c], t_idx[t]
        lo, hi = offsets[ti], offsets[ti + 1]
        cset, cbi, ctri, cch, cnum, ccue, clen, cq = c_info[ci]
        tset, tbi, ttri, tch, tnum, tcue, tlen, tq, tlead, lcue, scues = t_info[ti]
        tf_s = np.asarray((s_tf[lo:hi] @ c_tf[ci].T).todense()).ravel()
        emb_s = s_emb[lo:hi] @ c_emb[ci]
        order = np.argsort(-emb_s)
        top = order[:top_k]
        tf_sorted = np.sort(tf_s)[::-1]
        top_cue = {k: sum(scues[j][k] for j in top) for k in _CUES}
        n_words = max(tlen, 1)
        vals = [
            float((t_tf[ti] @ c_tf[ci].T).sum()),
            float((l_tf[ti] @ c_tf[ci].T).sum()),
            float(tf_sorted[0]) if len(tf_sorted) else 0.0,
            float(tf_sorted[:3].mean()) if len(tf_sorted) else 0.0,
            float(t_emb[ti] @ c_emb[ci]),
            float(emb_s[order[0]]),
            float(emb_s[top].mean()),
            float(emb_s.mean()),
            float(emb_s[0]),
            float(order[0] / max(hi - lo, 1)),
            float(emb_s[order[0]] - emb_s.mean()),
            len(cset & tset) / max(len(cset | tset), 1),
            len(cset & tset) / max(len(cset), 1),
            len(cset & tlead) / max(len(cset), 1),
            len(cbi & tbi) / max(len(cbi), 1),
            len(ctri & ttri) / max(len(ctri), 1),
            len(cch & tch) / max(len(cch), 1),
            len(cnum & tnum) / len(cnum) if cnum else -1.0,
            float(clen),
            math.log1p(tlen),
            float(hi - lo),
            float(cq),
            float(tq),
        ]
        for cues in (ccue, tcue, top_cue, lcue):
            vals += [float(cues[k]) for k in _CUES]
        vals += [100.0 * tcue[k] / n_words for k in _CUES]
        vals += [
            float((ccue["neg"] > 0) != (top_cue["neg"] > 0)),
            float(top_cue["refute"] - ccue["refute"]),
            float(top_cue["hedge"] - ccue["hedge"]),
        ]
        out[row] = vals
    if embed_dims:
        ci = np.array([c_idx[c] for c, _ in pairs], dtype=np.int64)
        ti = np.array([t_idx[t] for _, t in pairs], dtype=np.int64)
        te, ce = t_emb[ti], c_emb[ci]
        out = np.hstack([out, te, te - ce, te * ce]).astype(np.float32)
    if focus:
        out = np.hstack([out, focus_features(pairs, encoder, top_k)])
    if frame_embed:
        out = np.hstack([out, encoder([frame_text(c, t) for c, t in pairs])]).astype(np.float32)
    return out


def all_feature_names(embed_dims: bool = False, focus: bool = False, frame_embed: bool = False) -> list[str]:
    """Names of all the columns :func:`pair_features` returns with these options (see there)."""
    names = feature_names()
    if embed_dims:
        names += [f"{part}_{i}" for part in ("emb_text", "emb_diff", "emb_prod") for i in range(384)]
    if focus:
        names += focus_feature_names()
    if frame_embed:
        names += [f"emb_frame_{i}" for i in range(384)]
    return names


# --- focus features: refuting and negating cues where the text speaks of the claim --------------------------

_NEG_WORDS = _LEXICONS["neg"][0]
_REFUTE_WORDS = _LEXICONS["refute"][0]


def _is_neg(token: str) -> bool:
    return token in _NEG_WORDS or token.endswith("n't")


def near_cues(tokens: Sequence[str], claim_stems: set[str], window: int = 4) -> tuple[int, int]:
    """Negation and refuting cue words among ``tokens`` (one sentence's :func:`words`) that lie within
    ``window`` tokens of a content word whose stem is in ``claim_stems`` (the claim's content stems): a
    negation or denial aimed at what the claim is about. Returns ``(negations, refutations)``."""
    shared = [i for i, t in enumerate(tokens) if t not in STOP and stem(t) in claim_stems]
    neg = ref = 0
    if not shared:
        return 0, 0
    for i, t in enumerate(tokens):
        is_neg, is_ref = _is_neg(t), t in _REFUTE_WORDS
        if (is_neg or is_ref) and any(abs(i - j) <= window for j in shared):
            neg += is_neg
            ref += is_ref
    return neg, ref


def focus_feature_names() -> list[str]:
    """Names of the columns :func:`focus_features` returns, in order."""
    names = [
        "neg_near_top",
        "refute_near_top",
        "neg_near_all",
        "refute_near_all",
        "refute_sent_frac",
        "first_refute_pos",
        "refute_top1",
        "neg_top1",
        "neg_mismatch_top1",
        "cue_near_lead",
    ]
    return names + [f"word_{w}" for w in FOCUS_WORDS] + [f"word_top_{w}" for w in FOCUS_WORDS]


def focus_features(pairs: Sequence[tuple[str, str]], encoder: Encoder | None = None, top_k: int = 3) -> np.ndarray:
    """Features for telling a text that disputes a claim from one that repeats it: negation and refuting cues
    near the claim's own words (:func:`near_cues`) in the ``top_k`` sentences most like the claim (MiniLM
    cosine; ``encoder`` as in :func:`pair_features`), in the whole text and in its first three sentences;
    the share of sentences with a refuting cue and where the first one comes; cues in the single most
    similar sentence and whether its negation disagrees with the claim's; and for each of
    :data:`FOCUS_WORDS` its log count in the text and whether a top sentence holds it. Returns a float32
    array ``(len(pairs), len(focus_feature_names()))``."""
    encoder = encoder or _default_encoder
    claims = sorted({c for c, _ in pairs})
    texts = sorted({t for _, t in pairs})
    c_idx = {c: i for i, c in enumerate(claims)}
    t_idx = {t: i for i, t in enumerate(texts)}
    t_sents = [sentences(t) for t in texts]
    flat = [s for ss in t_sents for s in ss]
    offsets = np.cumsum([0] + [len(ss) for ss in t_sents])
    c_emb = encoder(claims)
    s_emb = encoder(flat)
    s_toks = [words(s) for s in flat]
    s_ref = [sum(1 for t in tk if t in _REFUTE_WORDS) for tk in s_toks]
    s_neg = [sum(1 for t in tk if _is_neg(t)) for tk in s_toks]
    s_set = [set(tk) for tk in s_toks]
    c_stems = [{stem(w) for w in words(c) if w not in STOP} for c in claims]
    c_neg = [sum(1 for t in words(c) if _is_neg(t)) for c in claims]
    t_words = []
    for t in texts:
        joined = " " + " ".join(words(t)) + " "
        t_words.append([math.log1p(joined.count(f" {w} ")) for w in FOCUS_WORDS])
    out = np.zeros((len(pairs), len(focus_feature_names())), dtype=np.float32)
    for row, (c, t) in enumerate(pairs):
        ci, ti = c_idx[c], t_idx[t]
        lo, hi = int(offsets[ti]), int(offsets[ti + 1])
        n = max(hi - lo, 1)
        order = np.argsort(-(s_emb[lo:hi] @ c_emb[ci]))
        top = order[:top_k]
        near = [near_cues(s_toks[j], c_stems[ci]) for j in range(lo, hi)]
        refs = s_ref[lo:hi]
        first = next((j for j, r in enumerate(refs) if r), hi - lo)
        best = lo + int(order[0])
        vals = [
            sum(near[j][0] for j in top),
            sum(near[j][1] for j in top),
            sum(x[0] for x in near),
            sum(x[1] for x in near),
            sum(1 for r in refs if r) / n,
            first / n,
            s_ref[best],
            s_neg[best],
            float((s_neg[best] > 0) != (c_neg[ci] > 0)),
            sum(x[0] + x[1] for x in near[:3]),
        ]
        in_top = set().union(*(s_set[lo + int(j)] for j in top))
        vals += t_words[ti]
        vals += [float(w in in_top) for w in FOCUS_WORDS]
        out[row] = vals
    return out


# --- frames: what a text says around the claim's words ------------------------------------------------------

FRAME_SLOT = "_"


def frame_words(claim: str, text: str) -> list[str]:
    """The words of ``text`` with each content word the ``claim`` shares (same stem) replaced by
    :data:`FRAME_SLOT`, runs of slots collapsed: what the text says *about* the claim ("police deny _ of
    _"), with the topic taken out."""
    shared = {stem(w) for w in words(claim) if w not in STOP}
    out: list[str] = []
    for w in words(text):
        token = FRAME_SLOT if w not in STOP and stem(w) in shared else w
        if not (token == FRAME_SLOT and out and out[-1] == FRAME_SLOT):
            out.append(token)
    return out


def frame_text(claim: str, text: str) -> str:
    """:func:`frame_words` without the slots, joined by spaces (the string whose MiniLM vector
    :func:`pair_features` adds with ``frame_embed``)."""
    return " ".join(w for w in frame_words(claim, text) if w != FRAME_SLOT)


def frame_terms(claim: str, text: str) -> set[str]:
    """Unigram and bigram terms of :func:`frame_words` (slots included), as the linear model's bag of
    words reads them."""
    fw = frame_words(claim, text)
    return set(fw) | {f"{a} {b}" for a, b in zip(fw, fw[1:], strict=False)}


@dataclass
class LinearModel:
    """A multinomial logistic regression over a (claim, text) pair's frame terms (:func:`frame_terms`, 0/1)
    and the first ``n_dense`` columns of its feature matrix, standardised with ``mean`` and ``std``.
    ``terms``: the frame vocabulary (column order); ``coef``: ``(n_classes, len(terms) + n_dense)``
    weights; ``intercept``: one per class. Plain numbers, saved as JSON."""

    terms: list[str]
    n_dense: int
    mean: np.ndarray
    std: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray

    def design(self, pairs: Sequence[tuple[str, str]], features: np.ndarray) -> Any:
        """The model's input matrix (scipy CSR) for ``pairs`` and their ``features`` (rows aligned)."""
        from scipy.sparse import csr_matrix, hstack

        index = {t: i for i, t in enumerate(self.terms)}
        rows, cols = [], []
        for r, (c, t) in enumerate(pairs):
            for term in frame_terms(c, t):
                if term in index:
                    rows.append(r)
                    cols.append(index[term])
        bow = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(pairs), len(self.terms)))
        dense = (features[:, : self.n_dense] - self.mean) / self.std
        return hstack([bow, csr_matrix(dense)]).tocsr()

    def proba(self, pairs: Sequence[tuple[str, str]], features: np.ndarray) -> np.ndarray:
        """Class probabilities (softmax) for ``pairs`` and their ``features``; shape ``(len(pairs), n_classes)``."""
        z = np.asarray(self.design(pairs, features) @ self.coef.T) + self.intercept[None, :]
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def to_json(self) -> dict[str, Any]:
        """The model as a JSON-able dict (weights rounded to 6 places)."""

        def r(a: np.ndarray) -> Any:
            return np.round(a.astype(np.float64), 6).tolist()

        return {
            "terms": self.terms,
            "n_dense": self.n_dense,
            "mean": r(self.mean),
            "std": r(self.std),
            "coef": r(self.coef),
            "intercept": r(self.intercept),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        """Rebuild from :meth:`to_json`'s dict ``data``."""
        return cls(
            list(data["terms"]),
            int(data["n_dense"]),
            np.asarray(data["mean"]),
            np.asarray(data["std"]),
            np.asarray(data["coef"]),
            np.asarray(data["intercept"]),
        )


# --- the classifier ----------------------------------------------------------------------------------------


def models_dir() -> Path:
    """Folder holding the shipped stance models (``fnc1/`` and ``emergent/``)."""
    return Path(str(files("sayso") / "data" / "models" / "stance"))


@dataclass
class StanceModel:
    """One trained stance model: ``labels`` (its own label set, in probability order), the fitted ``tfidf``,
    the LightGBM ``booster``, per-class probability multipliers ``class_scale`` tuned on cross-validation,
    the ``config`` dict it was saved with, and optionally a ``linear`` model whose probabilities are
    averaged with the booster's (weight ``config["blend"]`` on the booster's)."""

    labels: tuple[str, ...]
    tfidf: TfIdf
    booster: Any
    class_scale: np.ndarray
    config: dict[str, Any] = field(default_factory=dict)
    linear: LinearModel | None = None

    @classmethod
    def load(cls, folder: Path) -> StanceModel:
        """Read a model saved by :meth:`save` from ``folder`` (``config.json``, ``vocab.json``,
        ``model.txt``, and ``linear.json`` when the config names one); raises :class:`MissingResource` when
        a file is missing."""
        import lightgbm as lgb

        paths = [folder / n for n in ("config.json", "vocab.json", "model.txt")]
        for path in paths:
            if not path.is_file():
                raise MissingResource(f"stance model file not found: {path} (run `sayso train stance`)")
        config = json.loads(paths[0].read_text(encoding="utf-8"))
        tfidf = TfIdf.from_json(json.loads(paths[1].read_text(encoding="utf-8")))
        booster = lgb.Booster(model_file=str(paths[2]))
        linear = None
        if config.get("linear"):
            path = folder / "linear.json"
            if not path.is_file():
                raise MissingResource(f"stance model file not found: {path} (run `sayso train stance`)")
            linear = LinearModel.from_json(json.loads(path.read_text(encoding="utf-8")))
        return cls(tuple(config["labels"]), tfidf, booster, np.asarray(config["class_scale"]), config, linear)

    def save(self, folder: Path) -> None:
        """Write the model to ``folder`` (created if needed): ``config.json`` (labels, feature names, class
        scales and any extra config), ``vocab.json`` (TF-IDF), ``model.txt`` (LightGBM's text format) and,
        with a linear model, ``linear.json``."""
        folder.mkdir(parents=True, exist_ok=True)
        config = dict(self.config)
        config.update(
            labels=list(self.labels),
            class_scale=[float(x) for x in self.class_scale],
            linear=self.linear is not None,
            features=self._names(),
        )
        (folder / "config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
        (folder / "vocab.json").write_text(json.dumps(self.tfidf.to_json()), encoding="utf-8")
        self.booster.save_model(str(folder / "model.txt"))
        if self.linear is not None:
            (folder / "linear.json").write_text(json.dumps(self.linear.to_json()), encoding="utf-8")

    def _options(self) -> dict[str, bool]:
        """The :func:`pair_features` options this model was trained with."""
        return {k: bool(self.config.get(k)) for k in ("embed_dims", "focus", "frame_embed")}

    def _names(self) -> list[str]:
        """Feature names of the model's input, collapsing the embedding columns to one entry per block."""
        opts = self._options()
        names = feature_names() + (focus_feature_names() if opts["focus"] else [])
        if opts["embed_dims"]:
            names.append("emb_text, emb_diff, emb_prod: 1152 MiniLM columns")
        if opts["frame_embed"]:
            names.append("emb_frame: 384 MiniLM columns")
        return names

    def features(self, pairs: Sequence[tuple[str, str]], encoder: Encoder | None = None) -> np.ndarray:
        """The feature matrix this model reads for (claim, text) ``pairs`` (:func:`pair_features` with the
        model's saved options)."""
        return pair_features(pairs, self.tfidf, encoder, **self._options())

    def raw_proba(self, features: np.ndarray, pairs: Sequence[tuple[str, str]] | None = None) -> np.ndarray:
        """Class probabilities (rows sum to 1, columns in :attr:`labels` order) for a feature matrix: the
        booster's, averaged with the linear model's when there is one (which also needs the ``pairs`` the
        rows belong to)."""
        p = np.asarray(self.booster.predict(features, num_threads=1), dtype=np.float64)
        if self.linear is not None:
            if pairs is None:
                raise ValueError("this stance model blends in a linear model: pass the pairs too")
            w = float(self.config.get("blend", 0.5))
            p = w * p + (1.0 - w) * self.linear.proba(pairs, features)
        return p

    def proba(self, features: np.ndarray, pairs: Sequence[tuple[str, str]] | None = None) -> np.ndarray:
        """:meth:`raw_proba` reweighted by :attr:`class_scale` and renormalised: the decision probabilities."""
        p = self.raw_proba(features, pairs) * self.class_scale[None, :]
        return p / p.sum(axis=1, keepdims=True)

    def predict_pairs(self, pairs: Sequence[tuple[str, str]], encoder: Encoder | None = None) -> list[str]:
        """Labels (this model's own label set) for (claim, text) ``pairs``; ``encoder`` as in
        :func:`pair_features`."""
        if not pairs:
            return []
        p = self.proba(self.features(pairs, encoder), pairs)
        return [self.labels[i] for i in p.argmax(axis=1)]


@lru_cache(maxsize=4)
def load_model(kind: str = "fnc1", folder: str | None = None) -> StanceModel:
    """The shipped model ``kind`` ("fnc1" or "emergent"), or the one in ``folder`` if given; cached."""
    if kind not in ("fnc1", "emergent"):
        raise ValueError(f"unknown stance model {kind!r}: expected 'fnc1' or 'emergent'")
    return StanceModel.load(Path(folder) if folder else models_dir() / kind)


class StanceClassifier:
    """sayso's stance classifier: ``predict(claim, text)`` says whether ``text`` asserts, denies, relays or
    merely mentions ``claim``.

    ``kind``: "fnc1" (default; trained on FNC-1 headline/body pairs, suited to an article or passage as the
    text, and the only one that can say "mentions") or "emergent" (trained on EmergentLite claim vs.
    headline pairs, suited to one sentence or headline; never says "mentions"). ``folder``: load the model
    from there instead of the shipped one."""

    def __init__(self, kind: str = "fnc1", folder: Path | None = None) -> None:
        self.kind = kind
        self.model = load_model(kind, str(folder) if folder else None)

    def predict(self, claim: str, text: str) -> tuple[str, dict[str, float]]:
        """Stance of ``text`` toward ``claim`` (both plain strings). Returns ``(stance, probs)``: the stance
        (one of :data:`STANCES`) and a probability for each of the four stances (summing to 1)."""
        return self.predict_many([(claim, text)])[0]

    def predict_many(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, dict[str, float]]]:
        """:meth:`predict` for many (claim, text) ``pairs`` at once (faster: texts are embedded together)."""
        if not pairs:
            return []
        probs = self.model.proba(self.model.features(pairs), pairs)
        result = []
        for row in probs:
            by_stance = dict.fromkeys(STANCES, 0.0)
            for label, p in zip(self.model.labels, row, strict=True):
                by_stance[TO_SAYSO[label]] += float(p)
            result.append((max(by_stance, key=by_stance.__getitem__), by_stance))
        return result
