"""PC009 invisible-characters."""

from __future__ import annotations

from policycoord.checks.rules.base import FileProblemRule
from policycoord.core.findings import Severity


class InvisibleCharacters(FileProblemRule):
    """Text holds bidirectional controls, zero-width or other invisible characters.

    ## What it does
    Reports each line of a file that holds a Unicode format character
    (category Cf): right-to-left overrides and isolates, zero-width spaces
    and joiners, soft hyphens, invisible tag characters. A byte-order mark
    at the very start of a file is allowed. Characters written as escapes
    in double-quoted text (`"\\u202e"`) are reported too: the value holds them.

    ## Why it matters
    These characters make text display differently from what it is: a
    phone number or an escalation target can read correctly on screen and
    be something else to every program that uses it ("Trojan Source",
    CVE-2021-42574), and a zero-width space between two letters makes
    `mash` and its look-alike two different roles.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    # file: orgs/riverside-fc.yaml
    policycoord: 1
    organisation:
      id: riverside-fc
      name: Riverside Football Club
      sector: sport
    summary: "Call the welfare officer on \\u202e0987 659 23610"
    ```

    ## Fixed
    ```diff
    # file: orgs/riverside-fc.yaml
    -summary: "Call the welfare officer on \\u202e0987 659 23610"
    +summary: "Call the welfare officer on 01632 960789"
    ```
    """

    code = "PC009"
    name = "invisible-characters"
    default_severity = Severity.WARNING
    family = "input"
