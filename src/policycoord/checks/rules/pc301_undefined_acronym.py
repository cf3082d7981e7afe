"""PC301 undefined-acronym."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from policycoord.checks.rules.base import Rule
from policycoord.core.findings import Location, Severity, Violation
from policycoord.model.model import Model
from policycoord.model.policies import Term
from policycoord.model.texts import ACRONYM, ACRONYM_SEARCH, distinct_texts, free_texts


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
    ```diff
    # file: partnership.yaml
         meaning: Designated Safeguarding Lead
    +  - term: SPOC
    +    meaning: Single point of contact
    ```
    """

    code = "PC301"
    name = "undefined-acronym"
    default_severity = Severity.WARNING
    family = "jargon"
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        partnership = model.partnership
        if partnership is None:
            return
        shared = _defined(partnership.glossary) | BUILT_IN
        shared |= {acronym_of(word) for word in partnership.allow_acronyms}
        own = {org.id: _defined(org.glossary) for org in model.organisations}
        texts = free_texts(model)
        distinct = distinct_texts(model)  # each different text read once
        proses = _all_without_addresses(distinct.texts)
        found = _undefined(proses, shared)
        unexplained: dict[int, list[str]] = {}  # by distinct text
        # (organisation, acronym) -> its uses, in document order
        uses: dict[tuple[str | None, str], _Uses] = {}
        nothing: set[str] = set()
        for text, which in zip(texts, distinct.of, strict=True):
            if which not in found:
                continue
            acronyms = unexplained.get(which)
            if acronyms is None:
                acronyms = unexplained[which] = _not_written_out(proses[which], found[which])
            defined = own.get(text.organisation, nothing) if text.organisation else nothing
            for acronym in acronyms:
                if acronym in defined:
                    continue
                key = (text.organisation, acronym)
                entry = uses.get(key)
                if entry is None:
                    entry = uses[key] = _Uses(text.location)
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
                f"Write it out in full the first time it is used, with ({acronym}) after the "
                f"words; or, if the partnership uses `{acronym}` widely, agree what it means and "
                f"add it to the shared `glossary:` in {partnership.origin.path}."
            ),
            organisation=owner,
        )


#: Acronyms every reader in England knows; never reported.
BUILT_IN = frozenset({"UK", "NHS", "GP", "OK", "TV", "PE", "ID", "PDF", "IT", "CEO", "FAQ"})


#: Words an expansion may leave out of its acronym ("single point of contact").
_SMALL_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "to", "a", "an", "with", "&"})
_WORD = re.compile(r"[^\s\-/]+")
#: web addresses and email addresses are contact details, never prose (SPEC §3)
#: (`_address_spans` finds its matches without it: `\S+@` tried at each
#: character of a long word with an `@` reads the rest of the word each time)
_ADDRESS = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_WEB_ADDRESS = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_SPACE = re.compile(r"\s")
_WORD_CHARACTERS = re.compile(r"\w+")


