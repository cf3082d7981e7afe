"""What every rule is: a code, a name, a default severity, a family, and a
`check(model)` generator of Violations. Its docstring is its documentation
(`policycoord explain CODE`), in sections: What it does, Why it matters,
Example, Fixed. The Example blocks are small repositories (files introduced
by `# file: NAME` lines); the Fixed blocks show only what the fix changes
(rules/docstrings.py: the notation), and `documentation()` writes the fixed
repository out in full. The test suite checks both: the example must give
the rule's code, the fixed version must not.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterator, Sequence
from typing import ClassVar

from policycoord.checks.rules.docstrings import examples, expanded, sections
from policycoord.core.findings import FAMILIES, Finding, Fix, FixEdit, Location, Severity, Violation
from policycoord.core.text import closest
from policycoord.model.model import Model

__all__ = [
    "FAMILIES",
    "FileProblemRule",
    "FindingsRule",
    "Rule",
    "closest_fix",
    "examples",
    "sections",
]


class Rule(ABC):
    """One check. Subclasses set the class attributes and implement check()."""

    code: ClassVar[str]
    name: ClassVar[str]
    default_severity: ClassVar[Severity]
    family: ClassVar[str]
    #: whether its findings carry a fix (core.findings.Fix) and of which
    #: kind: "safe", "unsafe", "safe or unsafe" (it depends on the finding),
    #: or None; `fix_note` says in words what the fix does
    fix_kind: ClassVar[str | None] = None
    fix_note: ClassVar[str] = ""
    #: what the rule's findings depend on (checks/incremental.py): "partnership",
    #: the whole model, the rule runs in full on every check; "organisation", a
    #: rule that runs on a model whose `organisations` are a few of them (every
    #: other index left whole) finds, for each of them, what a full run finds for
    #: it; what it finds for an organisation depends only on that organisation,
    #: the partnership and the organisations it names or that name it; "walk",
    #: as "organisation", but what it finds for an organisation depends on the
    #: organisations its escalation walks reach and on the concerns' must_reach
    #: organisations, not on its neighbours
    scope: ClassVar[str] = "partnership"

    def __init__(self, *, codes: Collection[str] = ()) -> None:
        #: every code of the catalogue, which the engine gives each rule it
        #: runs: the rules about waivers check the codes that waivers name
        self.codes = tuple(codes)

    @abstractmethod
    def check(self, model: Model) -> Iterator[Violation]:
        """Yield what is wrong; never print, never read files."""

    @classmethod
    def summary(cls) -> str:
        return (inspect.getdoc(cls) or "").split("\n", 1)[0].strip()

    @classmethod
    def documentation(cls) -> str:
        """The docstring as people read it: each Fixed diff written out as the
        whole fixed repository (rules/docstrings.py)."""
        return expanded(inspect.getdoc(cls) or "", getattr(cls, "code", cls.__name__))


class FindingsRule(Rule):
    """A rule about what the other rules found (PC406 waiver-unused): the
    engine runs it after them and hands it their findings, before any
    waiver or baseline is applied, and the codes that ran."""

    def check(self, model: Model) -> Iterator[Violation]:
        """Nothing on the model alone: see review()."""
        return iter(())

    @abstractmethod
    def review(
        self, model: Model, findings: Sequence[Finding], ran: frozenset[str]
    ) -> Iterator[Violation]:
        """Yield what is wrong, given the other rules' findings."""


class FileProblemRule(Rule):
    """A rule whose problems are found while reading files (loading,
    validation, discovery); it reports what the model recorded for its code."""

    def check(self, model: Model) -> Iterator[Violation]:
        yield from model.problems(self.code)


def closest_fix(location: Location, written: str, options: Sequence[str], what: str) -> Fix | None:
    """An unsafe fix (a did-you-mean): the id at `location` replaced by the
    closest of `options`, when one is close; `what` names it ("role id")."""
    match = closest(written, options)
    if match is None:
        return None
    return Fix(
        kind="unsafe",
        description=f"Write `{match}` for `{written[:40]}` (the closest {what}).",
        edits=(FixEdit(location.path, location.pointer, "set", match, written),),
    )
