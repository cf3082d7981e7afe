"""PC304 local-jargon."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from policycoord.checks.rules.base import Rule
from policycoord.core.findings import Location, Severity, Violation
from policycoord.model.model import Model
from policycoord.model.phrases import PhraseMatcher
from policycoord.model.policies import Organisation, Term
from policycoord.model.texts import ACRONYM, organisation_texts


class LocalJargon(Rule):
    """A term only one organisation defines is used in what it sends to others.

    ## What it does
    Finds the terms of each organisation's `glossary` that neither the
    partnership's shared glossary nor any other organisation's glossary
    defines, and looks for them in what that organisation sends to others:
    the `action` of an escalation step to another organisation, its
    `sharing` entries (purpose and basis) and its `commitments`. Acronyms
    are matched as whole words, case-sensitively (a plural `s` allowed);
    other terms as whole words, case-insensitively. Each term is reported
    once per organisation, at its first use in what it sends, with the
    glossary entry as the related location. Text an organisation keeps to
    itself (its role titles, notes, summary) is not checked: its own staff
    have its glossary.

    ## Why it matters
    A glossary only helps the people who read it. When a school's referral
    to children's social care says "EHAT done, TAF in place", the social
    worker reading it at 4pm on a Friday has the school's words but not its
    glossary, and has to ring round to find out whether the child already
    has help or needs it now.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership:
      id: northshire
      name: Northshire Safeguarding Children Partnership
      members: [st-marys-primary, northshire-cs]
    glossary:
      - term: MASH
        meaning: Multi-Agency Safeguarding Hub
    # file: orgs/st-marys-primary.yaml
    policycoord: 1
    organisation: {id: st-marys-primary, name: St Mary's Primary School, sector: education}
    glossary:
      - term: TAF
        meaning: Team Around the Family
    sharing:
      - with: northshire-cs
        purpose: Tell the MASH whether a TAF meeting is already in place.
    # file: orgs/northshire-cs.yaml
    policycoord: 1
    organisation: {id: northshire-cs, name: Northshire Children's Services, sector: social-care}
    ```

    ## Fixed
    ```diff
    # file: partnership.yaml
         meaning: Multi-Agency Safeguarding Hub
    +  - term: TAF
    +    meaning: Team Around the Family
    # file: orgs/st-marys-primary.yaml
    -glossary:
    -  - term: TAF
    -    meaning: Team Around the Family
    ```
    """

    code = "PC304"
    name = "local-jargon"
    default_severity = Severity.INFO
    family = "jargon"

    def check(self, model: Model) -> Iterator[Violation]:
        if model.partnership is None:
            return
        local = _local_terms(model)
        if not local:
            return
        matchers = {org_id: _matcher(terms.values()) for org_id, terms in local.items()}
        reported: set[tuple[str, str]] = set()
        for text in organisation_texts(org for org in model.organisations if org.id in matchers):
            if not text.outgoing or text.organisation not in matchers:
                continue
            org = model.organisation(text.organisation)
            if org is None:
                continue
            for match in matchers[text.organisation].finditer(text.text):
                term = match.value
                if (org.id, _key(term.term)) in reported:
                    continue
                reported.add((org.id, _key(term.term)))
                yield _violation(model, org, term, text.field, text.location)


@functools.lru_cache(maxsize=8192)  # the same terms come back in every file and every check
def _key(term: str) -> str:
    """How terms are compared: acronyms exactly (without a plural `s`), other
    terms by their words, case-insensitively."""
    term = " ".join(term.split())
    match = ACRONYM.fullmatch(term)
    if match:
        return match.group(1)
    return term.casefold()


def _keys(terms: Iterable[Term] | None) -> set[str]:
    return {_key(term.term) for term in terms or () if term.term.strip()}


def _matcher(terms: Iterable[Term]) -> PhraseMatcher[Term]:
    """One matcher for all of an organisation's local terms: whole words,
    acronyms case-sensitive (with an optional plural `s`), other terms
    case-insensitive with any spacing."""
    matcher: PhraseMatcher[Term] = PhraseMatcher(joiners="&")
    for term in terms:
        text = " ".join(term.term.split())
        match = ACRONYM.fullmatch(text)
        if match:
            matcher.add(match.group(1), term, exact=True)
            matcher.add(match.group(1) + "s", term, exact=True)
        else:
            matcher.add(text, term)
    return matcher


def _local_terms(model: Model) -> dict[str, dict[str, Term]]:
    """Per organisation, its glossary terms that neither the shared glossary
    nor any other organisation's glossary defines, by key."""
    partnership = model.partnership
    shared = _keys(partnership.glossary if partnership else None)
    owners: dict[str, set[str]] = {}
    for org in model.organisations:
        for key in _keys(org.glossary):
            owners.setdefault(key, set()).add(org.id)
    local: dict[str, dict[str, Term]] = {}
    for org in model.organisations:
        for term in org.glossary:
            key = _key(term.term)
            if not term.term.strip() or key in shared or owners.get(key) != {org.id}:
                continue
            local.setdefault(org.id, {}).setdefault(key, term)
    return local


def _violation(
    model: Model, org: Organisation, term: Term, text_field: str, location: Location
) -> Violation:
    partnership = model.partnership
    path = partnership.origin.path if partnership is not None else "partnership.yaml"
    return Violation(
        message=(
            f"{org.name} uses `{term.term}` ({term.meaning}) in what it sends to other "
            f"organisations (`{text_field}`), but only its own glossary defines it."
        ),
        location=location,
        subject=term.term,
        suggestion=(
            f"Propose `{term.term}` ({term.meaning}) to the partnership for its shared glossary "
            f"(`glossary:` in {path}), so every organisation reads it the same way, or write it "
            "out in full in what you send to others."
        ),
        organisation=org.id,
        related=(term.origin.at("term"),),
    )