def _without_addresses(text: str) -> str:
    """The text with web and email addresses blanked out, same length, so
    that positions (for expansions) stay where they were."""
    if not _may_hold_an_address(text):
        return text
    pieces: list[str] = []
    done = 0
    for start, end in _address_spans(text):
        pieces += (text[done:start], " " * (end - start))
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _address_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where `_ADDRESS.finditer(text)` matches, in time that follows the
    length of the text: a word holding an `@` is looked at as a whole, the
    rest of the text only for web addresses."""
    done = 0  # the text before this is dealt with; text[done] is a space or the end
    while (at := text.find("@", done)) >= 0:
        start = at
        while start > done and not text[start - 1].isspace():
            start -= 1
        space = _SPACE.search(text, at)
        end = space.start() if space is not None else len(text)
        for web in _WEB_ADDRESS.finditer(text, done, start):
            yield web.span()
        yield from _spans_in_word(text, start, end)
        done = end
    for web in _WEB_ADDRESS.finditer(text, done):
        yield web.span()


def _spans_in_word(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """`_ADDRESS` in text[start:end], a word (no spaces) holding an `@`: a
    web address from its first character to the end of the word; else an
    email address from the first character to the word characters after the
    last `.` that has one after it and an `@` at least two characters before
    it (the regular expression's greedy choice), then perhaps a web address."""
    if _WEB_ADDRESS.match(text, start, end):
        yield start, end
        return
    dot, after = end - 1, None
    while after is None and (dot := text.rfind(".", start, dot)) >= 0:
        after = _WORD_CHARACTERS.match(text, dot + 1, end)
    if after is not None and dot >= start + 3 and text.rfind("@", start + 1, dot - 1) >= 0:
        yield start, after.end()
        start = after.end()
    web = _WEB_ADDRESS.search(text, start, end)
    if web is not None:
        yield web.span()


def _may_hold_an_address(text: str) -> bool:
    """Whether the text may hold a web or email address (a quick look: a
    text that does is read with `_address_spans`). Substring searches, with
    `www.` in any case looked for in the lowercased text: a case-blind
    regular expression reads each character in turn, ten times slower."""
    return "@" in text or "://" in text or "www." in text.lower()


def _all_without_addresses(texts: Sequence[str]) -> list[str]:
    """`_without_addresses` of every text; a batch that holds no address
    at all (the usual case) is passed over in three searches."""
    proses = list(texts)
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


#: An acronym of more than this many letters is never taken as written out
#: beside it (no real one has so many; the check costs letters x words).
MAX_EXPANDED_LETTERS = 64
#: The words that write an acronym out are looked for within this many
#: characters a word of it (2 x letters + 1 words) of its bracket, so that
#: a long run of spaces or a very long word is not read again at every use.
WORD_REACH = 32
_SPACES = re.compile(r"\s*")
_BRACKET_END = re.compile(r"[),]")


def _spelt(letters: list[str], words: Iterable[str]) -> bool:
    """Whether the first `size` of `words` spell `letters` by their initials,
    for some `size` from len(letters) to 2 x len(letters): all of those
    words, in order; small words (of, and, the...) may give a letter or none.
    One pass, the letters spelt so far kept as the bits of a number (bit i:
    the first i letters), so a use costs its words, not words x sizes x letters."""
    wanted = len(letters)
    masks: dict[str, int] = {}
    for index, letter in enumerate(letters):
        masks[letter] = masks.get(letter, 0) | 1 << index
    done = 1 << wanted
    reach = 1
    for count, word in enumerate(words, 1):
        moved = (reach & masks.get(_initial(word), 0)) << 1
        reach = reach | moved if _small(word) else moved
        if count >= wanted and reach & done:
            return True
        if not reach or count >= 2 * wanted:
            return False
    return False


class _Prose:
    """A text for `_expanded`, with its reverse made when first needed (the
    words before a bracket are read backwards from it)."""

    __slots__ = ("_reversed", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._reversed: str | None = None

    @property
    def reversed(self) -> str:
        if self._reversed is None:
            self._reversed = self.text[::-1]
        return self._reversed


def _expanded(acronym: str, prose: _Prose, start: int, end: int) -> bool:
    """Whether this use is written out beside it: `words (ACR)` or `ACR (words)`.
    Reads only the few words next to the brackets: a text of a million
    acronyms costs a million short looks, not a million reads of the text."""
    letters = _letters(acronym)
    if len(letters) > MAX_EXPANDED_LETTERS:
        return False
    text = prose.text
    before = start - 1  # the last character before the use that is not a space
    while before >= 0 and text[before].isspace():
        before -= 1
    spaces = _SPACES.match(text, end)
    after = spaces.end() if spaces is not None else end  # the first one after it
    reach = WORD_REACH * (2 * len(letters) + 1)
    if before >= 0 and text[before] == "(" and text.startswith(")", after):
        # the words just before the bracket, the nearest first: the shortest
        # run of them that spells it (letters and words both read backwards)
        backwards = prose.reversed
        origin = len(text) - before
        nearest = _WORD.finditer(backwards, origin, origin + reach)
        return _spelt(letters[::-1], (word.group()[::-1] for word in nearest))
    if text.startswith("(", after):
        inside = after + 1
        closing = _BRACKET_END.search(text, inside, inside + reach)
        stop = closing.start() if closing is not None else min(len(text), inside + reach)
        return _spelt(letters, (word.group() for word in _WORD.finditer(text, inside, stop)))
    return False


def _undefined(proses: Sequence[str], shared: set[str]) -> dict[int, list[tuple[str, int, int]]]:
    """For each text (by index, in order) that uses acronyms the shared
    glossary does not define: each such use, with where it starts and ends
    in the text. The texts are searched joined by line breaks, in one pass
    (no acronym spans a line break, and one reads the same at a line's start
    or end as at a text's)."""
    found: dict[int, list[tuple[str, int, int]]] = {}
    for first in range(0, len(proses), _BATCH):  # a batch at a time: memory stays small
        batch = proses[first : first + _BATCH]
        starts = list(itertools.accumulate((len(prose) + 1 for prose in batch), initial=0))
        for match in ACRONYM_SEARCH.finditer("\n".join(batch)):
            acronym = match.group(1)
            if acronym in shared:
                continue
            index = bisect.bisect_right(starts, match.start()) - 1
            offset = starts[index]
            uses = found.setdefault(first + index, [])
            uses.append((acronym, match.start() - offset, match.end() - offset))
    return found


def _not_written_out(prose: str, uses: list[tuple[str, int, int]]) -> list[str]:
    """The acronym of each use, but those the text writes out somewhere
    (then every use of it in the text counts as explained)."""
    text = _Prose(prose)
    expanded: set[str] = set()
    for acronym, start, end in uses:
        if acronym not in expanded and _expanded(acronym, text, start, end):
            expanded.add(acronym)
    return [acronym for acronym, _, _ in uses if acronym not in expanded]


_BATCH = 4096


@dataclass
class _Uses:
    first: Location
    count: int = 0
