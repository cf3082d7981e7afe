"""PC001 yaml-syntax-error."""

from __future__ import annotations

from policycoord.checks.rules.base import FileProblemRule
from policycoord.core.findings import Severity


class YamlSyntaxError(FileProblemRule):
    """The file is not well-formed YAML, or not UTF-8 text.

    ## What it does
    Reports a policy or partnership file that cannot be read as YAML: bad
    indentation, a tab used for indentation, an unclosed quote, text with
    `: ` in it that is not quoted, a second YAML document, bytes that are not
    UTF-8 (a file saved as Latin-1 or UTF-16). It gives the line and column
    (counted in characters, from 1) where the reader stopped.

    ## Why it matters
    A file that cannot be read drops out of every cross-check: its duties,
    escalation paths and contacts are invisible to the partnership, so the
    gaps it would fill look like gaps, and the gaps it leaves are not seen.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    # file: orgs/st-marys-primary.yaml
    policycoord: 1
    organisation:
      id: st-marys-primary
      name: St Mary's Primary School
      sector: education
    summary: Our DSL: Mrs Patel
    ```

    ## Fixed
    ```diff
    # file: orgs/st-marys-primary.yaml
    -summary: Our DSL: Mrs Patel
    +summary: "Our DSL: Mrs Patel"
    ```
    """

    code = "PC001"
    name = "yaml-syntax-error"
    default_severity = Severity.ERROR
    family = "input"
