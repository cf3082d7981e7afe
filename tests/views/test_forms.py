"""The forms of the browser workspace (views/forms/): generated from the
shipped schemas for every section of both kinds of file, with the
partnership's choices, read back exactly as the file held them when nothing
changed, list buttons without script, problems in words, and hostile text
shown, never obeyed.

Submissions are what a browser would send for the form as rendered
(form_submission.py reads the HTML), so these tests hold the template and
the reading together."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import functools
from pathlib import Path
from typing import Any

import pytest
from conftest import ACCEPTANCE, EXAMPLES, TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policycoord.views.forms as forms_module
from policycoord.core.errors import PolicycoordError
from policycoord.input.loading import load_file
from policycoord.input.validation.schemas import schema
from policycoord.output.forms import render_form_html
from policycoord.views.choices import Choice, Choices, choices_for, timeframe_in_words
from policycoord.views.forms import Field, Form, field_id, form_for, read_form, sections
from policycoord.views.forms.values import decode, encode
from policycoord.workflows.pipeline import Options, load_model
from views.form_submission import submission, typed

ST_MARYS = EXAMPLES / "orgs" / "st-marys-primary.yaml"


@functools.cache
def choices() -> Choices:
    model = load_model([str(EXAMPLES)], options=Options(today=datetime.date.fromisoformat(TODAY)))
    return choices_for(model)


def data_of(path: Path) -> dict[str, Any]:
    data = load_file(path, str(path)).data
    assert isinstance(data, dict)
    return data


def kind_of(data: dict[str, Any]) -> str:
    return "partnership" if "partnership" in data else "policy"


def organisation_of(data: dict[str, Any]) -> str | None:
    organisation = data.get("organisation")
    return organisation.get("id") if isinstance(organisation, dict) else None


def example_files() -> list[Path]:
    found = sorted(EXAMPLES.rglob("*.yaml")) + sorted(ACCEPTANCE.rglob("*.yaml"))
    return [path for path in found if isinstance(load_file(path, str(path)).data, dict)]


_FROM_FILE: Any = object()


def policy_form(
    section: str, data: Any = _FROM_FILE, organisation: str = "st-marys-primary"
) -> Form:
    """The form of a section of St Mary's policy (or of `data`)."""
    if data is _FROM_FILE:
        data = data_of(ST_MARYS).get(section)
    return form_for("policy", section, data, choices(), organisation)


def sent(form: Form) -> dict[str, list[str]]:
    """What a browser sends for `form` as the page draws it."""
    return submission(render_form_html(form, "token", "/save"))


def field(form: Form, name: str) -> Field:
    return next(found for found in form.walk() if found.name == name)


def round_trip(kind: str, section: str, value: Any, organisation: str | None) -> Any:
    form = form_for(kind, section, value, choices(), organisation)
    result = read_form(form, sent(form))
    assert result.action is None
    return result.data


# -- generated from the schema ------------------------------------------------


@pytest.mark.parametrize("kind", ["policy", "partnership"])
def test_every_section_of_both_kinds_has_a_form_with_a_label_on_every_field(kind: str) -> None:
    path = ST_MARYS if kind == "policy" else EXAMPLES / "partnership.yaml"
    data = data_of(path)
    assert sections(kind) == tuple(schema(kind)["properties"])
    for section in sections(kind):
        form = form_for(kind, section, data.get(section), choices(), organisation_of(data))
        assert form.root.name == f"/{section}"
        for found in form.walk():
            assert found.label.strip(), found.name
            assert found.label != found.key, f"{found.name} is labelled with its raw key"
            assert found.name.startswith(f"/{section}")


