"""Unit tests of the claim ledger's building blocks (sayso.claims), on invented text."""

from __future__ import annotations

from sayso.claims import (
    amounts,
    fold_name,
    is_anaphoric,
    normalised_text,
    numbers_in,
    same_amount,
    same_origin,
)
from sayso.schema import Article, Quantity, Report


def test_numbers_meet_whatever_their_writing():
    assert numbers_in("300,000 soldiers") == numbers_in("300 000 soldiers") == {300000.0}
    assert numbers_in("three hundred thousand soldiers") == {300000.0}
    assert numbers_in("one hundred and twenty tanks") == {120.0}
    assert normalised_text("some two billion crowns") == "some 2000000000 crowns"


def test_years_are_no_amounts():
    text = "In 2024 the army bought 40 tanks"
    report = Report(article=Article(text=text))
    assert amounts(report, 0, len(text), text) == {(40.0, "")}


def test_amounts_compare_by_value_and_unit():
    text = "about 40 kilometres"
    q = Quantity(id="q1", start=6, end=19, text="40 kilometres", value=40, unit="km")
    report = Report(article=Article(text=text), quantities=[q])
    km = amounts(report, 0, len(text), text)
    assert km == {(40.0, "km")}
    assert not same_amount(km, {(40.0, "tank")})
    assert same_amount(km, {(40.0, "")})
    assert same_amount({(300000.0, "soldier")}, {(300000.0, "target")})  # a large value is distinctive


def test_spelling_variants_fold_together():
    assert fold_name("The Kessby Post’s") == fold_name("Kesby Post") == "kesby post"
    assert same_origin("named:bohdan lysak", "named:bogdan lysak")
    assert not same_origin("named:bohdan lysak", "named:marta lysak")


def test_anonymous_descriptions_of_one_group_are_one_origin():
    assert same_origin("anon:brodsk lantern:official:ministry", "anon:brodsk lantern:official:")
    assert not same_origin("anon:brodsk lantern:official:ministry", "anon:kestrel daily:official:ministry")
    assert not same_origin("anon:brodsk lantern:official:ministry", "anon:brodsk lantern:source:ministry")


def test_anaphoric_denials():
    assert is_anaphoric("the report")
    assert is_anaphoric("Therefore, this demand from the military is being pushed aside")
    assert not is_anaphoric("the tanks are being pushed aside")
    assert not is_anaphoric("Norrvik plans to buy 40 tanks")
