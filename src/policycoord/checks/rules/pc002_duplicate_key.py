"""PC002 duplicate-key."""

from __future__ import annotations

from policycoord.checks.rules.base import FileProblemRule
from policycoord.core.findings import Severity


class DuplicateKey(FileProblemRule):
    """A mapping repeats a key.

    ## What it does
    Reports a key written twice in the same mapping, with both lines. YAML
    readers (PyYAML among them) silently keep the last value and drop the
    first; policycoord reports it instead and never lets it pass.

    ## Why it matters
    Two `contact:` blocks for one role, or two `within:` for one duty, mean
    that one of them is silently ignored: the number a referrer calls at
    night may not be the one the policy's author thinks is in force.

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
    roles:
      - id: dsl
        title: Designated Safeguarding Lead
        contact: {phone: "01632 960001", hours: office}
        contact: {phone: "01632 960002", hours: office}
    ```

    ## Fixed
    ```diff
    # file: orgs/st-marys-primary.yaml
    -    contact: {phone: "01632 960002", hours: office}
    ```
    """

    code = "PC002"
    name = "duplicate-key"
    default_severity = Severity.ERROR
    family = "input"