def test_every_field_of_spec_2_2_is_in_the_policy_forms() -> None:
    data = data_of(ST_MARYS)
    names = set()
    for section in sections("policy"):
        form = form_for("policy", section, data.get(section), choices(), "st-marys-primary")
        names.update(found.name for found in form.walk())
    for expected in (
        "/organisation/id",
        "/organisation/name",
        "/organisation/sector",
        "/organisation/review/approved",
        "/organisation/review/next_review",
        "/roles/0/id",
        "/roles/0/title",
        "/roles/0/contact/phone",
        "/roles/0/contact/email",
        "/roles/0/contact/hours",
        "/roles/0/deputy",
        "/responsibilities/0/duty",
        "/responsibilities/0/role",
        "/responsibilities/0/raci",
        "/responsibilities/0/within",
        "/responsibilities/0/notes",
        "/escalations/0/concern",
        "/escalations/0/steps/0/to",
        "/escalations/0/steps/0/within",
        "/escalations/0/steps/0/action",
        "/escalations/0/steps/0/out_of_hours",
        "/glossary/0/term",
        "/glossary/0/meaning",
        "/sharing/0/with",
        "/sharing/0/purpose",
        "/sharing/0/basis",
        "/commitments/0/theme",
        "/commitments/0/text",
        "/summary",
    ):
        assert expected in names, expected


def test_kinds_follow_the_schema() -> None:
    escalations = policy_form("escalations")
    assert field(escalations, "/escalations").kind == "list"
    assert field(escalations, "/escalations/0/steps").kind == "list"
    assert field(escalations, "/escalations/0/steps").min_items == 1
    assert field(escalations, "/escalations/0/steps/0/within").kind == "timeframe"
    assert field(escalations, "/escalations/0/steps/0/to").kind == "select"
    assert field(escalations, "/escalations/0/steps/0/action").kind == "textarea"
    organisation = policy_form("organisation")
    assert field(organisation, "/organisation/review/approved").kind == "date"
    assert field(organisation, "/organisation/sector").kind == "select"
    assert field(organisation, "/organisation/id").required
    assert not field(organisation, "/organisation/review").required
    roles = policy_form("roles")
    role_id = field(roles, "/roles/0/id")
    assert role_id.pattern == "^[a-z0-9][a-z0-9-]{0,63}$"
    assert "lower-case letters" in role_id.pattern_message
    assert role_id.help.startswith("The role's id")
    version = form_for("policy", "policycoord", 1, choices(), "st-marys-primary").root
    assert version.fixed and version.enum == (1,)


def test_a_new_schema_property_appears_with_no_new_code(monkeypatch: pytest.MonkeyPatch) -> None:
    patched = copy.deepcopy(schema("policy"))
    patched["$defs"]["role"]["properties"]["pager"] = {
        "description": "A pager number for the role.",
        "type": "string",
    }
    patched["$defs"]["contact"]["properties"]["languages"] = {
        "description": "Languages the role can help in.",
        "type": "array",
        "items": {"type": "string"},
    }
    monkeypatch.setattr(forms_module, "schema", lambda kind: patched)
    roles = data_of(ST_MARYS)["roles"]
    form = policy_form("roles", roles)
    pager = field(form, "/roles/0/pager")
    assert (pager.kind, pager.label, pager.help) == (
        "text",
        "Pager",
        "A pager number for the role.",
    )
    assert field(form, "/roles/0/contact/languages").kind == "list"
    submitted = sent(form)
    submitted["/roles/0/pager"] = ["07700 900123"]
    result = read_form(form, submitted)
    assert result.data[0]["pager"] == "07700 900123"
    assert result.data[1:] == roles[1:]


def test_an_unknown_section_or_kind_is_refused_in_words() -> None:
    with pytest.raises(PolicycoordError, match="no section called"):
        form_for("policy", "nonsense", None, choices(), None)
    with pytest.raises(PolicycoordError, match="forms are for"):
        form_for("workbook", "roles", None, choices(), None)


# -- choices ------------------------------------------------------------------


def test_roles_are_offered_by_name_own_first_then_every_other_organisation() -> None:
    step = field(policy_form("escalations"), "/escalations/0/steps/1/to")
    labels = {choice.value: choice for choice in step.choices}
    mash = labels["northshire-cs/mash"]
    assert mash.label == "Northshire Council Children's Services: Multi-Agency Safeguarding Hub"
    assert mash.group == "Northshire Council Children's Services"
    assert labels["dsl"].label.startswith("Designated Safeguarding Lead")
    assert step.choices[0].value in ("dsl", "ddsl", "headteacher")
    assert not step.suggestions
    out_of_hours = field(policy_form("escalations"), "/escalations/0/steps/0/out_of_hours")
    assert out_of_hours.choices == step.choices
    deputy = field(policy_form("roles"), "/roles/0/deputy")
    assert [choice.value for choice in deputy.choices] == ["dsl", "ddsl", "headteacher"]


