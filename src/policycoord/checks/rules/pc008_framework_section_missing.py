"""PC008 framework-section-missing."""

from __future__ import annotations

from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.checks.wording import possessive
from policycoord.core.findings import Location, Severity, Violation
from policycoord.model.model import Model


class FrameworkSectionMissing(Rule):
    """The partnership file has no `duties`, `concerns` or `glossary`, or one is empty.

    ## What it does
    Reports, once per section, that the partnership file does not define
    it, or defines it as an empty list (`duties: []`), so the checks that
    compare organisations against it have nothing to compare with. They
    say nothing rather than guess.

    ## Why it matters
    A clean report from a partnership with no agreed duties is not a clean
    bill of health: this finding keeps "nothing was checked" from looking
    like "nothing is wrong".

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    ```

    ## Fixed
    ```diff
    # file: partnership.yaml
     partnership: {id: northshire, name: Northshire Safeguarding Children Partnership}
    +duties:
    +  - id: refer-to-childrens-social-care
    +    title: Refer a child at risk of significant harm to children's social care
    +    scope: each-member
    +concerns:
    +  - id: significant-harm
    +    title: A child is suffering, or likely to suffer, significant harm
    +glossary:
    +  - term: MASH
    +    meaning: Multi-Agency Safeguarding Hub
    ```
    """

    code = "PC008"
    name = "framework-section-missing"
    default_severity = Severity.INFO
    family = "governance"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None:
            return
        written = {
            "duties": partnership.duties,
            "concerns": partnership.concerns,
            "glossary": partnership.glossary,
        }
        for section, checks, meaning in _SECTIONS:
            entries = written[section]
            if entries is None:
                yield Violation(
                    message=(
                        f"{partnership.name} has no `{section}` section, so {checks} have "
                        "nothing to compare the organisations' policies against."
                    ),
                    location=partnership.origin.location,
                    subject=section,
                    suggestion=f"Agree across the partnership {meaning}, and record it as a "
                    f"`{section}` section in {partnership.path}.",
                )
            elif not entries:
                source_map = partnership.origin.source_map
                line, column = source_map.position(f"/{section}")
                yield Violation(
                    message=(
                        f"{possessive(partnership.name)} `{section}` section is empty, so "
                        f"{checks} have nothing to compare the organisations' policies against."
                    ),
                    location=Location(partnership.origin.path, line, column, f"/{section}"),
                    subject=section,
                    suggestion=f"Agree across the partnership {meaning}, and fill in the "
                    f"`{section}` section of {partnership.path} with it.",
                )


_SECTIONS = (
    ("duties", "the responsibility checks (PC101-PC107)", "who is accountable for what"),
    ("concerns", "the escalation checks (PC201-PC208)", "where each kind of concern must reach"),
    ("glossary", "the shared-language checks against a shared glossary", "what terms mean"),
)
