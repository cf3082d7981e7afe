"""PC003 messages: plain English at the offending key or value, one finding
per problem, distinct fingerprints, and never the validator's own text.

Every test goes through the real loader (`load_bytes`) and `validate`, as
`policycoord check` and `policycoord validate` do.
"""

from __future__ import annotations

import copy
import re

import pytest

from policycoord.core.findings import Violation, fingerprint
from policycoord.input import validation
from policycoord.input.loading import load_bytes
from policycoord.input.validation import running, schemas, validate

PARTNERSHIP = """\
policycoord: 1
partnership:
  id: northshire
  name: Northshire Safeguarding Children Partnership
"""

POLICY = """\
policycoord: 1
organisation:
  id: st-marys-primary
  name: St Mary's Primary School
  sector: education
"""


def violations(text: str, kind: str) -> list[Violation]:
    path = "partnership.yaml" if kind == "partnership" else "orgs/st-marys-primary.yaml"
    loaded = load_bytes(text.encode("utf-8"), path)
    assert loaded.loaded, loaded.problems
    return validate(loaded, kind)


def at(found: list[Violation], pointer: str) -> list[Violation]:
    return [v for v in found if v.location.pointer == pointer]


# --------------------------------------------------------------- (a) keys that are not codes


def test_unknown_key_in_severity_is_named_at_its_own_line() -> None:
    text = PARTNERSHIP + "rules:\n  severity:\n    PC301: warning\n    foo: info\n"
    found = violations(text, "partnership")
    assert len(found) == 1
    (problem,) = found
    assert problem.message == (
        "`foo` in `severity` of `rules` is not a finding code; codes look like `PC301`."
    )
    assert (problem.location.line, problem.location.column) == (8, 5)
    assert problem.location.pointer == "/rules/severity/foo"
    assert "PC301: warning" in problem.suggestion
    assert "Did you mean" not in problem.suggestion


@pytest.mark.parametrize(
    ("key", "meant"),
    [("PC3O1", "PC301"), ("pc206", "PC206"), ("undefined-acronym", "PC301")],
)
def test_misspelt_code_gets_a_did_you_mean(key: str, meant: str) -> None:
    text = PARTNERSHIP + f"rules:\n  severity: {{{key}: info}}\n"
    (problem,) = violations(text, "partnership")
    assert problem.message.startswith(f"`{key}` in `severity` of `rules` is not a finding code")
    assert problem.suggestion.startswith(f"Did you mean `{meant}`")
    assert (problem.location.line, problem.location.column) == (6, 14)


def test_a_code_policycoord_lacks_is_called_that() -> None:
    text = PARTNERSHIP + "rules:\n  severity:\n    PC999: info\n"
    (problem,) = violations(text, "partnership")
    assert (
        problem.message == "`PC999` in `severity` of `rules` is not a finding code policycoord has."
    )
    assert problem.location.line == 7


def test_a_family_prefix_is_explained_not_guessed() -> None:
    text = PARTNERSHIP + "rules:\n  severity: {PC3: info}\n"
    (problem,) = violations(text, "partnership")
    assert "`PC3` in `severity` of `rules` is not a finding code" in problem.message
    assert problem.suggestion.startswith("Only `ignore` takes the start of a code")
    assert "Did you mean" not in problem.suggestion


def test_each_bad_key_is_its_own_finding() -> None:
    text = PARTNERSHIP + "rules:\n  severity:\n    foo: info\n    bar: info\n    PC301: low\n"
    found = violations(text, "partnership")
    assert [(v.location.line, v.location.pointer) for v in found] == [
        (7, "/rules/severity/foo"),
        (8, "/rules/severity/bar"),
        (9, "/rules/severity/PC301"),
    ]
    assert "must be one of error, warning, info" in found[2].message


