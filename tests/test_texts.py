"""The free texts the jargon checks read: every prose field, never ids."""

from __future__ import annotations

import datetime
from pathlib import Path

from policycoord.pipeline import Options, load_model
from policycoord.texts import free_texts

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "policies"


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
