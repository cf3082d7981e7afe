"""`policycoord init`: the files of a new policy repository, as text.

Pure functions: `starter_files(...)` returns `{relative path: text}` and
never touches the disk; the command line decides what to write (it never
overwrites an existing file).

The starter is one organisation (by default a school) and a small but real
framework: two duties and two concerns from Working Together 2023 and KCSIE,
a shared glossary that defines every acronym the files use, a joint mission
and a review period. It passes `policycoord check` with no findings at all:

- the duties and concerns leave out `applies_to`, so they apply to every
  member, whatever the organisation's sector;
- the council (MASH, EDT, LADO) is not in the repository yet, so each
  concern's `must_reach` names the organisation's own lead for that concern
  and every escalation step stays inside the organisation; comments say what
  to change when the council's file is added (a `must_reach` or a step naming
  a role that does not exist would be a finding: PC201/PC203);
- `out_of_hours` is `not-required`, because no role in the starter works
  24/7; the comment says to require it once the council's Emergency Duty
  Team is in the repository;
- the review dates run from the day of `init`, so nothing is overdue.

What runs the checks works on the repository's first push, with nothing
from a package index under the name `policycoord` (none serves it; whoever
registered it would run code in every partnership's CI):

- the GitHub Actions workflow uses this project's own Action (action.yml at
  its repository's root), pinned to the release tag of the version that
  wrote it (`v0.1.0` for version 0.1.0);
- the pre-commit hooks come from the same repository at the same tag, and
  run only when a policy file or the partnership file changes;
- editors check each policy file against the schemas `init` copies into the
  repository (`schemas/`), named by a path relative to the file, not by an
  address nobody publishes.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from typing import Final

from policycoord.core.about import ACTION, RELEASE_TAG, REPOSITORY_URL
from policycoord.core.errors import PolicycoordError
from policycoord.core.ids import ID

SLUG = ID  # core/ids.py: what an id is
# Published by SchemaStore, which editors already read.
PRE_COMMIT_SCHEMA: Final = "https://json.schemastore.org/pre-commit-config.json"
WORKFLOW_SCHEMA: Final = "https://json.schemastore.org/github-workflow.json"
#: The current major versions of the GitHub Actions the workflow uses
#: (action.yml uses the same; tests/workflows/test_init.py keeps them equal).
CHECKOUT: Final = "actions/checkout@v7"

PARTNERSHIP_FILE: Final = "partnership.yaml"
POLICIES_FOLDER: Final = "orgs"
SCHEMAS_FOLDER: Final = "schemas"
PRE_COMMIT_FILE: Final = ".pre-commit-config.yaml"
WORKFLOW_FILE: Final = ".github/workflows/policycoord.yml"
#: The files the hooks run on: the partnership file and what its `policies`
#: pattern (`orgs/*.yaml`) matches, as a regular expression (pre-commit's `files`).
POLICY_FILES_REGEX: Final = rf"^({re.escape(PARTNERSHIP_FILE)}|{POLICIES_FOLDER}/[^/]+\.yaml)$"

DEFAULT_PARTNERSHIP_ID: Final = "our-partnership"
DEFAULT_PARTNERSHIP_NAME: Final = "Our Safeguarding Children Partnership"
DEFAULT_ORGANISATION_ID: Final = "our-school"
DEFAULT_ORGANISATION_NAME: Final = "Our Primary School"
DEFAULT_SECTOR: Final = "education"
NAME_LIMIT: Final = 300

# Who heads the organisation and hears allegations against staff, by sector.
_HEAD_TITLE: Final = {
    "education": "Headteacher",
    "early-years": "Setting Manager",
    "sport": "Club Chair",
    "faith": "Senior Leader",
    "voluntary": "Chief Executive",
}


def sectors() -> tuple[str, ...]:
    """The sectors the policy schema accepts."""
    from policycoord.input.validation import schema

    return tuple(schema("policy")["$defs"]["sector"]["enum"])


def check_slug(value: str, option: str) -> str:
    if not SLUG.fullmatch(value):
        raise PolicycoordError(
            f"{option} {value!r} is not a valid id: use 1 to 64 lower-case letters, digits "
            "and hyphens, starting with a letter or digit (for example st-marys-primary)."
        )
    return value


def check_name(value: str, option: str) -> str:
    if not value.strip():
        raise PolicycoordError(f"{option} is empty: give the name people will read in reports.")
    if len(value) > NAME_LIMIT:
        raise PolicycoordError(f"{option} is longer than {NAME_LIMIT} characters: shorten it.")
    if any(unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} for char in value):
        raise PolicycoordError(
            f"{option} contains control or invisible characters: type the name plainly."
        )
    return value


def quote(value: str) -> str:
    """A YAML double-quoted scalar: JSON's string syntax is valid YAML, so
    `: # " '` and leading `-`, `*`, `&` or `!` stay text."""
    return json.dumps(value, ensure_ascii=False)


def _year_later(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February: the month's end
        return day.replace(year=day.year + 1, day=28)


def starter_files(
    *,
    partnership_id: str = DEFAULT_PARTNERSHIP_ID,
    partnership_name: str = DEFAULT_PARTNERSHIP_NAME,
    organisation_id: str = DEFAULT_ORGANISATION_ID,
    organisation_name: str = DEFAULT_ORGANISATION_NAME,
    sector: str = DEFAULT_SECTOR,
    today: datetime.date,
) -> dict[str, str]:
    """Every file of a new repository, `{relative path (with /): text}`.
    Raises PolicycoordError for an id that is not a slug, an unusable name or
    an unknown sector."""
    check_slug(partnership_id, "--partnership-id")
    check_slug(organisation_id, "--organisation-id")
    check_name(partnership_name, "--partnership-name")
    check_name(organisation_name, "--organisation-name")
    known = sectors()
    if sector not in known:
        raise PolicycoordError(f"--sector {sector!r} is not one of: {', '.join(known)}.")
    return {
        PARTNERSHIP_FILE: partnership_text(
            partnership_id, partnership_name, organisation_id, organisation_name
        ),
        f"{POLICIES_FOLDER}/{organisation_id}.yaml": organisation_text(
            organisation_id, organisation_name, sector, today
        ),
        **schema_files(),
        PRE_COMMIT_FILE: pre_commit_text(),
        WORKFLOW_FILE: workflow_text(),
    }


def schema_files() -> dict[str, str]:
    """The shipped schemas, copied into the repository for editors: the
    modeline of each policy file names its copy by a relative path."""
    from policycoord.input.validation import schema_text

    return {
        f"{SCHEMAS_FOLDER}/{kind}.schema.json": schema_text(kind)
        for kind in ("policy", "partnership")
    }


def modeline(kind: str, depth: int) -> str:
    """The first line of a policy file: editors that use yaml-language-server
    (VS Code's YAML extension, and others) check the file against the
    repository's copy of the schema, found relative to the file itself."""
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMAS_FOLDER}/{kind}.schema.json"


