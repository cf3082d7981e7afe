"""PC303 avoided-term."""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from policycoord.checks.rules.base import Rule
from policycoord.checks.wording import possessive
from policycoord.core.findings import Fix, FixEdit, Location, Severity, Violation
from policycoord.model.model import Model
from policycoord.model.phrases import PhraseMatch, PhraseMatcher
from policycoord.model.terminology import DEPRECATED_TERMS
from policycoord.model.texts import FreeText, distinct_texts, free_texts


class AvoidedTerm(Rule):
    """Prose uses a term the partnership avoids, or a built-in deprecated term.

    ## What it does
    Reads every free text of every policy (names, titles, meanings,
    definitions, notes, actions, purposes, bases, commitments, summaries,
    the vision, theme titles and waiver reasons; never ids, references,
    timeframes or contact details) and reports each term to avoid that it
    uses, with the preferred term and why. The terms are the partnership's
    `avoid` entries and a built-in list from the Terminology Guidelines for
    the Protection of Children from Sexual Exploitation and Sexual Abuse
    (2016): `child prostitution`, `child prostitute`, `child pornography`,
    `child sex tourism`, `child sex worker`, `rent boy`, `promiscuous`,
    `putting themselves at risk`, `lifestyle choice` and `drug runner`.
    Matching is on whole words, ignores case, and accepts plurals and
    simple inflections (`child prostitutes`, `drug runners`, `put herself
    at risk`); words may be separated by spaces or hyphens. A partnership
    `avoid` entry for a built-in term replaces the built-in wording.

    The guidance also warns against `consensual` (of a child's abuse),
    `sexually active` (in an exploitation context), `boyfriend` /
    `girlfriend` (of an abuser) and `recruiting others`. These are not built
    in: as bare words they are mostly ordinary, correct policy language, and
    reporting them everywhere would bury the real findings. Add them to
    `avoid` if your partnership wants them reported.

    Each text is scanned once for all the terms together (a trie of their
    words), so a long `avoid` list costs no more than a short one. A
    term is reported once per text, at its first use there, on the text's
    organisation; the message quotes the sentence around it.

    ## Why it matters
    Words shape how professionals see a child. Calling a 14-year-old a
    "child prostitute" or saying she is "putting herself at risk" suggests
    she chose what is being done to her, and a child seen as making choices
    is less likely to be protected as a victim. Policies are what staff copy
    into referrals and case notes, so the wording in them travels.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership:
      id: northshire
      name: Northshire Safeguarding Children Partnership
    avoid:
      - term: county lines runner
        use: a child who is being criminally exploited
        why: it criminalises the victim
    # file: orgs/northshire-youth-trust.yaml
    policycoord: 1
    organisation: {id: northshire-youth-trust, name: Northshire Youth Trust, sector: voluntary}
    summary: >-
      Detached youth workers look out for child prostitution and county
      lines runners, and tell the team leader the same night.
    ```

    ## Fixed
    ```diff
    # file: orgs/northshire-youth-trust.yaml
    -  Detached youth workers look out for child prostitution and county
    -  lines runners, and tell the team leader the same night.
    +  Detached youth workers look out for the sexual and criminal
    +  exploitation of children, and tell the team leader the same night.
    ```
    """

    code = "PC303"
    name = "avoided-term"
    default_severity = Severity.WARNING
    family = "jargon"
    fix_kind = "safe or unsafe"
    fix_note = (
        "The fix writes the preferred term in place of the avoided one, in that one text. "
        "Safe where the text has the term as listed and the preferred term is a plain phrase "
        "(`child pornography` to `child sexual abuse material (CSAM)`); unsafe where the text "
        "has another form of it (a plural) or the preferred term brings its own article or "
        "describes what to write (`a child who is sexually exploited`), since the sentence "
        "around it will need rewording."
    )
    scope = "organisation"

    def check(self, model: Model) -> Iterator[Violation]:
        matcher = _partnership_matcher(model)
        texts = free_texts(model)
        distinct = distinct_texts(model)  # each different text read once
        candidates = frozenset(matcher.candidates(distinct.texts))
        if not candidates:
            return
        matches: dict[int, list[PhraseMatch[_Avoid]]] = {}  # by distinct text
        for text, which in zip(texts, distinct.of, strict=True):
            if which not in candidates:
                continue
            found = matches.get(which)
            if found is None:
                found = matches[which] = list(matcher.finditer(text.text))
            seen: set[str] = set()
            sentences: Sentences | None = None
            for match in found:
                entry = match.value
                if entry.term in seen:
                    continue
                seen.add(entry.term)
                if sentences is None:
                    sentences = Sentences(text.text)
                yield self._finding(model, text, entry, match, sentences)

    def _finding(
        self,
        model: Model,
        text: FreeText,
        entry: _Avoid,
        match: PhraseMatch[_Avoid],
        sentences: Sentences,
    ) -> Violation:
        location = text.location
        verb = "say" if text.field == "notes" else "says"
        quote = _quote(text.text, match.start, match.end, sentences)
        reason = f": {_clause(entry.why)}." if entry.why and entry.why.strip() else "."
        source = (
            "as the partnership's `avoid` list asks"
            if entry.defined_at is not None
            else "as the 2016 Terminology Guidelines advise"
        )
        return Violation(
            message=(
                f'{possessive(_owner(model, text))} {text.field} {verb} "{quote}"; '
                f'say "{entry.use}" instead{reason}'
            ),
            location=location,
            subject=entry.term,
            suggestion=(
                f'Reword "{text.text[match.start : match.end]}" in {location.path}:{location.line} '
                f'as "{entry.use}" ({source}).'
            ),
            organisation=text.organisation,
            related=(entry.defined_at,) if entry.defined_at is not None else (),
            fix=_reworded(text, entry, match.start, match.end),
        )


