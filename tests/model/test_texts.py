"""The free texts the jargon checks read: every prose field, never ids."""

from __future__ import annotations

import datetime
from pathlib import Path

from conftest import PROJECT_ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from policycoord.model.texts import free_texts
from policycoord.workflows.pipeline import Options, load_model

EXAMPLES = PROJECT_ROOT / "examples" / "policies"


def test_texts_of_the_example_cover_prose_and_never_ids() -> None:
    model = load_model([str(EXAMPLES)], options=Options(today=datetime.date(2026, 11, 24)))
    texts = list(free_texts(model))
    fields = {t.field for t in texts}
    assert {"name", "title", "meaning", "action", "purpose", "text", "summary"} <= fields
    ids = {org.id for org in model.organisations}
    assert not any(t.text in ids for t in texts)  # an id is never read as prose
    # every location points at the field, in the file that holds it
    for text in texts:
        where = text.location
        assert where.line >= 1 and where.pointer.endswith("/" + text.field)
    outgoing = {t.field for t in texts if t.outgoing}
    assert outgoing <= {"action", "purpose", "basis", "text"}
    assert "text" in outgoing  # commitments go to the partnership


def test_an_action_on_a_step_inside_the_organisation_is_not_outgoing(tmp_path: Path) -> None:
    (tmp_path / "partnership.yaml").write_text(
        "policycoord: 1\npartnership: {id: p, name: P}\n", encoding="utf-8"
    )
    (tmp_path / "a.yaml").write_text(
        "policycoord: 1\norganisation: {id: a, name: A, sector: education}\n"
        "roles: [{id: dsl, title: DSL}]\n"
        "escalations:\n  - concern: harm\n    steps:\n"
        "      - {to: dsl, action: Tell the DSL}\n"
        "      - {to: cs/mash, action: Phone the MASH}\n",
        encoding="utf-8",
    )
    model = load_model([str(tmp_path)])
    actions = [(t.text, t.outgoing) for t in free_texts(model) if t.field == "action"]
    assert actions == [("Tell the DSL", False), ("Phone the MASH", True)]


def test_each_different_text_is_read_once_and_applied_to_every_place(tmp_path: Path) -> None:
    """The jargon rules read each different text once (texts.distinct_texts);
    what they report is still per place and per organisation: the same
    sentence is undefined jargon in one policy and defined in another's
    glossary, used twice in a third, and an avoided term in each."""
    from policycoord.checks.engine import Config, Selection, run
    from policycoord.model.texts import distinct_texts

    (tmp_path / "partnership.yaml").write_text(
        "policycoord: 1\npartnership: {id: p, name: P, members: [a, b, c]}\n"
        "glossary: [{term: DSL, meaning: Designated Safeguarding Lead}]\n",
        encoding="utf-8",
    )
    said = "The SPOC tells the DSL about child prostitution."
    for org, extra in (
        ("a", ""),
        ("b", "glossary: [{term: SPOC, meaning: Single point of contact}]\n"),
        ("c", f"summary: {said}\n"),
    ):
        (tmp_path / f"{org}.yaml").write_text(
            f"policycoord: 1\norganisation: {{id: {org}, name: Org {org}, sector: education}}\n"
            f"roles: [{{id: dsl, title: {said}}}]\n{extra}",
            encoding="utf-8",
        )
    model = load_model([str(tmp_path)], options=Options(today=datetime.date(2026, 11, 24)))
    texts = free_texts(model)
    distinct = distinct_texts(model)
    assert [distinct.texts[i] for i in distinct.of] == [t.text for t in texts]
    assert len(distinct.texts) == len({t.text for t in texts}) < len(texts)
    outcome = run(model, Config(selection=Selection(select=("PC301", "PC303"))))
    found = [(f.code, f.organisation, f.location.path, f.message) for f in outcome.findings]
    acronyms = [(org, path, message) for code, org, path, message in found if code == "PC301"]
    assert [(org, path) for org, path, _ in acronyms] == [("a", "a.yaml"), ("c", "c.yaml")]
    assert "(only here)" in acronyms[0][2]
    assert "(first here; 1 more use)" in acronyms[1][2]
    avoided = [(org, path) for code, org, path, _ in found if code == "PC303"]
    assert avoided == [("a", "a.yaml"), ("b", "b.yaml"), ("c", "c.yaml"), ("c", "c.yaml")]


@settings(max_examples=400, derandomize=True, database=None)
@given(st.text(alphabet=st.sampled_from("ABCDS s&0129a_-\n(é")))
def test_the_fast_acronym_search_finds_what_the_plain_pattern_does(text: str) -> None:
    from policycoord.model.texts import ACRONYM, ACRONYM_SEARCH

    plain = [(m.span(), m.group(1)) for m in ACRONYM.finditer(text)]
    assert [(m.span(), m.group(1)) for m in ACRONYM_SEARCH.finditer(text)] == plain