def partnership_text(
    partnership_id: str, partnership_name: str, organisation_id: str, organisation_name: str
) -> str:
    org = organisation_id
    return f"""\
{modeline("partnership", 0)}
# The partnership's shared framework. Add each organisation's id to `members`
# and its policy file to {POLICIES_FOLDER}/. Run `policycoord check` after every change.
# The line above lets editors check this file as you type, against
# {SCHEMAS_FOLDER}/ (`policycoord schema partnership` prints the current schema).
policycoord: 1
partnership:
  id: {partnership_id}
  name: {quote(partnership_name)}
  members:
    - {org}   # {organisation_name}
  policies: ["{POLICIES_FOLDER}/*.yaml"]

duties:
  - id: refer-to-childrens-social-care
    title: Refer a child at risk of significant harm to children's social care
    scope: each-member
    max_within: 24 hours
  - id: report-allegation-to-lado
    title: Report an allegation against someone who works with children to the LADO
    scope: each-member
    max_within: 1 working day

concerns:
  # While the council's file is not in the repository, each concern must
  # reach the organisation's own lead. When it is, change must_reach to the
  # council's front door, e.g. [council-id/mash] and [council-id/lado], and
  # set out_of_hours: required for significant harm. At night the council's
  # 24/7 team that receives the concern (its EDT) stands in for the MASH.
  - id: significant-harm
    title: A child is suffering, or likely to suffer, significant harm
    must_reach: [{org}/dsl, {org}/ddsl]
    max_total: 24 hours
    out_of_hours: not-required
  - id: allegation-against-staff
    title: An allegation that someone who works or volunteers with children has harmed a child
    must_reach: [{org}/head]
    max_total: 1 working day
    out_of_hours: not-required

glossary:
  - term: DSL
    meaning: Designated Safeguarding Lead
    definition: The senior member of staff who leads on safeguarding and makes referrals.
  - term: DDSL
    meaning: Deputy Designated Safeguarding Lead
  - term: LADO
    meaning: Local Authority Designated Officer
    definition: Manages allegations against adults who work or volunteer with children.
  - term: MASH
    meaning: Multi-Agency Safeguarding Hub
    definition: The council's single team for referrals about children.
  - term: EDT
    meaning: Emergency Duty Team
    definition: The council's out-of-hours social care service.

allow_acronyms: [UK, NHS, GP]

mission:
  vision: Every child is safe, heard and helped early, by people who work as one.
  themes:
    - id: listen-to-children
      title: Listen to children
    - id: help-early
      title: Help early
    - id: work-as-one
      title: Work as one

review:
  max_age: 12 months

rules:
  fail_on: error
"""


