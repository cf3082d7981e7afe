"""What a person may choose from (views/choices.py): the lists the browser
workspace's forms, the workbooks' drop-downs and the editor's completions
share."""

from __future__ import annotations

import datetime
from pathlib import Path

from conftest import EXAMPLES, TODAY

from policycoord.input.validation.schemas import schema
from policycoord.views.choices import Choice, Choices, choices_for, enum_choices, timeframe_in_words
from policycoord.workflows.pipeline import Options, load_model


def _choices() -> Choices:
    model = load_model([str(EXAMPLES)], options=Options(today=datetime.date.fromisoformat(TODAY)))
    return choices_for(model)


def test_other_organisations_roles_are_offered_by_name() -> None:
    choices = _choices()
    mash = choices.find(choices.roles["northshire-cs"], "northshire-cs/mash")
    assert mash is not None
    assert mash.label == "Northshire Council Children's Services: Multi-Agency Safeguarding Hub"
    assert mash.detail == "office hours only"
    edt = choices.find(choices.roles["northshire-cs"], "northshire-cs/edt")
    assert edt is not None and edt.detail == "reachable 24/7"


def test_a_step_offers_own_roles_bare_then_everyone_elses_in_full() -> None:
    choices = _choices()
    targets = choices.role_targets("northshire-cs")
    own = [choice.value for choice in targets if "/" not in choice.value]
    assert "mash" in own and "edt" in own
    first_other = next(i for i, choice in enumerate(targets) if "/" in choice.value)
    assert all("/" not in choice.value for choice in targets[:first_other])
    assert not any(choice.value.startswith("northshire-cs/") for choice in targets)
    mash = choices.find(choices.own_roles("northshire-cs"), "mash")
    assert mash is not None and not mash.label.startswith("Northshire")


def test_duties_and_concerns_come_from_the_partnership_in_its_order() -> None:
    choices = _choices()
    model = load_model([str(EXAMPLES)], options=Options(today=datetime.date.fromisoformat(TODAY)))
    assert model.partnership is not None and model.partnership.duties is not None
    assert [c.value for c in choices.duties] == [d.id for d in model.partnership.duties]
    assert choices.find(choices.concerns, "significant-harm") is not None


def test_enums_are_the_schemas_own_so_a_new_value_needs_no_code() -> None:
    sectors = schema("policy")["$defs"]["sector"]["enum"]
    assert [c.value for c in enum_choices("sector")] == sectors
    assert [c.value for c in enum_choices("hours")] == ["office", "24/7"]
    assert enum_choices("raci")[1] == Choice(
        "accountable", "Accountable (owns it and answers for it)"
    )
    assert enum_choices("no-such-enum") == ()


def test_senders_offer_anyone_sectors_and_members() -> None:
    values = [c.value for c in _choices().senders()]
    assert values[0] == "*" and "education" in values and "northshire-cs" in values


def test_a_timeframe_explains_itself_as_it_is_typed() -> None:
    assert timeframe_in_words("1 working day").startswith(
        "1 working day: up to 96 hours over a bank-holiday weekend"
    )
    assert timeframe_in_words("24 hours") == "24 hours: at most 24 hours, day or night"
    assert timeframe_in_words("2 weeks") == "2 weeks: at most 14 days, day or night"
    assert timeframe_in_words("immediately") == "immediately: without any wait"
    assert "not a timeframe" in timeframe_in_words("asap")
    assert timeframe_in_words("  ").startswith("Write immediately")


def test_the_choices_of_a_recheck_take_unchanged_organisations_roles_and_no_stale_ones(
    tmp_path: Path,
) -> None:
    """`choices_for(model, earlier)` is `choices_for(model)`: the roles of an
    organisation whose file was read again are made again, the others are
    the earlier check's own tuples."""
    import shutil

    from policycoord.workflows.workspace import Workspace

    shutil.copytree(EXAMPLES, tmp_path / "p")
    workspace = Workspace(tmp_path / "p")
    first = workspace.check()
    earlier = choices_for(first.model)
    changed = first.model.by_id["northshire-cs"]
    path = workspace.path(changed.path)
    text = path.read_text(encoding="utf-8")
    assert "Multi-Agency Safeguarding Hub" in text
    path.write_text(text.replace("Multi-Agency Safeguarding Hub", "Front Door"), encoding="utf-8")
    after = workspace.reread([path])
    reused = choices_for(after.model, (first.model, earlier))
    assert reused == choices_for(after.model)
    mash = reused.find(reused.roles["northshire-cs"], "northshire-cs/mash")
    assert mash is not None and mash.label.endswith(": Front Door")
    kept = [org for org in reused.roles if org != "northshire-cs"]
    assert kept and all(reused.roles[org] is earlier.roles[org] for org in kept)


def test_each_chosen_key_has_its_reference_from_the_shipped_schemas() -> None:
    from policycoord.views.choices import references_by_key

    policy = references_by_key("policy")
    assert policy == {
        "concern": "concernId",
        "deputy": "roleId",
        "duty": "dutyId",
        "from": "sender",
        "hours": "hours",
        "out_of_hours": "roleRef",
        "raci": "raci",
        "role": "roleId",
        "sector": "sector",
        "theme": "themeId",
        "to": "roleRef",
        "with": "organisationId",
    }
    partnership = references_by_key("partnership")
    assert partnership["applies_to"] == "sector"  # a list's items
    assert partnership["must_reach"] == "roleRef"
    assert partnership["members"] == partnership["approved_by"] == "organisationId"
    assert partnership["code"] == "findingCode"
    # a concern's `out_of_hours` is `required`/`not-required`, not a role
    assert "out_of_hours" not in partnership and "id" not in partnership


def test_one_mapping_from_a_reference_to_its_choices() -> None:
    from policycoord.views.choices import REFERENCES, for_reference

    choices = _choices()
    assert for_reference(choices, "roleId", "st-marys-primary") == choices.own_roles(
        "st-marys-primary"
    )
    targets = for_reference(choices, "roleRef", "st-marys-primary")
    assert targets is not None and "northshire-cs/mash" in [c.value for c in targets]
    assert "dsl" in [c.value for c in targets]  # its own roles, bare
    everyone = for_reference(choices, "roleRef", None)  # the partnership file
    assert everyone is not None and all("/" in c.value for c in everyone)
    assert for_reference(choices, "sector", None) == choices.sectors
    assert for_reference(choices, "sender", None) == choices.senders()
    assert for_reference(choices, "timeframe", None) is None
    codes = for_reference(choices, "findingCode", None)
    assert codes is not None and codes[0].label.startswith(codes[0].value + " ")
    for reference in REFERENCES:
        assert for_reference(choices, reference, "st-marys-primary") is not None
