"""PC301 undefined-acronym."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from policycoord.findings import Location, Severity, Violation
from policycoord.model import Model, Term
from policycoord.rules.base import Rule
from policycoord.texts import FreeText, free_texts

#: An acronym: two or more capitals, digits and `&` allowed after the first
#: capital (`CAMHS`, `A&E`, `ICPC2`), never ending in `&`; a trailing
#: lowercase `s` is a plural and is not part of it (`DSLs` is `DSL`). Group 1
#: is the acronym without the plural `s`.
ACRONYM = re.compile(r"(?<![\w&])([A-Z][0-9&]*[A-Z](?:[A-Z0-9&]*[A-Z0-9])?)s?(?![\w&])")

#: `ACRONYM` written to search long texts fast: the first capital comes
#: first (the search skips to capitals), then the look back at what is
#: before it. The same matches (tests/test_scale.py checks).
ACRONYM_SEARCH = re.compile(r"([A-Z](?<![\w&].)[0-9&]*[A-Z](?:[A-Z0-9&]*[A-Z0-9])?)s?(?![\w&])")

#: Acronyms every reader in England knows; never reported.
BUILT_IN = frozenset({"UK", "NHS", "GP", "OK", "TV", "PE", "ID", "PDF", "IT", "CEO", "FAQ"})

#: Words an expansion may leave out of its acronym ("single point of contact").
_SMALL_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "to", "a", "an", "with", "&"})
_WORD = re.compile(r"[^\s\-/]+")
#: web addresses and email addresses are contact details, never prose (SPEC §3)
_ADDRESS = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\S+@\S+\.\w+")


def _without_addresses(text: str) -> str:
    """The text with web and email addresses blanked out, same length, so
    that positions (for expansions) stay where they were."""
    if not _may_hold_an_address(text):
        return text
    return _ADDRESS.sub(lambda match: " " * len(match.group()), text)


_WWW = re.compile(r"(?i)www\.")


def _may_hold_an_address(text: str) -> bool:
    return "@" in text or "://" in text or _WWW.search(text) is not None


def _all_without_addresses(texts: Sequence[FreeText]) -> list[str]:
    """`_without_addresses` of every text; a batch that holds no address
    at all (the usual case) is passed over in three searches."""
    proses = [text.text for text in texts]
    for first in range(0, len(proses), _BATCH):
        if _may_hold_an_address("\n".join(proses[first : first + _BATCH])):
            for index in range(first, min(first + _BATCH, len(proses))):
                proses[index] = _without_addresses(proses[index])
    return proses


def acronym_of(text: str) -> str:
    """`DSL` for the term `DSL` or `DSLs`; the stripped text otherwise."""
    text = text.strip()
    match = ACRONYM.fullmatch(text)
    return match.group(1) if match else text


def _defined(terms: Iterable[Term] | None) -> set[str]:
    return {acronym_of(term.term) for term in terms or ()}


def _letters(acronym: str) -> list[str]:
    return [char.lower() for char in acronym if char.isalpha()]


def _initial(word: str) -> str:
    for char in word:
        if char.isalpha():
            return char.lower()
    return ""


def _small(word: str) -> bool:
    return word.strip("()[],.;:'\"").lower() in _SMALL_WORDS


def _spells(letters: list[str], words: list[str]) -> bool:
    """Whether `words`, in order and all of them, give `letters` by their
    initials; small words (of, and, the...) may give a letter or none."""
    # reach[i]: the first i letters are spelt by the words read so far
    reach = [True] + [False] * len(letters)
    for word in words:
        small = _small(word)
        initial = _initial(word)
        nxt = [small and reached for reached in reach]
        for i, reached in enumerate(reach[:-1]):
            if reached and letters[i] == initial:
                nxt[i + 1] = True
        reach = nxt
    return reach[-1]


def _expanded(acronym: str, text: str, start: int, end: int) -> bool:
    """Whether this use is written out beside it: `words (ACR)` or `ACR (words)`."""
    letters = _letters(acronym)
    before = text[:start].rstrip()
    if before.endswith("(") and text[end:].lstrip().startswith(")"):
        words = _WORD.findall(before[:-1])
        # the shortest run of words just before the bracket that spells it
        for size in range(len(letters), 2 * len(letters) + 1):
            if size <= len(words) and _spells(letters, words[-size:]):
                return True
        return False
    after = text[end:].lstrip()
    if after.startswith("("):
        inside = after[1:].split(")", 1)[0].split(",", 1)[0]
        words = _WORD.findall(inside)
        for size in range(len(letters), min(len(words), 2 * len(letters)) + 1):
            if _spells(letters, words[:size]):
                return True
    return False


def _undefined(
    proses: list[str],
    texts: Sequence[FreeText],
    shared: set[str],
    own: dict[str, set[str]],
) -> dict[int, list[tuple[str, int, int]]]:
    """For each text (by index, in order) that uses acronyms neither the
    shared glossary nor its organisation's defines: each such use, with
    where it starts and ends in the text. The texts are searched joined by
    line breaks, in one pass (no acronym spans a line break, and one reads
    the same at a line's start or end as at a text's)."""
    found: dict[int, list[tuple[str, int, int]]] = {}
    nothing: set[str] = set()
    for first in range(0, len(proses), _BATCH):  # a batch at a time: memory stays small
        batch = proses[first : first + _BATCH]
        starts = list(itertools.accumulate((len(prose) + 1 for prose in batch), initial=0))
        for match in ACRONYM_SEARCH.finditer("\n".join(batch)):
            acronym = match.group(1)
            if acronym in shared:
                continue
            index = bisect.bisect_right(starts, match.start()) - 1
            owner = texts[first + index].organisation
            if owner and acronym in own.get(owner, nothing):
                continue
            offset = starts[index]
            uses = found.setdefault(first + index, [])
            uses.append((acronym, match.start() - offset, match.end() - offset))
    return found


_BATCH = 4096


@dataclass
class _Uses:
    first: Location
    count: int = 0


class UndefinedAcronym(Rule):
    """Prose uses an acronym that no glossary it can rely on defines.

    ## What it does
    Reads every free-text field of the partnership file and of each policy
    (names, titles, meanings, definitions, notes, actions, purposes, bases,
    texts, summaries, the vision and theme titles, waiver reasons; never ids,
    references, timeframes or codes) and finds acronyms: words of two or
    more capitals, with digits and `&` allowed after the first capital
    (`CAMHS`, `A&E`) and a trailing lowercase `s` read as a plural (`DSLs`
    is `DSL`). An acronym is defined when it is:

    - a `term` of the partnership's shared `glossary`;
    - a `term` of the organisation's own `glossary` (for the partnership
      file's own text, only the shared glossary counts);
    - listed in the partnership's `allow_acronyms`;
    - one of the few acronyms every reader in England knows: UK, NHS, GP,
      OK, TV, PE, ID, PDF, IT, CEO and FAQ;
    - written out in the same text, as `single point of contact (SPOC)` or
      `SPOC (single point of contact)`: the initials of the words, in order,
      give its letters (small words such as of, and, the may be skipped).

    Terms are compared case-sensitively. Each undefined acronym is reported
    once per organisation (and once for the partnership file), at its first
    use in the file, with how many more uses there are. Without a shared
    glossary the rule still works from the organisations' own glossaries,
    `allow_acronyms` and the built-in list.

    ## Why it matters
    A referral that says "passed to SPOC" or "CP plan in place" means one
    thing to the writer and another, or nothing, to the reader at the next
    agency. When the receptionist, the coach or the duty social worker has
    to guess what an acronym stands for, information about a child at risk
    is misread or sits unread while someone finds out.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership:
      id: northshire
      name: Northshire Safeguarding Children Partnership
      members: [st-marys-primary]
    glossary:
      - term: DSL
        meaning: Designated Safeguarding Lead
    # file: orgs/st-marys-primary.yaml
    policycoord: 1
    organisation: {id: st-marys-primary, name: St Mary's Primary School, sector: education}
    roles:
      - {id: dsl, title: Designated Safeguarding Lead}
    summary: Out of term time the DSL passes concerns to the SPOC.
    ```

    ## Fixed
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership:
      id: northshire
      name: Northshire Safeguarding Children Partnership
      members: [st-marys-primary]
    glossary:
      - term: DSL
        meaning: Designated Safeguarding Lead
      - term: SPOC
        meaning: Single point of contact
    # file: orgs/st-marys-primary.yaml
    policycoord: 1
    organisation: {id: st-marys-primary, name: St Mary's Primary School, sector: education}
    roles:
      - {id: dsl, title: Designated Safeguarding Lead}
    summary: Out of term time the DSL passes concerns to the SPOC.
    ```
    """

    code = "PC301"
    name = "undefined-acronym"
    default_severity = Severity.WARNING
    family = "jargon"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None:
            return
        shared = _defined(partnership.glossary) | BUILT_IN
        shared |= {acronym_of(word) for word in partnership.allow_acronyms}
        own = {org.id: _defined(org.glossary) for org in model.organisations}
        texts = free_texts(model)
        proses = _all_without_addresses(texts)
        # (organisation, acronym) -> its uses, in document order
        uses: dict[tuple[str | None, str], _Uses] = {}
        for index, found in _undefined(proses, texts, shared, own).items():
            text, prose = texts[index], proses[index]
            expanded = {
                acronym for acronym, start, end in found if _expanded(acronym, prose, start, end)
            }
            for acronym, _, _ in found:
                if acronym in expanded:
                    continue
                entry = uses.setdefault((text.organisation, acronym), _Uses(text.location))
                entry.count += 1
        for (owner, acronym), entry in uses.items():
            yield self._violation(model, owner, acronym, entry)

    def _violation(self, model: Model, owner: str | None, acronym: str, entry: _Uses) -> Violation:
        partnership = model.partnership
        assert partnership is not None
        more = entry.count - 1
        if more == 0:
            count = "only here"
        else:
            count = f"first here; {more} more use{'s' if more != 1 else ''}"
        if owner is None:
            who = "The partnership file"
            undefined = (
                "the shared glossary does not define it"
                if partnership.glossary is not None
                else "there is no shared glossary to define it"
            )
        else:
            org = model.organisation(owner)
            who = org.name if org is not None else owner
            undefined = (
                "neither its glossary nor the partnership's defines it"
                if partnership.glossary is not None
                else "its glossary does not define it and the partnership has no shared glossary"
            )
        return Violation(
            message=f"{who} uses `{acronym}` ({count}) but {undefined}.",
            location=entry.first,
            subject=acronym,
            suggestion=(
                f"Add `{acronym}` with its meaning to the shared `glossary:` in "
                f"{partnership.origin.path}, or write it out in full the first time it is "
                f"used, with `({acronym})` after the words."
            ),
            organisation=owner,
        )
