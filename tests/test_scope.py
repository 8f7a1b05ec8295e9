"""What counts as a claim (sayso.reader.scope): statements stay claims; mental states and plans become
``belief``, speech acts that state nothing ``topic``, acts with no speech word ``act``; capitals headlines and
the outlet's own first-person voice are no attributions. Invented sentences, read by the default pipeline."""

from __future__ import annotations

import pytest

from sayso import analyse
from sayso.pipeline import load_pipeline
from sayso.schema import CLAIM_KINDS


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def kinds_by_content(text: str, nlp) -> dict[str, str]:
    report = analyse(text, nlp)
    return {a.content.text: a.kind for a in report.attributions}


def kind_of(text: str, needle: str, nlp) -> str | None:
    """The kind of the attribution whose content contains ``needle`` (None when there is none)."""
    found = [k for c, k in kinds_by_content(text, nlp).items() if needle in c]
    return found[0] if found else None


def test_a_plan_reported_by_someone_is_their_claim(nlp):
    text = "The ferry operator plans to add two routes next year, its director said."
    assert kind_of(text, "add two routes", nlp) == "indirect"


def test_statements_stay_claims(nlp):
    text = (
        "Mayor Lena Ortiz said the bridge would reopen in May.\n\n"
        "“We are ready,” Ortiz told reporters.\n\n"
        "The harbour authority denied the report.\n\n"
        "According to the regional council, the repairs cost 4 million euros."
    )
    assert kind_of(text, "bridge would reopen", nlp) == "indirect"
    assert kind_of(text, "We are ready", nlp) == "direct"
    assert kind_of(text, "repairs cost", nlp) == "according_to"


@pytest.mark.parametrize(
    ("text", "needle", "kind"),
    [
        ("The ferry operator plans to add two routes next year.", "add two routes", "belief"),
        ("Engineer Tomas Vik hopes that the new crane will be delivered before winter.", "crane", "belief"),
        ("Councillor Mara Jensen declined to say when the vote would take place.", "vote would", "topic"),
        ("The port director did not disclose how many containers were lost.", "containers", "topic"),
        ("The shipping firm announced a new partnership with a rail operator.", "partnership", "topic"),
    ],
)
def test_beliefs_and_topics_are_not_claims(nlp, text, needle, kind):
    got = kind_of(text, needle, nlp)
    assert got is None or got == kind, got
    assert got not in CLAIM_KINDS


def test_capitals_teaser_and_own_voice_are_no_attributions(nlp):
    text = (
        "The inspector said the crane had passed every test.\n\n"
        "HARBOUR CHIEF SAYS NEW TERMINAL WILL DOUBLE CAPACITY\n\n"
        "We rate the statement Half True."
    )
    kinds = kinds_by_content(text, nlp)
    assert any("crane had passed" in c for c in kinds)
    assert not any("TERMINAL" in c for c in kinds)
    assert not any("Half True" in c for c in kinds)


def test_quoted_first_person_is_a_speaker(nlp):
    text = "“We rate the risk as low,” the harbour master said."
    assert kind_of(text, "rate the risk", nlp) == "direct"


def test_headline_kicker_and_comparison_are_not_speech(nlp):
    text = (
        "Minister Erik Dahl: We will not give in\n\n"
        "The levy is higher than the cartel suggests, the port authority said.\n\n"
        "Dahl said the levy would stay."
    )
    kinds = kinds_by_content(text, nlp)
    assert not any("give in" in c or c.startswith("We will not") for c in kinds)
    assert not any(c.startswith("the cartel") for c in kinds)
    assert any("levy would stay" in c for c in kinds)


def test_a_quotation_is_not_given_to_a_source_that_had_no_comment():
    from sayso import analyse

    report = analyse(
        "A company spokesperson said in an email that “we have received an inquiry from the regulator and are "
        "cooperating.” The regulator’s office had no comment.\n\nThe minister declined to comment on the talks."
    )
    names = {s.id: s.name for s in report.sources}
    quoted = [a for a in report.attributions if "received an inquiry" in a.content.text]
    assert len(quoted) == 1 and "spokesperson" in names[quoted[0].source]
    # a refusal stays, as what it is: a topic, not a claim
    assert [a.kind for a in report.attributions if a.cue and "declined" in a.cue.text] == ["topic"]


def test_a_name_in_the_speakers_relative_clause_is_not_the_speaker():
    from sayso import analyse

    report = analyse(
        "Job cuts will be announced this week, said the group's executive chair Marcelo Claure in an email.\n\n"
        "“We are going to scale back certain functions,” added Claure, who is also an executive at SoftBank."
    )
    names = {s.id: s.name for s in report.sources}
    assert [names[a.source] for a in report.attributions] == ["Marcelo Claure", "Marcelo Claure"]
    assert report.attributions[0].content.text == "Job cuts will be announced this week"


def test_a_time_alone_is_no_content_and_a_related_link_is_no_speech():
    from sayso import analyse

    report = analyse(
        "In the morning, lawmakers questioned an aide.\n\n"
        "Later in the day, Kurt Volker, a former envoy, testified before the committee.\n\n"
        "Also on rt.com Journalists from the party threatened with sedition arrests as the country purges rivals\n\n"
        "The envoy said the transcript was accurate."
    )
    claims = [a for a in report.attributions if a.kind in ("direct", "indirect", "mixed", "according_to")]
    assert [a.content.text for a in claims] == ["the transcript was accurate"]
    assert all("sedition" not in a.content.text for a in report.attributions)