def test_duties_concerns_themes_sectors_and_raci_come_from_their_sources() -> None:
    responsibility = policy_form("responsibilities")
    duty = field(responsibility, "/responsibilities/0/duty")
    assert duty.choices == choices().duties
    raci = field(responsibility, "/responsibilities/0/raci")
    assert [choice.label for choice in raci.choices][
        1
    ] == "Accountable (owns it and answers for it)"
    assert field(policy_form("escalations"), "/escalations/0/concern").choices == choices().concerns
    theme = field(policy_form("commitments"), "/commitments/0/theme")
    assert theme.choices == choices().themes
    sector = field(policy_form("organisation"), "/organisation/sector")
    assert [choice.value for choice in sector.choices] == schema("policy")["$defs"]["sector"][
        "enum"
    ]


def test_senders_are_a_multiselect_and_organisations_free_text_with_suggestions() -> None:
    receives = data_of(EXAMPLES / "orgs" / "northshire-cs.yaml")["receives"]
    form = form_for("policy", "receives", receives, choices(), "northshire-cs")
    senders = field(form, "/receives/0/from")
    assert senders.kind == "multiselect"
    assert senders.selected == tuple(receives[0]["from"])
    assert senders.choices[: len(receives[0]["from"])] == tuple(
        choice
        for value in receives[0]["from"]
        for choice in choices().senders()
        if choice.value == value
    )
    assert {choice.value for choice in choices().senders()} <= {c.value for c in senders.choices}
    sharing = field(policy_form("sharing"), "/sharing/0/with")
    assert sharing.suggestions and sharing.kind == "text"
    assert sharing.choices == choices().organisations


def test_partnership_forms_offer_what_the_partnership_refers_to() -> None:
    data = data_of(EXAMPLES / "partnership.yaml")
    duties = form_for("partnership", "duties", data["duties"], choices(), None)
    assert field(duties, "/duties/0/id").choices == ()  # its own id: free text
    assert field(duties, "/duties/0/scope").kind == "select"
    assert field(duties, "/duties/0/max_within").kind in ("timeframe",)
    concerns = form_for("partnership", "concerns", data["concerns"], choices(), None)
    must_reach = field(concerns, "/concerns/0/must_reach")
    assert must_reach.kind == "multiselect"
    assert "northshire-cs/mash" in {choice.value for choice in must_reach.choices}
    rules = form_for("partnership", "rules", data.get("rules"), choices(), None)
    severity = field(rules, "/rules/severity/PC301")
    assert severity.label == "PC301 undefined-acronym"
    assert severity.choices[0].label == "Error (must be fixed)"
    waivers = form_for("partnership", "waivers", data.get("waivers"), choices(), None)
    code = field(waivers, "/waivers/0/code")
    assert code.kind == "select" and code.choices[0].label.startswith("PC001 ")
    assert field(waivers, "/waivers/0/expires").kind == "date"


def test_a_value_not_among_the_choices_is_still_shown_and_kept() -> None:
    steps = [{"concern": "significant-harm", "steps": [{"to": "gone-org/old-team"}]}]
    form = policy_form("escalations", steps)
    target = field(form, "/escalations/0/steps/0/to")
    assert target.choices[0].value == "gone-org/old-team"
    assert "not in the list" in target.choices[0].label
    assert round_trip("policy", "escalations", steps, "st-marys-primary") == steps


def test_a_timeframe_explains_itself() -> None:
    within = field(policy_form("responsibilities"), "/responsibilities/0/within")
    assert within.explanation == timeframe_in_words("immediately")
    form = policy_form(
        "receives", [{"concern": "significant-harm", "role": "dsl", "within": "1 working day"}]
    )
    explained = field(form, "/receives/0/within").explanation
    assert explained.startswith("1 working day: up to 96 hours over a bank-holiday weekend")
    assert forms_module.timeframe_help("1 working day") == explained


# -- reading back -------------------------------------------------------------