def _reworded(text: FreeText, entry: _Avoid, start: int, end: int) -> Fix | None:
    """The text with the preferred term in place of the avoided one (this
    occurrence); safe when it was written as the term is listed."""
    if not entry.use.strip():
        return None
    written = text.text[start:end]
    use = entry.use.strip()
    if written[:1].isupper() and use[:1].islower() and (start == 0 or _opens_sentence(text, start)):
        use = use[0].upper() + use[1:]
    location = text.location
    return Fix(
        kind="safe" if _drop_in(written, entry) else "unsafe",
        description=f'Write "{use}" for "{written}".',
        edits=(
            FixEdit(
                location.path,
                location.pointer,
                "set",
                text.text[:start] + use + text.text[end:],
                text.text,
            ),
        ),
    )


def _drop_in(written: str, entry: _Avoid) -> bool:
    """Whether the preferred term can stand where the avoided one was: the
    text has the term as listed (not a plural or another form), and the
    preferred term is a plain phrase, not one that brings its own article
    or describes what to write (`a child who is sexually exploited`)."""
    use = entry.use.strip().casefold()
    return _key(written) == _key(entry.term) and not use.startswith(("a ", "an ", "the "))


def _opens_sentence(text: FreeText, start: int) -> bool:
    before = text.text[:start].rstrip()
    return not before or before[-1] in ".!?\n"


_QUOTE_LIMIT = 160
_SEPARATOR = re.compile(r"[\s\-]+")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")
_NOT_SPACE = re.compile(r"\S")


@dataclass(frozen=True, slots=True)
class _Avoid:
    term: str
    use: str
    why: str | None
    defined_at: Location | None  # the partnership's `avoid` entry; None: built in


def _key(text: str) -> str:
    """`Child-Prostitution` and `child  prostitution` both read `child prostitution`."""
    return _SEPARATOR.sub(" ", text.strip()).casefold()


def _inflections(term: str) -> tuple[str, ...]:
    """A partnership term and its plurals: `drug runner`, `drug runners`."""
    if not term[-1:].isalpha():
        return (term,)
    return (term, term + "s", term + "es")


def _vocabulary(model: Model) -> dict[str, _Avoid]:
    """Every matched form (normalised) -> what it stands for; the
    partnership's own `avoid` entries win over the built-in ones."""
    forms: dict[str, _Avoid] = {}
    for builtin in DEPRECATED_TERMS:
        entry = _Avoid(builtin.term, builtin.use, builtin.why, None)
        for form in builtin.forms:
            forms[_key(form)] = entry
    if model.partnership is not None:
        for avoid in model.partnership.avoid:
            if not avoid.term.strip():
                continue
            entry = _Avoid(avoid.term.strip(), avoid.use, avoid.why, avoid.origin.at("term"))
            for form in _inflections(_key(avoid.term)):
                forms[form] = entry
    return forms


