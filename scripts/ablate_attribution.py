"""Ablations of the attribution finder on PolNeAR dev without re-parsing: the pipeline runs once up to the
finder (parse, quotes, times, quantities, places, neural roles), the Docs are cached in a DocBin, then the
finder runs again under each variant and the scorer reports exact F1.

    python scripts/ablate_attribution.py --data ../shared/data/polnear/data --cache /tmp/polnear-dev.spacy \
        --variant base --variant noscope:scope=False
A variant is ``name`` or ``name:attr=value,...`` (attributes of AttributionFinder; ``merge.key=value`` sets a
keyword of :func:`sayso.reader.linking.merge`)."""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from spacy.tokens import DocBin

from sayso.evaluation.polnear import Scorer, load_split
from sayso.pipeline import load_pipeline
from sayso.report import build_report
from sayso.schema import Article


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data/polnear/data")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--cache", default="/tmp/polnear-dev.spacy")
    ap.add_argument("--fast", action="store_true")
    ap.add_argument("--variant", action="append", default=[])
    args = ap.parse_args()
    nlp = load_pipeline(fast=args.fast)
    articles = load_split(args.data, args.split)
    cache = Path(args.cache)
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
    else:
        with nlp.select_pipes(disable=["sayso_attribution"]):

            def make():
                for art in articles:
                    d = nlp.make_doc(art.text)
                    d._.sayso_article = Article(
                        text=art.text, published=art.published, title=art.title, outlet=art.outlet
                    )
                    yield d

            docs = list(nlp.pipe(make(), batch_size=16))
        from sayso.reader.neural import finish_roles

        docs = [finish_roles(d) for d in docs]  # the overlapped tagger's spans, before caching
        DocBin(store_user_data=True, docs=docs).to_disk(cache)
    finder = nlp.get_pipe("sayso_attribution")
    for spec in args.variant or ["base"]:
        name, _, opts = spec.partition(":")
        saved = (dict(finder.merge_options), {})
        for kv in filter(None, opts.split(",")):
            key, _, value = kv.partition("=")
            val = ast.literal_eval(value)
            if key.startswith("merge."):
                finder.merge_options[key[6:]] = val
            else:
                saved[1][key] = getattr(finder, key)
                setattr(finder, key, val)
        scorer = Scorer()
        for art, doc in zip(articles, docs, strict=True):
            report = build_report(finder(doc))
            scorer.add_article(art.text, art.gold, report.attributions, art.id, None)
        r = scorer.result()
        f1 = " / ".join(f"{r[role]['exact']['f1']:.1f}" for role in ("source", "cue", "content", "triple"))
        print(f"{name:24s} exact F1 source/cue/content/triple {f1}", flush=True)
        finder.merge_options = saved[0]
        for key, val in saved[1].items():
            setattr(finder, key, val)
    return 0


if __name__ == "__main__":
    sys.exit(main())
