"""PC003 schema-violation."""

from __future__ import annotations

from policycoord.checks.rules.base import FileProblemRule
from policycoord.core.findings import Severity


class SchemaViolation(FileProblemRule):
    """The file breaks the shared JSON Schema.

    ## What it does
    Validates every file against `schemas/policy.schema.json` or
    `schemas/partnership.schema.json` and reports each error at the line of
    the offending value: a missing required field, a field the format does
    not have (often a misspelling), a value outside its list (`raci: lead`),
    an id, date or timeframe in the wrong form (`within: 1 workday`).

    ## Why it matters
    A value the checks cannot understand is a value they cannot check: a
    misspelt `raci` makes an accountable lead invisible, and a timeframe in
    words nobody agreed cannot be compared with the partnership's promise.

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
    responsibilities:
      - duty: refer-to-childrens-social-care
        role: dsl
        raci: lead
    ```

    ## Fixed
    ```diff
    # file: orgs/st-marys-primary.yaml
    -    raci: lead
    +    raci: accountable
    ```
    """

    code = "PC003"
    name = "schema-violation"
    default_severity = Severity.ERROR
    family = "input"
    fix_kind = "safe or unsafe"
    fix_note = (
        "Safe: `policycoord: 1` added or written as a number, a timeframe written loosely "
        "(`24 Hours`, `24hrs`) in the form the schema takes (`24 hours`). Unsafe: a misspelt "
        "field renamed to the closest field allowed there (`rolse` to `roles`; it moves to the "
        "end of its section), a value outside a list replaced by the closest allowed one."
    )
