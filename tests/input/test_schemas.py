"""The two JSON Schemas: well-formed, closed, documented, and in step with SPEC §2.

The schemas are a contract with editors and users (SPEC §2): draft 2020-12,
``additionalProperties: false`` everywhere, every property described. These
tests read the JSON files shipped in the package, check them against the
metaschema, walk every subschema for the house rules, and validate the SPEC
example documents and some documents that must fail at a known place.
"""

from __future__ import annotations

import ast
import copy
import datetime
import json
import re
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest
import yaml
from conftest import PROJECT_ROOT

from policycoord.checks.rules import ALL_RULES

SCHEMA_DIR = PROJECT_ROOT / "src/policycoord/schemas"
TIMEFRAMES_PY = PROJECT_ROOT / "src/policycoord/core/timeframes.py"
SCHEMA_NAMES = ("policy", "partnership")

# The grammar SPEC §2.1 and the code rely on; the schemas must use these strings.
SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"
ROLE_REF = r"^[a-z0-9][a-z0-9-]{0,63}(/[a-z0-9][a-z0-9-]{0,63})?$"
TIMEFRAME = r"^(immediately|[1-9][0-9]{0,5} (minute|hour|day|working day|week)s?)$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MAX_AGE = r"^[1-9][0-9]{0,3} (month|year)s?$"

# SPEC §2.2, copied with its comments.
SPEC_POLICY_YAML = """\
policycoord: 1
organisation:
  id: st-marys-primary
  name: St Mary's Primary School
  sector: education        # education | early-years | social-care | police | health |
                           # primary-care | voluntary | sport | faith | youth-justice |
                           # housing | other
  review:
    approved: 2026-09-01
    next_review: 2027-09-01
roles:
  - id: dsl
    title: Designated Safeguarding Lead
    contact: {phone: "01234 567890", email: dsl@stmarys.example, hours: office}   # hours: office | 24/7
    deputy: ddsl           # optional role id of the same organisation
responsibilities:
  - duty: refer-to-childrens-social-care     # a duty id of the partnership
    role: dsl                                # a role of this organisation
    raci: accountable      # responsible | accountable | consulted | informed
    within: 1 working day  # optional timeframe the organisation commits to
    notes: free text
escalations:
  - concern: significant-harm                # a concern id of the partnership
    steps:                                   # in order
      - to: dsl                              # role reference
        within: immediately
        action: free text                    # optional
      - to: northshire-cs/mash
        within: 24 hours
        out_of_hours: northshire-cs/edt      # optional role reference used outside office hours
receives:                   # hand-offs this organisation accepts from others
  - concern: significant-harm
    role: mash             # the role of this organisation that receives it
    from: [education, health, "*"]           # sectors, organisation ids, or "*" for anyone
    within: 1 working day  # optional: how soon it responds
glossary:
  - term: EHA
    meaning: Early Help Assessment
    definition: optional longer text
sharing:                    # information-sharing agreements
  - with: northshire-police                  # organisation id
    purpose: free text
    basis: free text                         # e.g. the lawful basis relied on
commitments:                # what the organisation commits to, for the joint mission
  - theme: listen-to-children                # optional: a mission theme id of the partnership
    text: We listen to children and act on what they tell us.
summary: free text          # optional prose
"""  # noqa: E501

# SPEC §2.3, copied with its comments.
SPEC_PARTNERSHIP_YAML = """\
policycoord: 1
partnership:
  id: northshire
  name: Northshire Safeguarding Children Partnership
  members: [st-marys-primary, northshire-cs, northshire-police]   # optional: organisations expected
  policies: ["orgs/*.yaml"]                 # optional discovery globs
duties:
  - id: refer-to-childrens-social-care
    title: Refer a child at risk of significant harm to children's social care
    scope: each-member          # each-member: every member of `applies_to` needs one accountable role
                                # partnership: exactly one organisation in the partnership is accountable
    applies_to: [education, health, voluntary, sport]   # sectors; omitted = all members
    max_within: 24 hours        # optional: no organisation may commit to a longer timeframe
concerns:
  - id: significant-harm
    title: A child is suffering, or likely to suffer, significant harm
    must_reach: [northshire-cs/mash]        # every escalation path must end up at one of these roles
    max_total: 24 hours                     # optional: worst case of the whole path
    out_of_hours: required                  # required | not-required (default)
    applies_to: [education, health, voluntary, sport]   # sectors that must have a path
glossary:
  - term: MASH
    meaning: Multi-Agency Safeguarding Hub
    definition: optional
allow_acronyms: [UK, NHS, GP]   # optional: acronyms everyone knows; never reported
avoid:
  - term: child prostitution
    use: sexual exploitation of children
    why: optional reason shown to the user
mission:
  vision: Every child in Northshire is safe, heard and helped early.
  themes:
    - id: listen-to-children
      title: Listening to children
review:
  max_age: 12 months            # a policy approved longer ago than this is overdue
waivers:                        # accepted findings, with accountability
  - code: PC206
    organisation: riverside-fc
    subject: significant-harm   # optional: narrows it to the finding's subject
    reason: Club is moving to the county FA's procedure in March.
    approved_by: [northshire-cs, riverside-fc]
    expires: 2027-03-31
rules:
  ignore: [PC403]
  severity: {PC301: warning}
  fail_on: error                # error | warning | info | never
"""  # noqa: E501

