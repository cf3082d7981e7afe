"""Which organisation a file that could not be read says it is
(input/loading/claims.py): its problems are reported under it."""

from __future__ import annotations

import pytest

from policycoord.input.loading import load_bytes
from policycoord.input.loading.claims import LOOKED_AT, claimed_organisation


@pytest.mark.parametrize(
    ("text", "claimed"),
    [
        ("organisation: {id: riverside-surgery, name: Riverside\nroles: [\n", "riverside-surgery"),
        ("policycoord: 1\norganisation:\n  name: St Mary's\n  id: st-marys\nroles: [", "st-marys"),
        ("organisation:  # who we are\n\n  id: 'abc-1'  # our id\n", "abc-1"),
        ('organisation: {name: "A, B", id: "q"}\n', "q"),
        ("roles:\n  - id: dsl\n", None),  # a role's id is not the organisation's
        ("organisation:\n  name: x\nroles:\n  - id: dsl\n", None),
        ("organisation: {id: Not An Id}\n", None),
        ("", None),
        # many blank and space-only lines: linear, never backtracking without end
        ("organisation:\n" + "  \n" * 5000 + "x", None),
        ("organisation:\n" + " \t\n  a\n" * 5000 + "  id: late-but-fine\n", "late-but-fine"),
    ],
)
def test_the_id_the_readable_part_names(text: str, claimed: str | None) -> None:
    assert claimed_organisation(text) == claimed


def test_only_the_start_of_a_huge_file_is_looked_at() -> None:
    text = "#" * LOOKED_AT + "\norganisation: {id: late}\n"
    assert claimed_organisation(text) is None


def test_a_file_that_does_not_parse_carries_its_claim() -> None:
    loaded = load_bytes(b"organisation: {id: north-gp, name: X\nroles: [\n", "orgs/a.yaml")
    assert not loaded.loaded
    assert loaded.claimed == "north-gp"


def test_a_file_that_is_not_utf8_carries_its_claim() -> None:
    loaded = load_bytes(b"organisation: {id: north-gp, name: Caf\xe9}\n", "orgs/a.yaml")
    assert loaded.problems[0][0] == "PC001"
    assert loaded.claimed == "north-gp"


def test_a_file_that_parses_claims_nothing() -> None:
    assert load_bytes(b"organisation: {id: north-gp}\n", "orgs/a.yaml").claimed is None
