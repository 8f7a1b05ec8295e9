"""GraphML of stories' provenance graphs (Gephi, yEd, networkx).

Nodes: each claim of the ledger (``kind`` claim), each origin it traces back to (``kind`` origin) and each
article that reports it (``kind`` article, labelled by outlet and date). Edges: an article ``reports`` a claim
(with the report's ``stance``, ``speaker``, ``via`` and ``hedged``), an article ``traces_to`` the origins its
report goes back to, an origin ``supports`` a claim, and a copy is a ``copy_of`` its original. Written with
:mod:`xml.etree.ElementTree`, so every string is escaped as XML requires.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

NS = "http://graphml.graphdrawing.org/xmlns"
_NODE_KEYS = (
    ("label", "string"),
    ("kind", "string"),
    ("story", "int"),
    ("statement", "string"),
    ("title", "string"),
    ("outlet", "string"),
    ("published", "string"),
    ("url", "string"),
)
_EDGE_KEYS = (
    ("relation", "string"),
    ("stance", "string"),
    ("speaker", "string"),
    ("via", "string"),
    ("hedged", "boolean"),
    ("claim", "string"),
)


def _data(parent: ET.Element, key: str, value: object) -> None:
    if value is None or value == "":
        return
    el = ET.SubElement(parent, "data", key=key)
    el.text = ("true" if value else "false") if isinstance(value, bool) else str(value)


def provenance_graphml(store, story_ids: list[int]) -> str:
    """One directed GraphML graph holding the provenance of every claim of the stories ``story_ids``."""
    from ..ledgers import story_ledger

    ET.register_namespace("", NS)
    root = ET.Element("graphml", xmlns=NS)
    for prefix, keys in (("n", _NODE_KEYS), ("e", _EDGE_KEYS)):
        for name, kind in keys:
            ET.SubElement(
                root,
                "key",
                {
                    "id": f"{prefix}_{name}",
                    "for": "node" if prefix == "n" else "edge",
                    "attr.name": name,
                    "attr.type": kind,
                },
            )
    graph = ET.SubElement(root, "graph", id="provenance", edgedefault="directed")
    meta = {r[0]: r[1:] for r in store.connection.execute("SELECT id, title, outlet, published, url FROM articles")}
    nodes: set[str] = set()
    edges = 0

    def node(node_id: str, **values: object) -> None:
        if node_id in nodes:
            return
        nodes.add(node_id)
        el = ET.SubElement(graph, "node", id=node_id)
        for key, value in values.items():
            _data(el, f"n_{key}", value)

    def edge(source: str, target: str, **values: object) -> None:
        nonlocal edges
        edges += 1
        el = ET.SubElement(graph, "edge", id=f"e{edges}", source=source, target=target)
        for key, value in values.items():
            _data(el, f"e_{key}", value)

    def article(article_id: int, story: int) -> str:
        title, outlet, published, url = meta.get(article_id, (None, None, None, None))
        node_id = f"article/{article_id}"
        label = " ".join(x for x in (outlet or f"article {article_id}", published or "") if x)
        node(
            node_id, label=label, kind="article", story=story, title=title, outlet=outlet, published=published, url=url
        )
        return node_id

    for sid in story_ids:
        for claim in story_ledger(store, sid):
            claim_id = f"story/{sid}/claim/{claim.id}"
            label = claim.statement if len(claim.statement) <= 80 else claim.statement[:79] + "…"
            node(claim_id, label=label, kind="claim", story=sid, statement=claim.statement)
            for key, origin_label in claim.origins.items():
                origin_id = f"story/{sid}/origin/{key}"
                node(origin_id, label=origin_label, kind="origin", story=sid)
                edge(origin_id, claim_id, relation="supports", claim=claim.id)
            copies: set[tuple[int, int]] = set()
            for r in claim.timeline:
                art = article(r.article_id, sid)
                edge(
                    art,
                    claim_id,
                    relation="reports",
                    stance=r.stance,
                    speaker=r.speaker,
                    via=" → ".join(r.via),
                    hedged=r.hedged,
                    claim=claim.id,
                )
                for key in r.origins:
                    if key in claim.origins and r.speaker_stance == "asserts":
                        edge(art, f"story/{sid}/origin/{key}", relation="traces_to", claim=claim.id)
                if r.copy_of is not None and (r.article_id, r.copy_of) not in copies:
                    copies.add((r.article_id, r.copy_of))
                    edge(art, article(r.copy_of, sid), relation="copy_of", claim=claim.id)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
