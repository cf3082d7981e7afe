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
from dataclasses import dataclass
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

#: the section a misspelt field stood in (or for) -> the families of codes
#: whose findings can follow from what it hid
SECTION_FAMILIES: Final = {
    "duties": ("PC1",),
    "responsibilities": ("PC1",),
    "roles": ("PC1", "PC2", "PC4"),
    "concerns": ("PC2",),
    "escalations": ("PC2",),
    "receives": ("PC2",),
    "glossary": ("PC3",),
    "allow_acronyms": ("PC3",),
    "sharing": ("PC4",),
    "commitments": ("PC4",),
    "mission": ("PC4",),
}

#: a subject's kind -> the sections a field naming that kind of id stands in
KINDS: Final = {"role": ("roles", "role"), "duty": ("duties", "duty", "responsibilities")}

_SEPARATORS: Final = re.compile(r"[:/]")


@dataclass(frozen=True, slots=True)
class _Hiding:
    """A misspelt field: the finding, the section it stood in or for, and
    the words its value held (values only, split as subjects are)."""

    finding: Finding
    section: str
    words: frozenset[str]
    present: bool  # the section it was meant to be is in the file all the same


def link(model: Model, findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """`findings` (in report order) with each consequence's `cause` set and
    the messages of causes and consequences saying so. Linear in the number
    of findings: causes are looked up by organisation."""
    unreadable, hiding = _causes(model, findings)
    if not unreadable and not hiding:
        return tuple(findings)  # the common case: nothing to link
    follows: dict[str, Finding] = {}  # consequence fingerprint -> its cause
    effects: dict[str, list[Finding]] = {}  # cause fingerprint -> its consequences
    for finding in findings:
        if finding.code in FILE_CODES:
            continue
        tokens = _tokens(finding.subject)
        cause = _unread_cause(unreadable, finding, tokens) or _hiding_cause(hiding, finding, tokens)
        if cause is not None:
            follows[finding.fingerprint] = cause
            effects.setdefault(cause.fingerprint, []).append(finding)
    unread = {cause.fingerprint: owner for owner, cause in unreadable.items()}
    return tuple(_told(finding, follows, effects, unread) for finding in findings)


def _causes(
    model: Model, findings: Sequence[Finding]
) -> tuple[dict[str, Finding], dict[str | None, list[_Hiding]]]:
    """Unreadable files by the organisation that claims them; misspelt
    fields by the organisation whose file they are in (None: the partnership's)."""
    hidden = {
        (v.location.path, v.location.pointer): v
        for problem in model.file_problems
        if problem.code == "PC003" and (v := problem.violation).hides
    }
    unreadable: dict[str, Finding] = {}
    hiding: dict[str | None, list[_Hiding]] = {}
    for finding in findings:
        if finding.code not in FILE_CODES:
            continue
        owner = model.claimed_files.get(finding.location.path)
        if owner is not None and finding.code != "PC009":
            unreadable.setdefault(owner, finding)
            continue
        violation = hidden.get(_key(finding)) if finding.code == "PC003" else None
        if violation is not None:
            entry = _hiding(model, finding, violation)
            hiding.setdefault(finding.organisation, []).append(entry)
    return unreadable, hiding


def _hiding(model: Model, finding: Finding, violation: Violation) -> _Hiding:
    parts = finding.location.pointer.split("/")[1:]  # an empty key is a part too
    top_level = len(parts) == 1
    section = violation.meant if top_level or not parts else parts[0]
    words = frozenset(token for value in violation.hides for token in _tokens(value))
    org = model.organisation(finding.organisation) if finding.organisation else None
    present = bool(top_level and org is not None and getattr(org, section, None))
    return _Hiding(finding, section, words, present)


def _unread_cause(
    unreadable: dict[str, Finding], finding: Finding, tokens: set[str]
) -> Finding | None:
    """The problem of the unreadable file of the organisation the finding
    belongs to or names, if there is one."""
    if not unreadable:
        return None
    if finding.organisation in unreadable:
        return unreadable[finding.organisation]
    for token in sorted(tokens | set(finding.about)):
        if token in unreadable:
            return unreadable[token]
    return None


def _hiding_cause(
    hiding: dict[str | None, list[_Hiding]], finding: Finding, tokens: set[str]
) -> Finding | None:
    """The first misspelt field, in the finding's own organisation's file,
    in the file of an organisation its subject names, or in the partnership
    file, that hid what the finding is about."""
    if not hiding:
        return None
    owners = [finding.organisation, *sorted(t for t in tokens if t in hiding), None]
    for owner in dict.fromkeys(owners):
        for entry in hiding.get(owner, ()):
            if _follows(entry, finding, tokens):
                return entry.finding
    return None


def _key(finding: Finding) -> tuple[str, str]:
    return (finding.location.path, finding.location.pointer)


def _tokens(subject: str) -> set[str]:
    return {token for token in _SEPARATORS.split(subject) if token}


def _follows(entry: _Hiding, finding: Finding, tokens: set[str]) -> bool:
    """The finding follows from what the misspelt field hid: of a family the
    section answers, about the organisation whose file it is, and naming
    one of the ids it held (or, for a missing top-level section, one of the
    codes its absence alone gives)."""
    org = entry.finding.organisation
    if org is not None and finding.organisation != org and org not in tokens:
        return False  # in an organisation's file, only what is about that organisation
    families = SECTION_FAMILIES.get(entry.section, ())
    if not finding.code.startswith(families):
        return False
    kind = finding.subject.split(":", 1)[0] if ":" in finding.subject else ""
    if kind in KINDS and entry.section not in KINDS[kind]:
        return False
    answers = SECTION_CODES.get(entry.section, frozenset())
    if org is not None and not entry.present and finding.code in answers:
        return True
    return bool(tokens & entry.words)


def _what(cause: Finding) -> str:
    """The cause in words: `the misspelt field `rolse` at orgs/x.yaml:11`."""
    at = place(cause.location)
    if cause.code == "PC003":
        field = cause.location.pointer.rsplit("/", 1)[-1]
        return f"the field `{field}` at {at}, which policycoord does not know"
    return f"{at}, a file that could not be read ({cause.code})"


def _told(
    finding: Finding,
    follows: dict[str, Finding],
    effects: dict[str, list[Finding]],
    unread: dict[str, str],
) -> Finding:
    cause = follows.get(finding.fingerprint)
    if cause is not None:
        return dataclasses.replace(
            finding,
            cause=cause.fingerprint,
            message=f"{finding.message} This follows from {_what(cause)}: put that right first.",
        )
    following = effects.get(finding.fingerprint)
    owner = unread.get(finding.fingerprint)
    if owner is not None:  # whatever follows, say what could not be checked
        finding = dataclasses.replace(
            finding,
            message=f"{finding.message} Until this file can be read, nothing about `{owner}` "
            "can be checked, nor the steps of other organisations that hand over to it.",
        )
    if following:
        counts = Counter(effect.code for effect in following)
        codes = listing(
            code if count == 1 else f"{count} × {code}" for code, count in sorted(counts.items())
        )
        many = len(following) != 1
        return dataclasses.replace(
            finding,
            message=f"{finding.message} {len(following)} other finding{'s' if many else ''} "
            f"follow{'' if many else 's'} from this one ({codes}): put this right first.",
        )
    return finding