def organisation_text(
    organisation_id: str, organisation_name: str, sector: str, today: datetime.date
) -> str:
    org = organisation_id
    head = _HEAD_TITLE.get(sector, "Head of the Organisation")
    return f"""\
{modeline("policy", 1)}
# {organisation_name}: safeguarding policy.
# Replace the contact details (01632 960xxx numbers and .example addresses are
# reserved for examples) with the real ones before the policy is approved.
policycoord: 1
organisation:
  id: {org}
  name: {quote(organisation_name)}
  sector: {sector}
  review:
    approved: {today.isoformat()}
    next_review: {_year_later(today).isoformat()}

roles:
  - id: dsl
    title: Designated Safeguarding Lead
    contact: {{phone: "01632 960100", email: dsl@{org}.example, hours: office}}
    deputy: ddsl
  - id: ddsl
    title: Deputy Designated Safeguarding Lead
    contact: {{phone: "01632 960101", email: ddsl@{org}.example, hours: office}}
  - id: head
    title: {head}
    contact: {{phone: "01632 960102", email: head@{org}.example, hours: office}}

responsibilities:
  - duty: refer-to-childrens-social-care
    role: dsl
    raci: accountable
    within: immediately
    notes: The DSL, or the DDSL when the DSL is away, refers the same day the concern is raised.
  - duty: refer-to-childrens-social-care
    role: ddsl
    raci: responsible
  - duty: report-allegation-to-lado
    role: head
    raci: accountable
    within: 1 working day

escalations:
  # When the council's file is in the repository, add a second step, e.g.
  #   - to: council-id/mash
  #     within: 4 hours
  #     out_of_hours: council-id/edt
  - concern: significant-harm
    steps:
      - to: dsl
        within: immediately
        action: >-
          Tell the DSL straight away, or the DDSL if the DSL is away.
          If a child is in immediate danger, call 999.
  - concern: allegation-against-staff
    steps:
      - to: head
        within: immediately
        action: >-
          Tell the {head.lower()} straight away, or the chair of the board
          if the allegation is about them.

commitments:
  - theme: listen-to-children
    text: Every child knows a trusted adult they can talk to, and we act on what children tell us.
  - theme: help-early
    text: We offer early help to any family whose child is struggling, before problems grow.
  - theme: work-as-one
    text: We share what we know with partner agencies when a child may be at risk.
"""


def pre_commit_text() -> str:
    return f"""\
# yaml-language-server: $schema={PRE_COMMIT_SCHEMA}
# Checks the policies before each commit: `pip install pre-commit`, then
# `pre-commit install` once in this repository. The hooks come from
# policycoord's own repository, at the release this file was written with.
# They run only when a policy file changes: keep `files` in step with
# `policies` in {PARTNERSHIP_FILE}.
repos:
  - repo: {REPOSITORY_URL}
    rev: {RELEASE_TAG}
    hooks:
      - id: policycoord-validate
        files: {POLICY_FILES_REGEX}
      - id: policycoord-check
        files: {POLICY_FILES_REGEX}
"""


def workflow_text() -> str:
    return f"""\
# yaml-language-server: $schema={WORKFLOW_SCHEMA}
# Checks the policies on every push and pull request with policycoord's own
# GitHub Action, at the release this file was written with. The findings
# appear in the repository's code scanning alerts (SARIF), and the job fails
# when the check fails.
name: policycoord

on:
  push:
  pull_request:

permissions:
  contents: read
  security-events: write

jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: {CHECKOUT}
      - uses: {ACTION}@{RELEASE_TAG}
"""