SPEC_DOCUMENTS = {"policy": SPEC_POLICY_YAML, "partnership": SPEC_PARTNERSHIP_YAML}

# SPEC §3: the finding codes and names that are the contract.
SPEC_CODES = {
    "PC001": "yaml-syntax-error",
    "PC002": "duplicate-key",
    "PC003": "schema-violation",
    "PC004": "duplicate-organisation",
    "PC005": "unsafe-or-oversized-input",
    "PC006": "member-missing",
    "PC007": "unknown-member",
    "PC008": "framework-section-missing",
    "PC009": "invisible-characters",
    "PC101": "duty-unowned",
    "PC102": "duty-not-covered",
    "PC103": "duty-multiple-accountable",
    "PC104": "timeframe-exceeds-framework",
    "PC105": "timeframes-disagree",
    "PC106": "unknown-duty-or-role",
    "PC107": "responsible-without-accountable",
    "PC201": "unknown-escalation-target",
    "PC202": "escalation-cycle",
    "PC203": "escalation-dead-end",
    "PC204": "escalation-too-slow",
    "PC205": "no-out-of-hours-route",
    "PC206": "handoff-not-accepted",
    "PC207": "escalation-missing",
    "PC208": "handoff-timeframes-conflict",
    "PC301": "undefined-acronym",
    "PC302": "conflicting-definitions",
    "PC303": "avoided-term",
    "PC304": "local-jargon",
    "PC401": "review-overdue",
    "PC402": "sharing-not-reciprocated",
    "PC403": "no-mission-commitment",
    "PC404": "role-without-contact",
    "PC405": "waiver-expired",
    "PC406": "waiver-unused",
    "PC407": "waiver-invalid",
}

