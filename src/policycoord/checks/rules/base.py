"""What every rule is: a code, a name, a default severity, a family, and a
`check(model)` generator of Violations. Its docstring is its documentation
(`policycoord explain CODE`), in sections: What it does, Why it matters,
Example, Fixed. The Example and Fixed blocks are small repositories (files
introduced by `# file: NAME` lines) that the test suite checks: the example
must give the rule's code, the fixed version must not.
"""

from __future__ import annotations

import inspect
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from policycoord.core.findings import Finding, Severity, Violation
from policycoord.model.objects import Model

FAMILIES = {
    "input": "Reading the files",
    "gaps": "Gaps",
    "overlaps": "Overlaps",
    "conflicts": "Conflicts",
    "escalation": "Escalation",
    "jargon": "Jargon",
    "governance": "Governance",
}


class Rule(ABC):
    """One check. Subclasses set the class attributes and implement check()."""

    code: ClassVar[str]
    name: ClassVar[str]
    default_severity: ClassVar[Severity]
    family: ClassVar[str]

    @abstractmethod
    def check(self, model: Model) -> Iterator[Violation]:
        """Yield what is wrong; never print, never read files."""

    @classmethod
    def summary(cls) -> str:
        return (inspect.getdoc(cls) or "").split("\n", 1)[0].strip()

    @classmethod
    def documentation(cls) -> str:
        return inspect.getdoc(cls) or ""


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


@dataclass(frozen=True, slots=True)
class DocExample:
    """A small repository from a rule's docstring: file name -> text."""

    files: dict[str, str]


_SECTION = re.compile(r"^## (.+)$", re.MULTILINE)
_FENCE = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)
_FILE_MARK = re.compile(r"^# file: (\S+)\n", re.MULTILINE)


def sections(doc: str) -> dict[str, str]:
    """The `## Heading` sections of a rule docstring, by heading."""
    parts = _SECTION.split(doc)
    return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def examples(doc: str, heading: str) -> list[DocExample]:
    """The repositories written in a section's ```yaml blocks."""
    found = []
    for block in _FENCE.findall(sections(doc).get(heading, "")):
        pieces = _FILE_MARK.split(block)
        files = {pieces[i]: pieces[i + 1] for i in range(1, len(pieces) - 1, 2)}
        found.append(DocExample(files))
    return found
