"""views/workbook_words: the labels a workbook's drop-down lists show, read
back as exactly one value each; a large partnership's list of roles."""

from __future__ import annotations

import datetime

import pytest
from conftest import EXAMPLES

from policycoord.model.model import Model
from policycoord.views import workbook_words
from policycoord.views.choices import Choice, Choices, choices_for
from policycoord.views.workbook_words import (
    ExportedWords,
    named_roles,
    receiving_roles,
    words_for,
)
from policycoord.workflows.pipeline import Options, load_model


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model([str(EXAMPLES)], options=Options(today=datetime.date(2026, 11, 24)))


def test_labels_read_back_as_their_values(model: Model) -> None:
    words = words_for(choices_for(model), "st-marys-primary")
    mash = "Northshire Council Children's Services: Multi-Agency Safeguarding Hub"
    assert words.shown("role-target", "northshire-cs/mash") == mash
    assert words.value("role-target", mash) == "northshire-cs/mash"
    assert words.value("own-role", words.shown("own-role", "dsl")) == "dsl"
    assert words.value("raci", "Accountable (owns it and answers for it)") == "accountable"
    assert words.value("role-target", "not a label") == "not a label"
    for kind, labels in words.lists.items():
        assert len(set(labels)) == len(labels), kind


def test_a_shared_label_is_told_apart_by_its_value() -> None:
    roles = (Choice("a/x", "Lead"), Choice("b/y", "Lead"), Choice("c/z", ""))
    empty: tuple[Choice, ...] = ()
    choices = Choices(empty, empty, empty, empty, empty, empty, empty, roles={"o": roles})
    words = words_for(choices, "o")
    assert words.lists["own-role"] == ("Lead (x)", "Lead (y)", "z")
    assert words.value("own-role", "Lead (y)") == "y"


def test_a_large_partnership_offers_the_roles_that_receive_and_those_named(
    model,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    choices = choices_for(model)
    everything = words_for(choices, "riverside-fc").lists["role-target"]
    monkeypatch.setattr(workbook_words, "MAX_ROLE_TARGETS", 3)
    receivers = receiving_roles(model) | named_roles(model, "riverside-fc")
    offered = words_for(choices, "riverside-fc", receivers).lists["role-target"]
    assert len(offered) < len(everything)
    own = len(choices.own_roles("riverside-fc"))
    values = [
        words_for(choices, "riverside-fc", receivers).value("role-target", label)
        for label in offered
    ]
    assert set(values[own:]) <= receivers and "northshire-cs/mash" in values
    assert "northshire-cs/front-door" in named_roles(model, "riverside-fc")


def test_a_returned_workbooks_own_lists_come_first(model: Model) -> None:
    current = words_for(choices_for(model), "st-marys-primary")
    words = ExportedWords({"own-role": {"Head (old title)": "headteacher"}}, current)
    assert words.value("own-role", "Head (old title)") == "headteacher"
    assert words.shown("own-role", "headteacher") == "Head (old title)"
    assert words.shown("own-role", "dsl") == current.shown("own-role", "dsl")