# Keywords whose value is one subschema, a list of subschemas, or a map of them.
_ONE_SCHEMA = (
    "items",
    "additionalProperties",
    "propertyNames",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
_LIST_OF_SCHEMAS = ("prefixItems", "allOf", "anyOf", "oneOf")
_MAP_OF_SCHEMAS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


# ---------------------------------------------------------------- helpers


def load_schema(name: str) -> dict[str, Any]:
    text = (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def iso_dates(value: Any) -> Any:
    """What the loader does before validation: YAML dates become ISO strings."""
    if isinstance(value, dict):
        return {key: iso_dates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [iso_dates(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def load_yaml(text: str) -> Any:
    return iso_dates(yaml.safe_load(text))


def validator(name: str) -> Any:
    return jsonschema_rs.validator_for(load_schema(name))


def error_paths(name: str, document: Any) -> list[tuple[str | int, ...]]:
    return [tuple(error.instance_path) for error in validator(name).iter_errors(document)]


def pointer(*parts: str | int) -> str:
    return "/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def subschemas(
    schema: Any, at: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every schema object inside ``schema`` (itself included), with its location."""
    if not isinstance(schema, dict):
        return
    yield at, schema
    for keyword in _ONE_SCHEMA:
        if keyword in schema:
            yield from subschemas(schema[keyword], (*at, keyword))
    for keyword in _LIST_OF_SCHEMAS:
        for index, item in enumerate(schema.get(keyword, ())):
            yield from subschemas(item, (*at, keyword, index))
    for keyword in _MAP_OF_SCHEMAS:
        for key, item in schema.get(keyword, {}).items():
            yield from subschemas(item, (*at, keyword, key))


def house_rule_problems(schema: dict[str, Any]) -> list[str]:
    """Objects that are not closed, and properties without a description."""
    problems = []
    for at, sub in subschemas(schema):
        types = sub.get("type", [])
        is_object = "object" in (types if isinstance(types, list) else [types])
        where = pointer(*at)
        if is_object or "properties" in sub:
            # Closed, always: an open map (a schema-valued additionalProperties,
            # propertyNames) lets a misspelt key through to the checks.
            closed = sub.get("additionalProperties")
            if "properties" in sub and closed is not False:
                problems.append(f"{where}: has properties but not additionalProperties: false")
            elif closed is not False:
                problems.append(f"{where}: object schema without additionalProperties: false")
        for key, prop in sub.get("properties", {}).items():
            description = prop.get("description") if isinstance(prop, dict) else None
            if not (isinstance(description, str) and description.strip()):
                at_key = pointer(*at, "properties", key)
                problems.append(f"{at_key}: property without a description")
    return problems


# ---------------------------------------------------------------- the schemas themselves


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://policycoord.invalid/schemas/{name}.schema.json"
    assert schema["title"].strip()
    assert schema["description"].strip()
    jsonschema_rs.meta.validate(schema)  # raises ValidationError with the reason
    assert jsonschema_rs.meta.is_valid(schema)
    assert isinstance(jsonschema_rs.validator_for(schema), jsonschema_rs.Draft202012Validator)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_file_layout(name: str) -> None:
    text = (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_object_is_closed_and_every_property_described(name: str) -> None:
    assert house_rule_problems(load_schema(name)) == []


def severity_settings() -> dict[str, Any]:
    severity: dict[str, Any] = load_schema("partnership")["$defs"]["rules"]["properties"][
        "severity"
    ]
    return severity


def test_severity_is_a_closed_list_of_codes() -> None:
    severity = severity_settings()
    assert severity["type"] == "object"
    assert severity["additionalProperties"] is False
    assert "propertyNames" not in severity
    for code, prop in severity["properties"].items():
        assert prop["$ref"] == "#/$defs/severity", code
        assert re.match(rf"{code} [a-z0-9-]+: ", prop["description"]), code
        assert "\n" not in prop["description"], code


def test_severity_names_every_spec_code() -> None:
    properties = severity_settings()["properties"]
    assert set(SPEC_CODES) <= set(properties)
    for code, name in SPEC_CODES.items():
        assert properties[code]["description"].startswith(f"{code} {name}: "), code


def test_severity_names_every_registered_rule() -> None:
    """A new rule must be added to `rules.severity`, or users cannot set its
    severity without a schema error."""
    properties = severity_settings()["properties"]
    registered = {rule.code for rule in ALL_RULES}
    assert registered <= set(properties), sorted(registered - set(properties))
    for rule in ALL_RULES:
        assert properties[rule.code]["description"].startswith(f"{rule.code} {rule.name}: ")


def test_severity_lists_exactly_the_registered_rules_with_their_names() -> None:
    """Validation knows the finding codes only from `rules.severity` (input
    does not import the rules): a wrong code in a partnership file is
    explained, with a guess at the code meant, from this list. So it lists
    every registered rule, by its name, and no other code."""
    from policycoord.input.validation.schemas import known_codes

    registered = {rule.code: rule.name for rule in ALL_RULES}
    assert set(severity_settings()["properties"]) == set(registered)
    assert known_codes() == registered


def test_severity_accepts_every_code_and_no_other_key() -> None:
    check = validator("partnership")
    for code in severity_settings()["properties"]:
        document = spec_partnership_with(("rules", "severity"), {code: "info"})
        assert check.is_valid(document), code
    for key in ("PC999", "pc301", "PC3", "undefined-acronym", ""):
        document = spec_partnership_with(("rules", "severity"), {key: "info"})
        assert error_paths("partnership", document) == [("rules", "severity")], key


def test_house_rule_walk_finds_problems() -> None:
    broken = copy.deepcopy(load_schema("policy"))
    del broken["$defs"]["contact"]["additionalProperties"]
    del broken["$defs"]["step"]["properties"]["action"]["description"]
    broken["properties"]["extra"] = {
        "description": "x",
        "type": "array",
        "prefixItems": [{"type": "object"}],
        "items": {"anyOf": [{"properties": {"a": {}}, "additionalProperties": {}}]},
    }
    broken["properties"]["map"] = {
        "description": "an open map: any key, each value a string",
        "type": "object",
        "propertyNames": {"pattern": "^PC[0-9]{3}$"},
        "additionalProperties": {"type": "string"},
    }
    broken["properties"]["open"] = {"description": "y", "type": "object"}
    broken["properties"]["loose"] = {
        "description": "z",
        "type": ["object", "null"],
        "additionalProperties": True,
    }
    assert house_rule_problems(broken) == [
        "/properties/extra/items/anyOf/0: has properties but not additionalProperties: false",
        "/properties/extra/items/anyOf/0/properties/a: property without a description",
        "/properties/extra/prefixItems/0: object schema without additionalProperties: false",
        "/properties/map: object schema without additionalProperties: false",
        "/properties/open: object schema without additionalProperties: false",
        "/properties/loose: object schema without additionalProperties: false",
        "/$defs/contact: has properties but not additionalProperties: false",
        "/$defs/step/properties/action: property without a description",
    ]


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_patterned_definitions_have_a_human_title(name: str) -> None:
    for key, definition in load_schema(name)["$defs"].items():
        if "pattern" in definition:
            title = definition.get("title", "")
            assert title.strip(), f"$defs/{key} has a pattern but no title"
            assert len(title) <= 120, f"$defs/{key} title is too long for an error message"
            assert "^" not in title, f"$defs/{key} title shows the regular expression"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_definition_examples_are_valid(name: str) -> None:
    schema = load_schema(name)
    for key, definition in schema["$defs"].items():
        checker = jsonschema_rs.validator_for(
            {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{key}"}
        )
        for example in definition.get("examples", []):
            assert checker.is_valid(example), f"$defs/{key} example {example!r} is invalid"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_shared_patterns_match_spec(name: str) -> None:
    definitions = load_schema(name)["$defs"]
    assert definitions["slug"]["pattern"] == SLUG
    assert definitions["roleRef"]["pattern"] == ROLE_REF
    assert definitions["timeframe"]["pattern"] == TIMEFRAME
    assert definitions["date"]["pattern"] == DATE
    assert definitions["slug"]["title"] == "an id of lower-case letters, digits and hyphens"
    for key, definition in definitions.items():
        if key.endswith("Id"):
            assert definition["pattern"] == SLUG, key


def test_patterns_match_the_code() -> None:
    """timeframes.py says the schemas use its grammar strings: keep them in step."""
    constants = {}
    for node in ast.parse(TIMEFRAMES_PY.read_text(encoding="utf-8")).body:
        is_constant = isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
        if is_constant and node.value is not None:
            constants[node.target.id] = node.value
    timeframe_regex = ast.literal_eval(constants["TIMEFRAME_REGEX"])
    max_age_regex = ast.literal_eval(constants["MAX_AGE_REGEX"])
    assert load_schema("policy")["$defs"]["timeframe"]["pattern"] == timeframe_regex
    assert load_schema("partnership")["$defs"]["timeframe"]["pattern"] == timeframe_regex
    assert load_schema("partnership")["$defs"]["maxAge"]["pattern"] == max_age_regex


def test_shared_definitions_are_identical() -> None:
    policy = load_schema("policy")["$defs"]
    partnership = load_schema("partnership")["$defs"]
    shared = set(policy) & set(partnership)
    assert {"slug", "roleRef", "timeframe", "date", "sector", "glossaryEntry"} <= shared
    for key in sorted(shared):
        assert policy[key] == partnership[key], f"$defs/{key} differs between the schemas"


def test_spec_field_names() -> None:
    """Every field of SPEC §2.2 and §2.3, with exactly the names in the SPEC."""
    policy = load_schema("policy")
    defs = policy["$defs"]
    assert list(policy["properties"]) == [
        "policycoord",
        "organisation",
        "roles",
        "responsibilities",
        "escalations",
        "receives",
        "glossary",
        "sharing",
        "commitments",
        "summary",
    ]
    assert policy["required"] == ["policycoord", "organisation"]
    assert list(defs["organisation"]["properties"]) == ["id", "name", "sector", "review"]
    assert defs["organisation"]["required"] == ["id", "name", "sector"]
    assert list(defs["organisation"]["properties"]["review"]["properties"]) == [
        "approved",
        "next_review",
    ]
    assert list(defs["role"]["properties"]) == ["id", "title", "contact", "deputy"]
    assert list(defs["contact"]["properties"]) == ["phone", "email", "hours"]
    assert defs["contact"]["properties"]["hours"]["enum"] == ["office", "24/7"]
    assert list(defs["responsibility"]["properties"]) == ["duty", "role", "raci", "within", "notes"]
    assert defs["raci"]["enum"] == ["responsible", "accountable", "consulted", "informed"]
    assert list(defs["escalation"]["properties"]) == ["concern", "steps"]
    assert list(defs["step"]["properties"]) == ["to", "within", "action", "out_of_hours"]
    assert defs["step"]["required"] == ["to"]
    assert list(defs["handoff"]["properties"]) == ["concern", "role", "from", "within"]
    assert list(defs["glossaryEntry"]["properties"]) == ["term", "meaning", "definition"]
    assert list(defs["sharingAgreement"]["properties"]) == ["with", "purpose", "basis"]
    assert list(defs["commitment"]["properties"]) == ["theme", "text"]

    partnership = load_schema("partnership")
    defs = partnership["$defs"]
    assert list(partnership["properties"]) == [
        "policycoord",
        "partnership",
        "duties",
        "concerns",
        "glossary",
        "allow_acronyms",
        "avoid",
        "mission",
        "review",
        "waivers",
        "rules",
    ]
    assert partnership["required"] == ["policycoord", "partnership"]
    assert list(defs["partnership"]["properties"]) == ["id", "name", "members", "policies"]
    assert defs["partnership"]["properties"]["members"]["uniqueItems"] is True
    assert list(defs["duty"]["properties"]) == ["id", "title", "scope", "applies_to", "max_within"]
    assert defs["duty"]["properties"]["scope"]["enum"] == ["each-member", "partnership"]
    assert list(defs["concern"]["properties"]) == [
        "id",
        "title",
        "must_reach",
        "max_total",
        "out_of_hours",
        "applies_to",
    ]
    assert defs["concern"]["properties"]["out_of_hours"]["default"] == "not-required"
    assert list(defs["avoidEntry"]["properties"]) == ["term", "use", "why"]
    assert list(defs["mission"]["properties"]) == ["vision", "themes"]
    assert list(defs["theme"]["properties"]) == ["id", "title", "description"]
    assert list(defs["review"]["properties"]) == ["max_age"]
    assert list(defs["waiver"]["properties"]) == [
        "code",
        "organisation",
        "subject",
        "reason",
        "approved_by",
        "expires",
    ]
    assert list(defs["rules"]["properties"]) == ["ignore", "severity", "fail_on"]
    assert defs["rules"]["properties"]["fail_on"]["enum"] == ["error", "warning", "info", "never"]
    assert defs["rules"]["properties"]["fail_on"]["default"] == "error"
    assert defs["sector"]["enum"] == [
        "education",
        "early-years",
        "social-care",
        "police",
        "health",
        "primary-care",
        "voluntary",
        "sport",
        "faith",
        "youth-justice",
        "housing",
        "other",
    ]


# ---------------------------------------------------------------- documents that pass


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_examples_are_valid(name: str) -> None:
    schema = load_schema(name)
    assert len(schema["examples"]) >= 1
    for example in schema["examples"]:
        assert error_paths(name, example) == []


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_spec_example_is_valid(name: str) -> None:
    document = load_yaml(SPEC_DOCUMENTS[name])
    messages = [error.message for error in validator(name).iter_errors(document)]
    assert messages == []


def test_minimal_documents_are_valid() -> None:
    policy = {
        "policycoord": 1,
        "organisation": {"id": "riverside-fc", "name": "Riverside FC", "sector": "sport"},
        "roles": [],
        "escalations": [],
    }
    assert error_paths("policy", policy) == []
    partnership = {
        "policycoord": 1,
        "partnership": {"id": "northshire", "name": "Northshire"},
        "duties": [],
        "waivers": [],
    }
    assert error_paths("partnership", partnership) == []


@pytest.mark.parametrize(
    "timeframe",
    [
        "immediately",
        "1 minute",
        "30 minutes",
        "4 hours",
        "1 day",
        "2 days",
        "1 working day",
        "15 working days",
        "1 week",
        "999999 hours",
    ],
)
def test_timeframes_accepted(timeframe: str) -> None:
    document = load_yaml(SPEC_POLICY_YAML)
    document["responsibilities"][0]["within"] = timeframe
    assert error_paths("policy", document) == []


# ---------------------------------------------------------------- documents that fail in place


def spec_policy_with(path: tuple[str | int, ...], value: Any) -> Any:
    document = load_yaml(SPEC_POLICY_YAML)
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "error_at"),
    [
        (("responsibilities", 0, "raci"), "lead", ("responsibilities", 0, "raci")),
        (("organisation", "colour"), "blue", ("organisation",)),
        (
            ("escalations", 0, "steps", 1, "within"),
            "1 workday",
            ("escalations", 0, "steps", 1, "within"),
        ),
        (("organisation", "sector"), "school", ("organisation", "sector")),
        (("organisation", "id"), "St Marys", ("organisation", "id")),
        (
            ("organisation", "review", "approved"),
            "1/9/2026",
            ("organisation", "review", "approved"),
        ),
        (("roles", 0, "contact", "hours"), "always", ("roles", 0, "contact", "hours")),
        (("roles", 0, "contact", "email"), "dsl at stmarys", ("roles", 0, "contact", "email")),
        (
            ("escalations", 0, "steps", 1, "to"),
            "Northshire/MASH",
            ("escalations", 0, "steps", 1, "to"),
        ),
        (("escalations", 0, "steps", 1, "to"), "a/b/c", ("escalations", 0, "steps", 1, "to")),
        (("escalations", 0, "steps"), [], ("escalations", 0, "steps")),
        (("receives", 0, "from"), ["any one"], ("receives", 0, "from", 0)),
        (("responsibilities", 0, "within"), "0 days", ("responsibilities", 0, "within")),
        (("responsibilities", 0, "within"), 24, ("responsibilities", 0, "within")),
        (("summary",), "", ("summary",)),
        (("policycoord",), 2, ("policycoord",)),
    ],
)
def test_invalid_policy_fails_at_the_value(
    path: tuple[str | int, ...], value: Any, error_at: tuple[str | int, ...]
) -> None:
    assert error_paths("policy", spec_policy_with(path, value)) == [error_at]


def test_missing_required_fields_are_reported_on_their_parent() -> None:
    assert error_paths("policy", {"policycoord": 1}) == [()]
    document = load_yaml(SPEC_POLICY_YAML)
    del document["organisation"]["sector"]
    del document["responsibilities"][0]["raci"]
    assert sorted(error_paths("policy", document), key=str) == [
        ("organisation",),
        ("responsibilities", 0),
    ]


def test_schema_error_names_the_unknown_key() -> None:
    document = spec_policy_with(("organisation", "colour"), "x")
    errors = list(validator("policy").iter_errors(document))
    assert len(errors) == 1
    assert "colour" in errors[0].message


def spec_partnership_with(path: tuple[str | int, ...], value: Any) -> Any:
    document = load_yaml(SPEC_PARTNERSHIP_YAML)
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "error_at"),
    [
        (("partnership", "members"), ["a", "a"], ("partnership", "members")),
        (("duties", 0, "scope"), "everyone", ("duties", 0, "scope")),
        (("duties", 0, "applies_to"), ["school"], ("duties", 0, "applies_to", 0)),
        (("concerns", 0, "out_of_hours"), "yes", ("concerns", 0, "out_of_hours")),
        (("concerns", 0, "must_reach"), ["MASH"], ("concerns", 0, "must_reach", 0)),
        (("review", "max_age"), "12 weeks", ("review", "max_age")),
        (("waivers", 0, "code"), "PC20", ("waivers", 0, "code")),
        (("waivers", 0, "expires"), "March 2027", ("waivers", 0, "expires")),
        (("rules", "ignore"), ["PC"], ("rules", "ignore", 0)),
        (("rules", "severity"), {"PC301": "low"}, ("rules", "severity", "PC301")),
        (("rules", "severity"), {"PC3": "info"}, ("rules", "severity")),
        (("rules", "severity"), {"PC999": "info"}, ("rules", "severity")),
        (("rules", "severity"), {"undefined-acronym": "info"}, ("rules", "severity")),
        (("rules", "fail_on"), "warnings", ("rules", "fail_on")),
        (("avoid", 0, "instead"), "x", ("avoid", 0)),
        (("mission", "themes", 0, "colour"), "x", ("mission", "themes", 0)),
    ],
)
def test_invalid_partnership_fails_at_the_value(
    path: tuple[str | int, ...], value: Any, error_at: tuple[str | int, ...]
) -> None:
    assert error_paths("partnership", spec_partnership_with(path, value)) == [error_at]


def test_rules_ignore_accepts_a_family_prefix() -> None:
    document = spec_partnership_with(("rules", "ignore"), ["PC4", "PC301"])
    assert error_paths("partnership", document) == []
