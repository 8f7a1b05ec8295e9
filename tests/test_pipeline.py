"""sayso's components in a user's own spaCy pipeline."""

from __future__ import annotations

import subprocess
import sys

from sayso.extensions import get_attributions, get_sources, get_times
from sayso.pipeline import COMPONENTS, add_components, load_base_model


def test_components_added_to_an_existing_pipeline():
    nlp = add_components(load_base_model())
    assert nlp.pipe_names[-len(COMPONENTS) :] == list(COMPONENTS)
    doc = nlp("“The vote is postponed,” said Mayor Tomas Erdvik of Port Aldern on Monday.")
    (att,) = get_attributions(doc)
    src = next(s for s in get_sources(doc) if s.id == att.source)
    assert src.name == "Tomas Erdvik" and att.kind == "direct"
    times = get_times(doc)
    assert times and times[0].text == "Monday"


def test_factories_are_found_by_name_without_importing_sayso():
    code = (
        "import spacy\n"
        "nlp = spacy.blank('en')\n"
        "nlp.add_pipe('sayso_quotes')\n"
        "doc = nlp('He said “yes, we will” and left.')\n"
        "print(len(doc._.sayso_quotes))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"