@pytest.fixture
def open_severity_map(monkeypatch: pytest.MonkeyPatch) -> None:
    """The partnership schema as it was, with `rules.severity` an open map
    whose keys are checked by `propertyNames`: a PropertyNames error."""
    schema = copy.deepcopy(validation.schema("partnership"))
    schema["$defs"]["rules"]["properties"]["severity"] = {
        "description": "Changes how serious some findings are.",
        "type": "object",
        "propertyNames": {"$ref": "#/$defs/findingCode"},
        "additionalProperties": {"$ref": "#/$defs/severity"},
    }
    import jsonschema_rs

    checker = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    monkeypatch.setattr(schemas, "schema", lambda kind: schema)
    monkeypatch.setattr(running, "validator_for", lambda kind: checker)


@pytest.mark.usefixtures("open_severity_map")
def test_property_names_error_is_plain_english_at_the_key() -> None:
    text = PARTNERSHIP + "rules:\n  severity:\n    PC301: info\n    PC3O1: warning\n"
    (problem,) = violations(text, "partnership")
    assert problem.message == (
        "`PC3O1` in `severity` of `rules` is not a finding code; codes look like `PC301`."
    )
    assert problem.location.pointer == "/rules/severity/PC3O1"
    assert (problem.location.line, problem.location.column) == (8, 5)
    assert problem.suggestion.startswith("Did you mean `PC301`?")
    assert problem.subject == "/rules/severity/PC3O1:PropertyNames"
    assert "^PC" not in problem.message + problem.suggestion
    assert '"' not in problem.message + problem.suggestion


# --------------------------------------------------------------- (b) pattern beats format


def test_a_date_time_is_reported_once_for_its_form() -> None:
    text = POLICY + "  review:\n    approved: 2027-01-01T10:00:00\n"
    found = violations(text, "policy")
    assert len(found) == 1
    assert "must be a date written YYYY-MM-DD" in found[0].message
    assert "is not a real date" not in found[0].message
    assert found[0].location.pointer == "/organisation/review/approved"


def test_a_well_formed_impossible_date_is_still_not_a_real_date() -> None:
    text = POLICY + '  review:\n    approved: "2027-02-30"\n    next_review: 2027-01-01T10:00:00\n'
    found = violations(text, "policy")
    assert [(v.location.pointer, v.subject.rsplit(":", 1)[1]) for v in found] == [
        ("/organisation/review/approved", "Format"),
        ("/organisation/review/next_review", "Pattern"),
    ]
    assert "is not a real date" in found[0].message


# --------------------------------------------------------------- (c) subjects and fingerprints


def test_every_subject_names_the_failing_keyword() -> None:
    text = (
        PARTNERSHIP
        + "  members: [a, a]\n"
        + "waivers:\n  - code: PC20\n    organisation: X\n    colour: red\n"
        + "rules: {severity: {foo: info}, fail_on: warnings}\n"
    )
    found = violations(text, "partnership")
    keywords = {v.subject.rsplit(":", 1)[1] for v in found}
    assert keywords == {"UniqueItems", "Pattern", "Required", "AdditionalProperties", "Enum"}
    for problem in found:
        pointer, keyword = problem.subject.rsplit(":", 1)
        assert pointer.startswith(problem.location.pointer), problem
        assert keyword[0].isupper(), problem


def test_two_errors_at_one_pointer_have_different_fingerprints() -> None:
    # `sector: 5` is neither text nor one of the sectors: Type and Enum.
    text = POLICY.replace("sector: education", "sector: 5")
    found = violations(text, "policy")
    assert {v.location.pointer for v in found} == {"/organisation/sector"}
    assert sorted(v.subject for v in found) == [
        "/organisation/sector:Enum",
        "/organisation/sector:Type",
    ]
    prints = {
        fingerprint(
            code="PC003",
            organisation=None,
            pointer=v.location.pointer,
            subject=v.subject,
            path=v.location.path,
        )
        for v in found
    }
    assert len(prints) == 2


def test_missing_fields_get_their_own_subjects() -> None:
    text = "policycoord: 1\norganisation: {id: x}\n"
    found = violations(text, "policy")
    assert sorted(v.subject for v in found) == [
        "/organisation/name:Required",
        "/organisation/sector:Required",
    ]


# --------------------------------------------------------------- (d) no `policycoord init`


