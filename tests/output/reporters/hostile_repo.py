"""A policy repository whose user text tries to break out of every CI format:
workflow-command injection (`%0A::error::`, real line breaks followed by
`::warning`), HTML and XML (`<script>`, `]]>`), terminal escapes, a bidi
override, NUL and other C0/C1 controls, the XML-forbidden U+FFFE, SARIF link
and placeholder syntax, and a file name with `,`, `:`, `%` and a space.

Used by tests/output/reporters/test_{sarif,github,gitlab,junit}.py.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from conftest import TODAY, CliRunner, make_repo

# YAML double-quoted escapes: \e is ESC, \x00 NUL, \u202e a right-to-left override
HOSTILE_NAME = (
    r"%0A::error::x\n::warning file=a,line=1::injected\r\n<script>alert(1)</script> ]]> "
    r"\e[31mred \u202eevil \x00\x07\x85\x9b\uFFFE [link](1) {0} \\ a:b, c é"
)
HOSTILE_PARTNERSHIP = r"North %0A::error::x <script>alert(1)</script> ]]>"
HOSTILE_FILE = "orgs/we,ird: %0A.yaml"

PARTNERSHIP = f"""\
policycoord: 1
partnership:
  id: north
  name: "{HOSTILE_PARTNERSHIP}"
  members: [alpha]
duties:
  - id: train-staff
    title: Train staff in safeguarding
    scope: each-member
    applies_to: [housing]
concerns:
  - id: significant-harm
    title: A child is suffering significant harm
    applies_to: [housing]
glossary:
  - term: MASH
    meaning: Multi-Agency Safeguarding Hub
"""


def hostile_repo(root: Path) -> Path:
    return make_repo(
        root,
        {
            "partnership.yaml": PARTNERSHIP,
            "orgs/alpha.yaml": (
                "policycoord: 1\norganisation: {id: alpha, name: Alpha, sector: education}\n"
            ),
            # not a member: PC007 names it; its escapes also give PC009
            "orgs/hostile.yaml": (
                "policycoord: 1\norganisation:\n  id: hostile\n"
                f'  name: "{HOSTILE_NAME}"\n  sector: sport\n'
            ),
            # not YAML: PC001 at a path with a comma, a colon, a percent sign and a space
            HOSTILE_FILE: "policycoord: 1\norganisation: [\n",
        },
    )


def json_findings(cli: CliRunner, repo: Path, *args: str) -> dict[str, Any]:
    """The same run as the JSON report, to compare counts with."""
    code, out, err = cli("check", "--today", TODAY, "-f", "json", *args, cwd=repo)
    assert code in (0, 1), err
    document: dict[str, Any] = json.loads(out)
    return document


def raw_controls(text: str, allowed: str = "\n") -> list[str]:
    """Characters that a terminal or a log viewer would obey, or that
    reorder text, other than those in `allowed`."""
    return [
        c
        for c in text
        if c not in allowed
        and (unicodedata.category(c) in ("Cc", "Cf", "Cs") or c in "\u2028\u2029\ufffe\uffff")
    ]
