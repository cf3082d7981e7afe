"""Root causes first (issue 19): findings that only follow from a problem
with a file say so, and the problem says how many follow from it.

Two kinds of root cause, both file problems:

- a policy file that could not be read (PC001, PC005, PC010, or a PC003
  that left no organisation to build), filed under the organisation its
  readable part or its name claims (`Model.claimed_files`). What follows is
  every other finding about that organisation: one that belongs to it, or
  whose subject names it (`org` or `org/role`): a step to one of its roles,
  a sharing entry with it, a waiver about it.
- a field policycoord does not know (PC003, `additionalProperties`), which
  hid its value from every check: a misspelt `responsibilites:` or `rolse:`,
  an `idd:` in a partnership duty. What follows is a finding whose subject
  names one of the words the field held (a duty id, a role id, a term), in
  an organisation's file only about that organisation; and, for a misspelt
  top-level section of a policy file, the findings of that organisation
  that the section answers (no accountable role for a duty, no escalation
  path, no commitment, sharing that looks one-sided).

A finding follows from at most one cause (the first, in report order);
file problems follow from nothing. The cause's message ends by saying how
many findings follow from it, each consequence's by naming its cause. The
engine runs this after the rules, before waivers and the baseline.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from typing import Final

from policycoord.core.findings import Finding, Violation
from policycoord.core.text import listing, place
from policycoord.model.model import Model

#: codes of problems with a file as such: causes, never consequences
FILE_CODES: Final = frozenset(
    {"PC001", "PC002", "PC003", "PC004", "PC005", "PC009", "PC010", "PC011", "PC012"}
)

#: a top-level section of a policy file -> the codes of the findings about
#: its organisation that its absence alone gives (what names a hidden id, a
#: role or a duty, is told by the id instead)
SECTION_CODES: Final = {
    "responsibilities": frozenset({"PC102", "PC107"}),
    "escalations": frozenset({"PC207"}),
    "commitments": frozenset({"PC403"}),
    "sharing": frozenset({"PC402"}),
}

_SEPARATORS: Final = re.compile(r"[:/]")


def link(model: Model, findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """`findings` (in report order) with each consequence's `cause` set and
    the messages of causes and consequences saying so."""
    hidden = {
        (v.location.path, v.location.pointer): v
        for problem in model.file_problems
        if problem.code == "PC003" and (v := problem.violation).hides
    }
    unreadable: dict[str, Finding] = {}  # organisation -> the first problem of its file
    hiding: list[Finding] = []
    for finding in findings:
        if finding.code not in FILE_CODES:
            continue
        owner = model.claimed_files.get(finding.location.path)
        if owner is not None and finding.code != "PC009":
            unreadable.setdefault(owner, finding)
        elif finding.code == "PC003" and _key(finding) in hidden:
            hiding.append(finding)
    if not unreadable and not hiding:
        return tuple(findings)
    follows: dict[str, Finding] = {}  # consequence fingerprint -> its cause
    effects: dict[str, list[Finding]] = {}  # cause fingerprint -> its consequences
    for finding in findings:
        if finding.code in FILE_CODES:
            continue
        cause = _unread_cause(unreadable, finding) or next(
            (c for c in hiding if _hidden_by(hidden[_key(c)], c, finding)), None
        )
        if cause is not None:
            follows[finding.fingerprint] = cause
            effects.setdefault(cause.fingerprint, []).append(finding)
    return tuple(_told(finding, follows, effects) for finding in findings)


def _unread_cause(unreadable: dict[str, Finding], finding: Finding) -> Finding | None:
    """The problem of the unreadable file of the organisation the finding
    belongs to or names, if there is one."""
    if not unreadable:
        return None
    if finding.organisation in unreadable:
        return unreadable[finding.organisation]
    for token in _tokens(finding.subject):
        if token in unreadable:
            return unreadable[token]
    return None


def _key(finding: Finding) -> tuple[str, str]:
    return (finding.location.path, finding.location.pointer)


def _tokens(subject: str) -> set[str]:
    return {token for token in _SEPARATORS.split(subject) if token}


def _names(subject: str, org: str) -> bool:
    """The subject names the organisation, or one of its roles."""
    return f"{org}/" in subject or org in subject.split(":")


def _hidden_by(violation: Violation, cause: Finding, finding: Finding) -> bool:
    """The finding follows from the value a misspelt field hid."""
    org = cause.organisation
    if org is not None and finding.organisation != org and not _names(finding.subject, org):
        return False  # in an organisation's file, only what is about that organisation
    section = cause.location.pointer.count("/") == 1  # a top-level section of the file
    answers = SECTION_CODES.get(violation.meant, frozenset())
    if org is not None and section and finding.code in answers:
        return True  # about the organisation, as checked above
    return bool(_tokens(finding.subject) & set(violation.hides))


def _told(
    finding: Finding, follows: dict[str, Finding], effects: dict[str, list[Finding]]
) -> Finding:
    cause = follows.get(finding.fingerprint)
    if cause is not None:
        return dataclasses.replace(
            finding,
            cause=cause.fingerprint,
            message=f"{finding.message} This follows from the {cause.code} at "
            f"{place(cause.location)}: put that right first.",
        )
    following = effects.get(finding.fingerprint)
    if following:
        counts = Counter(effect.code for effect in following)
        codes = listing(
            f"{code}" if count == 1 else f"{count} × {code}"
            for code, count in sorted(counts.items())
        )
        many = len(following) != 1
        return dataclasses.replace(
            finding,
            message=f"{finding.message} {len(following)} other finding{'s' if many else ''} "
            f"follow{'' if many else 's'} from this one ({codes}): put this right first.",
        )
    return finding
