"""PC302 conflicting-definitions."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from policycoord.checks.rules.base import Rule
from policycoord.core.findings import Severity, Violation
from policycoord.core.text import listing, place
from policycoord.model.model import Model
from policycoord.model.policies import Term


class ConflictingDefinitions(Rule):
    """One term or acronym is given different meanings by different organisations.

    ## What it does
    Collects every glossary entry: the partnership's shared `glossary` and
    each organisation's own. Terms are compared ignoring case and spacing;
    meanings are compared ignoring case, spacing, punctuation and hyphens,
    with `&` read as `and` ("Child Protection" and "child-protection"
    agree; "Child Protection" and "Care Plan" do not). A term given
    different meanings by more than one organisation, or by an organisation
    and the shared glossary, is reported once. The finding is on the first
    definition (in file order, the partnership file first) whose meaning
    differs from the shared glossary's, or, when the shared glossary does
    not define the term, on the first definition whose meaning differs from
    the first one met. Every other definition is a related location, and
    the message lists each organisation with its meaning and file:line.

    ## Why it matters
    When a health visitor writes "CP in place" meaning a care plan and a
    social worker reads it as a child protection plan, each believes the
    child is safer, or less safe, than they are. Referrals and strategy
    meetings are exactly where agencies read each other's shorthand; one
    word with two meanings is how a child falls between them.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership:
      id: northshire
      name: Northshire Safeguarding Children Partnership
    glossary:
      - term: CIN
        meaning: Child in Need
    # file: orgs/northshire-police.yaml
    policycoord: 1
    organisation: {id: northshire-police, name: Northshire Police, sector: police}
    glossary:
      - term: CIN
        meaning: Crime Incident Number
    ```

    ## Fixed
    ```diff
    # file: orgs/northshire-police.yaml
    -  - term: CIN
    -    meaning: Crime Incident Number
    +  - term: Incident number
    +    meaning: The crime incident number the control room gives every call
    ```
    """

    code = "PC302"
    name = "conflicting-definitions"
    default_severity = Severity.WARNING
    family = "jargon"

    def check(self, model: Model) -> Iterator[Violation]:
        by_term: dict[str, list[Term]] = {}
        shared = model.partnership.glossary if model.partnership is not None else None
        for entry in shared or ():
            by_term.setdefault(term_key(entry.term), []).append(entry)
        for org in model.organisations:
            for entry in org.glossary:
                by_term.setdefault(term_key(entry.term), []).append(entry)
        for entries in by_term.values():
            if len({meaning_key(entry.meaning) for entry in entries}) < 2:
                continue
            if len({entry.organisation for entry in entries}) < 2:
                continue  # one owner repeating itself is not a cross-agency conflict
            yield self._finding(model, entries)

    def _finding(self, model: Model, entries: list[Term]) -> Violation:
        shared = [entry for entry in entries if entry.organisation is None]
        reference = shared[0] if shared else entries[0]
        agreed = meaning_key(reference.meaning)
        flagged = next(entry for entry in entries if meaning_key(entry.meaning) != agreed)
        term = reference.term.strip()
        said = [
            f'{_owner(model, entry)} "{entry.meaning.strip()}" ({place(entry.origin.at("term"))})'
            for entry in entries
        ]
        if shared:
            suggestion = (
                f'Use the shared glossary\'s meaning of `{term}` ("{reference.meaning.strip()}") '
                f"in {flagged.origin.path}, or give this meaning a different term there "
                "and spell it out in full."
            )
        else:
            suggestion = (
                f"Agree one meaning for `{term}` and add it to the partnership's shared "
                "glossary; give the other meaning a different term, or spell it out in full."
            )
        return Violation(
            message=f"`{term}` means different things: {listing(said)}.",
            location=flagged.origin.at("term"),
            subject=term,
            suggestion=suggestion,
            organisation=flagged.organisation,
            related=tuple(entry.origin.at("term") for entry in entries if entry is not flagged),
        )


_NOT_WORD = re.compile(r"[\W_]+")
_AMPERSAND = re.compile(r"\s*&\s*")


@functools.lru_cache(maxsize=8192)  # the same terms come back in every file and every check
def term_key(term: str) -> str:
    """`CIN` and `cin` compare equal, and so do `Child  in need` and `child in need`."""
    return " ".join(term.split()).casefold()


@functools.lru_cache(maxsize=8192)
def meaning_key(meaning: str) -> str:
    """ "Child Protection", "child-protection" and "Child  protection." agree;
    `&` reads as `and`."""
    text = _AMPERSAND.sub(" and ", meaning.casefold())
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _owner(model: Model, entry: Term) -> str:
    if entry.organisation is None:
        return "the shared glossary says"
    org = model.organisation(entry.organisation)
    name = org.name if org is not None else entry.organisation
    return f"{name} says"