@pytest.mark.parametrize(
    ("text", "kind", "what"),
    [
        ("", "policy", "is empty"),
        ("- a\n- b\n", "policy", "holds a list"),
        ("just words\n", "partnership", "holds `just words`"),
        ("", "partnership", "is empty"),
    ],
)
def test_not_a_mapping_suggests_a_command_that_exists(text: str, kind: str, what: str) -> None:
    (problem,) = violations(text, kind)
    assert what in problem.message
    assert "init" not in problem.message + problem.suggestion
    assert f"`policycoord schema {kind}` for every field" in problem.suggestion
    if kind == "policy":
        assert problem.suggestion == (
            "Copy the layout of another organisation's policy file, or see "
            "`policycoord schema policy` for every field."
        )
    assert problem.subject == "/:Type"


# --------------------------------------------------------------- never the validator's text

_INVALID: list[tuple[str, str]] = [
    (POLICY.replace("sector: education", "sector: school"), "policy"),
    (POLICY.replace("id: st-marys-primary", "id: St Marys"), "policy"),
    (POLICY.replace("policycoord: 1", "policycoord: 2"), "policy"),
    (POLICY + "  colour: blue\n", "policy"),
    (POLICY + "roles:\n  - id: dsl\n    title: DSL\n    contact: {hours: always}\n", "policy"),
    (POLICY + "roles: {dsl: x}\n", "policy"),
    (
        POLICY + "responsibilities:\n  - {duty: d, role: r, raci: lead, within: 1 workday}\n",
        "policy",
    ),
    (POLICY + "escalations:\n  - concern: c\n    steps: []\n", "policy"),
    (POLICY + "escalations:\n  - concern: c\n    steps:\n      - to: Northshire/MASH\n", "policy"),
    (POLICY + "  review:\n    approved: 1/9/2026\n    next_review: '2027-13-01'\n", "policy"),
    (POLICY + "summary: ''\nreceives:\n  - {concern: c, role: r, from: [any one]}\n", "policy"),
    (POLICY + "glossary:\n  - {term: " + "x" * 301 + ", meaning: y}\n", "policy"),
    (PARTNERSHIP + "  members: [a, a]\n  policies: orgs\n", "partnership"),
    (
        PARTNERSHIP + "duties:\n  - {id: d, title: D, scope: everyone, applies_to: [school]}\n",
        "partnership",
    ),
    (
        PARTNERSHIP + "review: {max_age: 12 weeks}\nrules: {ignore: [PC], fail_on: warnings}\n",
        "partnership",
    ),
    (
        PARTNERSHIP + "rules:\n  severity: {'PC3': info, \"x'y\": warning, PC301: [a]}\n",
        "partnership",
    ),
    (
        PARTNERSHIP + "waivers:\n  - {code: PC20, organisation: x, expires: March 2027}\n",
        "partnership",
    ),
    ("policycoord: 1\n", "partnership"),
    ("[1, 2]\n", "partnership"),
]

_REGEX_OR_REPR = re.compile(r"\^|\$|\[0-9\]|\\\"|\"|\{'|\['|\\\\")


@pytest.mark.parametrize(("text", "kind"), _INVALID)
def test_messages_never_show_a_regex_or_a_repr(text: str, kind: str) -> None:
    found = violations(text, kind)
    assert found, "the document should be invalid"
    for problem in found:
        for said in (problem.message, problem.suggestion):
            assert not _REGEX_OR_REPR.search(said), said
            assert "does not match" not in said, said
            assert "is not of type" not in said, said
            assert "is not one of" not in said, said


def test_the_invalid_documents_cover_many_keywords() -> None:
    keywords: set[str] = set()
    for text, kind in _INVALID:
        keywords |= {v.subject.rsplit(":", 1)[1] for v in violations(text, kind)}
    expected = {
        "AdditionalProperties",
        "Constant",
        "Enum",
        "Format",
        "MaxLength",
        "MinItems",
        "MinLength",
        "Pattern",
        "Required",
        "Type",
        "UniqueItems",
    }
    assert expected <= keywords