@pytest.mark.parametrize(
    "path", example_files(), ids=lambda path: str(path.relative_to(path.parents[2]))
)
def test_every_section_of_every_example_comes_back_exactly(path: Path) -> None:
    data = data_of(path)
    kind = kind_of(data)
    for section in sections(kind):
        value = data.get(section)
        back = round_trip(kind, section, value, organisation_of(data))
        assert typed(back) == typed(value), section


#: Values a file may hold that the controls cannot show as they are.
_ODD = st.one_of(
    st.sampled_from(
        [
            "",
            None,
            24,
            True,
            1.5,
            datetime.date(2026, 9, 1),
            "2026-09-01",
            "two\nlines",
            "crlf\r\nline",
            "  spaced  ",
            "<script>alert(1)</script>",
            "bidi \u202etxt.exe",
            "esc \x1b[31mred",
            "zero\u200bwidth",
            '"><img src=x onerror=alert(1)>',
            {"nested": [1, "two"]},
            [],
            {},
            ["a", "a"],
        ]
    ),
    st.text(max_size=20),
)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_leaves(item, (*path, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_leaves(item, (*path, index)))
    return found


def _put(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    value = copy.deepcopy(value)
    node = value
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = new
    return value


_SECTIONS = [
    (path, section) for path in example_files() for section in sections(kind_of(data_of(path)))
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(_SECTIONS), data=st.data())
def test_unchanged_submission_gives_back_exactly_what_the_file_held(
    case: tuple[Path, str], data: st.DataObject
) -> None:
    """Property: for any section of any example, with any value put anywhere
    in it (or a key the schema lacks added to any mapping), a submission of
    the form as drawn gives the value back, types included."""
    path, section = case
    document = data_of(path)
    value = document.get(section)
    places = _leaves(value)
    place = data.draw(st.sampled_from(places))
    odd = data.draw(_ODD)
    if data.draw(st.booleans()):
        value = _put(value, place, odd)
    else:
        target = value
        for step in place:
            target = target[step]
        if isinstance(target, dict):
            value = _put(value, (*place, data.draw(st.sampled_from(["zz-extra", 7, None]))), odd)
    back = round_trip(kind_of(document), section, value, organisation_of(document))
    assert typed(back) == typed(value)


def test_an_emptied_optional_field_is_left_out_not_written_empty() -> None:
    form = policy_form("roles")
    submitted = sent(form)
    submitted["/roles/0/contact/phone"] = [""]
    submitted["/roles/0/deputy"] = [""]
    result = read_form(form, submitted)
    assert "phone" not in result.data[0]["contact"]
    assert "deputy" not in result.data[0]
    assert result.problems == ()
    submitted["/roles/0/contact/email"] = [""]
    submitted["/roles/0/contact/hours"] = [""]
    assert "contact" not in read_form(form, submitted).data[0]


def test_dates_stay_dates_and_quoted_dates_stay_text() -> None:
    organisation = data_of(ST_MARYS)["organisation"]
    form = policy_form("organisation", organisation)
    submitted = sent(form)
    submitted["/organisation/review/next_review"] = ["2028-01-31"]
    review = read_form(form, submitted).data["review"]
    assert review["next_review"] == datetime.date(2028, 1, 31)
    assert review["approved"] == datetime.date(2026, 9, 1)
    quoted = {**organisation, "review": {"approved": "2026-09-01"}}
    form = policy_form("organisation", quoted)
    submitted = sent(form)
    submitted["/organisation/review/approved"] = ["2026-10-01"]
    assert read_form(form, submitted).data["review"]["approved"] == "2026-10-01"


def test_a_changed_value_is_taken_as_typed_and_a_multiselect_in_its_order() -> None:
    receives = data_of(EXAMPLES / "orgs" / "northshire-cs.yaml")["receives"]
    form = form_for("policy", "receives", receives, choices(), "northshire-cs")
    submitted = sent(form)
    submitted["/receives/0/from"] = ["health", "education"]
    submitted["/receives/0/within"] = ["2 hours"]
    result = read_form(form, submitted)
    assert result.data[0]["from"] == ["health", "education"]
    assert result.data[0]["within"] == "2 hours"
    submitted["/receives/0/from"] = []
    assert "from" not in read_form(form, submitted).data[0]


def test_a_submission_is_read_by_its_own_items_not_the_forms() -> None:
    """The page after a list button shows an unsaved state; the next
    submission is read with a form built from the file, and still holds
    what the page showed."""
    roles = data_of(ST_MARYS)["roles"]
    shown = policy_form("roles", [roles[2], roles[0]])
    result = read_form(policy_form("roles", roles), sent(shown))
    assert result.data == [roles[2], roles[0]]


# -- list buttons ---------------------------------------------------------------


def press(form: Form, action: str) -> Any:
    submitted = sent(form)
    submitted["action"] = [action]
    return read_form(form, submitted)


def test_add_remove_and_move_items_without_script() -> None:
    roles = data_of(ST_MARYS)["roles"]
    form = policy_form("roles", roles)
    added = press(form, "add:/roles")
    assert added.action == "add:/roles" and added.data == [*roles, {}]
    assert added.focus == "/roles/3"
    removed = press(form, "remove:/roles/1")
    assert removed.data == [roles[0], roles[2]] and removed.focus == "/roles"
    up = press(form, "up:/roles/2")
    assert up.data == [roles[0], roles[2], roles[1]] and up.focus == "/roles/1"
    down = press(form, "down:/roles/0")
    assert down.data == [roles[1], roles[0], roles[2]]
    again = policy_form("roles", up.data)
    assert read_form(again, sent(again)).data == up.data


def test_list_buttons_in_nested_and_absent_lists() -> None:
    escalations = data_of(ST_MARYS)["escalations"]
    form = policy_form("escalations", escalations)
    steps = press(form, "add:/escalations/0/steps").data[0]["steps"]
    assert steps[-1] == {} and len(steps) == len(escalations[0]["steps"]) + 1
    empty = policy_form("glossary", None)
    assert press(empty, "add:/glossary").data == [{}]
    mission = form_for("partnership", "mission", None, choices(), None)
    assert press(mission, "add:/mission/themes").data == {"themes": [{}]}
    members = form_for("partnership", "partnership", {"id": "x", "name": "X"}, choices(), None)
    assert press(members, "add:/partnership/members").data["members"] == [""]


@pytest.mark.parametrize(
    "action",
    [
        "add:/organisation",
        "remove:/roles/9",
        "up:/roles/0",
        "down:/roles/2",
        "explode:/roles/0",
        "remove:/escalations/0",
        "add:",
        "remove:/roles/x",
        "",
        "add:/roles/0/contact",
    ],
)
def test_a_button_that_names_nothing_changes_nothing(action: str) -> None:
    roles = data_of(ST_MARYS)["roles"]
    result = press(policy_form("roles", roles), action)
    assert result.action is None and result.data == roles


def test_the_new_item_of_a_list_is_shown_with_empty_fields() -> None:
    added = press(policy_form("roles"), "add:/roles")
    form = policy_form("roles", added.data)
    new = field(form, "/roles/3")
    assert new.label == "role 4"
    assert field(form, "/roles/3/id").text == ""


# -- problems --------------------------------------------------------------------


def test_values_that_do_not_fit_are_problems_in_words() -> None:
    form = policy_form("responsibilities")
    submitted = sent(form)
    submitted["/responsibilities/0/within"] = ["1 fortnight"]
    submitted["/responsibilities/1/raci"] = [""]
    result = read_form(form, submitted)
    problems = dict(result.problems)
    assert problems["/responsibilities/0/within"] == timeframe_in_words("1 fortnight")
    assert "not a timeframe" in problems["/responsibilities/0/within"]
    assert problems["/responsibilities/1/raci"].startswith("Fill in part the role plays")
    assert result.data[0]["within"] == "1 fortnight"  # kept as typed, to show again
    roles = policy_form("roles")
    submitted = sent(roles)
    submitted["/roles/0/id"] = ["Designated Lead"]
    problems = dict(read_form(roles, submitted).problems)
    assert problems["/roles/0/id"].startswith("Write a role id")


def test_bad_dates_numbers_and_empty_items_are_problems() -> None:
    organisation = policy_form("organisation")
    submitted = sent(organisation)
    submitted["/organisation/review/approved"] = ["2026-02-30"]
    problems = dict(read_form(organisation, submitted).problems)
    assert "not a date in the calendar" in problems["/organisation/review/approved"]
    partnership = form_for(
        "partnership",
        "partnership",
        {"id": "x", "name": "X", "members": ["a", "b"]},
        choices(),
        None,
    )
    submitted = sent(partnership)
    submitted["/partnership/members/1"] = [""]
    problems = dict(read_form(partnership, submitted).problems)
    assert problems["/partnership/members/1"] == "This member is empty: fill it in or remove it."
    escalation = policy_form(
        "escalations", [{"concern": "significant-harm", "steps": [{"to": "dsl"}]}]
    )
    removed = press(escalation, "remove:/escalations/0/steps/0")
    shown = policy_form("escalations", removed.data)
    assert dict(read_form(shown, sent(shown)).problems) == {
        "/escalations/0/steps": "Steps, in order: add at least 1."
    }


# -- hostile text ------------------------------------------------------------------


HOSTILE = {
    "id": "dsl",
    "title": '<script>alert(1)</script> "><img src=x onerror=alert(2)> \u202eevil',
    "contact": {"phone": "01632\x1b[31m 960500", "hours": "office"},
}


def test_hostile_values_are_escaped_and_shown_not_obeyed() -> None:
    form = policy_form("roles", [HOSTILE])
    html = render_form_html(form, "token", "/save")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "\u202e" not in html and "<U+202E>" not in html and "&lt;U+202E&gt;" in html
    assert "\x1b" not in html and "\\x1b[31m" in html
    assert round_trip("policy", "roles", [HOSTILE], "st-marys-primary") == [HOSTILE]


def test_an_edited_hostile_value_is_saved_as_it_was_shown() -> None:
    form = policy_form("roles", [HOSTILE])
    submitted = sent(form)
    submitted["/roles/0/contact/phone"] = ["01632 960500"]
    assert read_form(form, submitted).data[0]["contact"]["phone"] == "01632 960500"


@pytest.mark.parametrize(
    "name, value",
    [
        ("@was:/roles/0/title", "not json"),
        ("@was:/roles/0/title", '["x", 1]'),
        ("@was:/roles/0/title", "[" * 5000 + "]" * 5000),
        ("@extra:/roles/0", '["m", [[["l", []], ["n"]]]]'),
        ("@items:/roles", "99999999999"),
        ("@items:/roles", "-1"),
        ("@items:/roles", "١"),
        ("@was:/roles", '["i", "' + "9" * 5000 + '"]'),
    ],
)
def test_tampered_hidden_inputs_are_ignored_not_obeyed(name: str, value: str) -> None:
    form = policy_form("roles")
    submitted = sent(form)
    if name.startswith("@items:"):
        submitted[name].append(value)
    else:
        submitted[name] = [value, *submitted.get(name, [])]
    result = read_form(form, submitted)
    assert isinstance(result.data, list) and len(result.data) == 3


def test_tagged_values_keep_their_types() -> None:
    value = {"a": [1, True, None, 1.5, datetime.date(2026, 1, 2)], 3: {"b": "c"}}
    assert decode(encode(value)) == (True, value)
    assert typed(decode(encode(value))[1]) == typed(value)
    assert decode("[]") == (False, None)


def test_ids_are_derived_from_pointers_and_safe() -> None:
    assert field_id("/roles/0/contact/hours") == "field-/roles/0/contact/hours"
    hostile = field_id('/a b/"<x>/~1/é')
    assert hostile.startswith("field-/a~20b/~22~3cx~3e/~7e1/~c3~a9")
    assert all(character.isascii() and not character.isspace() for character in hostile)


def test_a_long_multiple_choice_sends_the_chosen_back_in_the_files_order() -> None:
    roles = {
        org: tuple(
            Choice(f"{org}/role-{n}", f"{org.title()}: Role {n}", "", org.title())
            for n in range(20)
        )
        for org in ("alpha", "beta", "gamma")
    }
    many = dataclasses.replace(choices(), roles=roles)
    must_reach = ["gamma/role-3", "alpha/role-1", "gamma/role-0"]
    concerns = [{"id": "significant-harm", "title": "Harm", "must_reach": must_reach}]
    form = form_for("partnership", "concerns", concerns, many, None)
    chosen = field(form, "/concerns/0/must_reach")
    assert len(chosen.choices) > 40  # drawn as a <select multiple> with a group per organisation
    assert [choice.group for choice in chosen.choices[:3]] == ["Chosen now"] * 3
    assert [choice.value for choice in chosen.choices[:3]] == must_reach
    html = render_form_html(form, "token", "/save")
    assert '<optgroup label="Chosen now">' in html and "<select multiple" in html
    assert sent(form)["/concerns/0/must_reach"] == must_reach
    assert read_form(form, sent(form)).data == concerns


# -- with the editing stage, as serve saves -------------------------------------


@pytest.mark.parametrize("path", example_files()[:12], ids=lambda path: path.name)
def test_a_form_saved_unchanged_changes_nothing_and_one_change_one_line(path: Path) -> None:
    from policycoord.editing import Document, Edited, changes_between, edit, open_document

    document = open_document(path)
    assert isinstance(document, Document)
    data = document.loaded.data
    kind = kind_of(data)
    for section in sections(kind):
        form = form_for(kind, section, data.get(section), choices(), organisation_of(data))
        assert changes_between(data.get(section), read_form(form, sent(form)).data) == []
    if kind == "policy" and data.get("roles"):
        form = form_for(kind, "roles", data["roles"], choices(), organisation_of(data))
        submitted = sent(form)
        submitted["/roles/0/title"] = ["Safeguarding Lead, renamed"]
        changes = changes_between(data["roles"], read_form(form, submitted).data, pointer="/roles")
        assert [change.pointer for change in changes] == ["/roles/0/title"]
        edited = edit(document, changes)
        assert isinstance(edited, Edited)
        before = document.text.splitlines()
        after = edited.text.splitlines()
        assert len(before) == len(after)
        changed = [
            number
            for number, (old, new) in enumerate(zip(before, after, strict=True))
            if old != new
        ]
        assert len(changed) == 1 and "Safeguarding Lead, renamed" in after[changed[0]]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(_SECTIONS), data=st.data())
def test_any_submission_is_read_without_an_error(
    case: tuple[Path, str], data: st.DataObject
) -> None:
    """Whatever a client sends (names of the form's fields and hidden inputs
    with any values, list buttons naming anything), reading gives a value
    and problems in words, never an exception."""
    path, section = case
    document = data_of(path)
    form = form_for(
        kind_of(document), section, document.get(section), choices(), organisation_of(document)
    )
    submitted = sent(form)
    names = sorted(submitted) or [f"/{section}"]
    texts = st.one_of(
        st.text(max_size=30),
        st.sampled_from(['["m",[]]', '["l",[["n"]]]', '["d","2026-02-30"]', "0", "²", "99", "-"]),
    )
    for _ in range(data.draw(st.integers(0, 6))):
        name = data.draw(st.sampled_from(names))
        submitted[name] = data.draw(st.lists(texts, max_size=3))
    verbs = st.sampled_from(["add", "remove", "up", "down", "x"])
    pointer = data.draw(st.sampled_from([found.name for found in form.walk()]))
    submitted["action"] = [
        f"{data.draw(verbs)}:{pointer}{data.draw(st.sampled_from(['', '/²', '/0', '/-']))}"
    ]
    result = read_form(form, submitted)
    assert all(isinstance(message, str) and message for _, message in result.problems)
    assert result.action is None or result.action == submitted["action"][0]
    again = form_for(kind_of(document), section, result.data, choices(), organisation_of(document))
    assert "<form" in render_form_html(again, "token", "/save", problems=result.problems)


def test_a_schema_that_holds_itself_gives_a_form_of_bounded_depth(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    patched = copy.deepcopy(schema("policy"))
    patched["$defs"]["role"]["properties"]["sub_roles"] = {
        "description": "Roles within this role.",
        "type": "array",
        "items": {"$ref": "#/$defs/role"},
    }
    monkeypatch.setattr(forms_module, "schema", lambda kind: patched)
    roles = [{"id": "dsl", "title": "DSL", "sub_roles": [{"id": "a", "title": "A"}]}]
    form = policy_form("roles", roles)
    assert field(form, "/roles/0/sub_roles/0/title").text == "A"
    assert max(found.name.count("/") for found in form.walk()) <= 26
    assert round_trip("policy", "roles", roles, "st-marys-primary") == roles