def _partnership_matcher(model: Model) -> PhraseMatcher[_Avoid]:
    """The matcher for the model's partnership, kept while the partnership
    (an immutable value, the same object while its file is unchanged) is."""
    global _kept
    if _kept is None or _kept[0] is not model.partnership:
        _kept = (model.partnership, _matcher(_vocabulary(model)))
    return _kept[1]


_kept: tuple[object, PhraseMatcher[_Avoid]] | None = None


def _matcher(forms: dict[str, _Avoid]) -> PhraseMatcher[_Avoid]:
    """One matcher for every form: whole words, any case, spaces or hyphens
    between the words."""
    matcher: PhraseMatcher[_Avoid] = PhraseMatcher(separators="-")
    for form, entry in forms.items():
        matcher.add(form, entry)
    return matcher


class Sentences:
    """Where a text's sentences end (each `_SENTENCE_END`, one character) and
    where their words start and stop, found once for all the quotes from
    that text: a text of a million sentences quoted a thousand times is
    read once, not a thousand times."""

    __slots__ = ("_firsts", "_lasts", "ends", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends = array("q", (mark.start() for mark in _SENTENCE_END.finditer(text)))
        self._firsts: dict[int, int] = {}  # a sentence's begin -> its first non-space
        self._lasts: dict[int, int] = {}  # its stop -> just after its last non-space

    def around(self, start: int, end: int) -> tuple[int, int]:
        """The sentence holding text[start:end], without the spaces around it.
        (No sentence ends at text[start - 1]: a match starts with a word.)"""
        text, ends = self.text, self.ends
        before = bisect.bisect_left(ends, start) - 1
        begin = ends[before] + 1 if before >= 0 else 0
        stop = len(text)
        after = bisect.bisect_left(ends, end)
        if after < len(ends):
            stop = ends[after] + 1 if text[ends[after]] != "\n" else ends[after]
        first = self._firsts.get(begin)
        if first is None:
            word = _NOT_SPACE.search(text, begin)
            first = self._firsts[begin] = word.start() if word is not None else len(text)
        last = self._lasts.get(stop)
        if last is None:
            last = stop
            while last > 0 and text[last - 1].isspace():
                last -= 1
            self._lasts[stop] = last
        return min(first, start), max(last, end)


def _quote(text: str, start: int, end: int, sentences: Sentences | None = None) -> str:
    """The sentence around text[start:end], shortened to about 160
    characters of whole words, with an ellipsis where words were left out.
    `sentences`: the text's `Sentences`, when it is quoted more than once."""
    if sentences is None:
        sentences = Sentences(text)
    sentence_start, sentence_end = sentences.around(start, end)
    if sentence_end - sentence_start > _QUOTE_LIMIT:
        room = max(0, _QUOTE_LIMIT - (end - start))
        left = max(sentence_start, start - room // 2)
        right = min(sentence_end, end + (room - (start - left)))
        left = max(sentence_start, min(left, right - _QUOTE_LIMIT))
        left, right = _whole_words(text, left, right, start, end)
        prefix = "…" if left > sentence_start else ""
        suffix = "…" if right < sentence_end else ""
        return prefix + " ".join(text[left:right].split()) + suffix
    return " ".join(text[sentence_start:sentence_end].split())


def _whole_words(text: str, left: int, right: int, start: int, end: int) -> tuple[int, int]:
    """text[left:right] narrowed to whole words: a cut inside a word moves
    to the space before it (at the start) or after the one before it (at
    the end), never past the match text[start:end] itself (a whole phrase)."""
    if left > 0 and not text[left - 1].isspace():
        while left < start and not text[left].isspace():
            left += 1
    if right < len(text) and not text[right].isspace():
        while right > end and not text[right - 1].isspace():
            right -= 1
    return left, right


def _clause(why: str) -> str:
    """A reason as the end of a sentence: `It labels the family.` reads
    `it labels the family` after a colon (an acronym such as `CSE` is kept)."""
    why = why.strip().rstrip(".")
    if why[:1].isupper() and why[1:2].islower():
        return why[0].lower() + why[1:]
    return why


def _owner(model: Model, text: FreeText) -> str:
    if text.organisation is None:
        partnership = model.partnership
        return partnership.name if partnership is not None else "The partnership file"
    org = model.organisation(text.organisation)
    return org.name if org is not None else text.organisation
