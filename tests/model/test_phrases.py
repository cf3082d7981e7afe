"""The phrase matcher the jargon rules share: what it matches, and that it
finds exactly what a regular-expression alternation of every phrase finds
(the way PC303 and PC304 matched before), without costing text x terms."""

from __future__ import annotations

import re
import sys
from types import FrameType
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from policycoord.model import phrases
from policycoord.model.phrases import PhraseMatcher


def spans(matcher: PhraseMatcher[str], text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.value) for m in matcher.finditer(text)]


def avoid_matcher(*phrases: str) -> PhraseMatcher[str]:
    matcher: PhraseMatcher[str] = PhraseMatcher(separators="-")
    for phrase in phrases:
        matcher.add(phrase, phrase)
    return matcher


def test_whole_words_any_case_spaces_or_hyphens() -> None:
    matcher = avoid_matcher("drug runner", "child prostitution")
    text = "Drug-runners and a drug  Runner; CHILD-PROSTITUTION, not child prostitutions."
    assert spans(matcher, text) == [
        ("drug  Runner", "drug runner"),
        ("CHILD-PROSTITUTION", "child prostitution"),
    ]


def test_longest_phrase_wins_and_matches_do_not_overlap() -> None:
    matcher = avoid_matcher("child", "child sex worker", "sex worker", "worker")
    assert spans(matcher, "a child sex worker's child") == [
        ("child sex worker", "child sex worker"),
        ("child", "child"),
    ]


def test_a_longer_phrase_that_is_not_a_whole_word_falls_back_to_a_shorter() -> None:
    matcher = avoid_matcher("rent", "rent boy")
    assert spans(matcher, "rent boyfriend") == [("rent", "rent")]


def test_punctuation_must_be_where_the_phrase_has_it() -> None:
    matcher: PhraseMatcher[str] = PhraseMatcher(joiners="&")
    matcher.add("A&E", "ae", exact=True)
    matcher.add("E", "e", exact=True)
    assert spans(matcher, "Go to A&E, not A & E or A&Ex.") == [
        ("A&E", "ae"),
        ("E", "e"),
    ]


def test_exact_phrases_keep_their_case_and_win_a_tie() -> None:
    matcher: PhraseMatcher[str] = PhraseMatcher()
    matcher.add("TAF", "acronym", exact=True)
    matcher.add("taf", "word")
    matcher.add("MASH", "hub", exact=True)
    assert spans(matcher, "TAF, Taf, mash, MASH") == [
        ("TAF", "acronym"),
        ("Taf", "word"),
        ("MASH", "hub"),
    ]


def test_adding_a_phrase_again_replaces_its_value() -> None:
    matcher: PhraseMatcher[str] = PhraseMatcher(separators="-")
    matcher.add("rent boy", "built in")
    matcher.add("Rent-Boy", "partnership")
    assert spans(matcher, "rent boy") == [("rent boy", "partnership")]


def test_empty_matcher_and_empty_phrases_match_nothing() -> None:
    matcher: PhraseMatcher[str] = PhraseMatcher()
    matcher.add("   ", "blank")
    assert not matcher
    assert spans(matcher, "anything at all") == []


def test_non_ascii_words_fold_case() -> None:
    matcher = avoid_matcher("Straße", "élève")
    assert spans(matcher, "STRASSE und ÉLÈVE") == [("STRASSE", "Straße"), ("ÉLÈVE", "élève")]


def test_thousands_of_phrases_of_the_same_first_word_are_one_walk() -> None:
    """Every phrase starts with `child`: the text is still read once, and
    each position only as far as some phrase still matches."""
    matcher = avoid_matcher(*(f"child term{index}" for index in range(5000)))
    text = "the child term4999 and the child term5000 " * 200
    found = spans(matcher, text)
    assert found == [("child term4999", "child term4999")] * 200


def test_a_phrase_of_common_words_only_is_still_found() -> None:
    """Anchors prefer uncommon words (speed only); `at risk` has none."""
    matcher = avoid_matcher("at risk", "child prostitution")
    assert spans(matcher, "Children at risk.") == [("at risk", "at risk")]
    assert spans(matcher, "A child who is at school.") == []


# --- equivalence with the regular-expression alternation --------------------

WORD = st.text(alphabet="abAB1_&'.", min_size=1, max_size=3)
PHRASE = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
TEXT = st.text(alphabet="abAB1_&'. -\n", max_size=60)


def regex_avoid(phrases: list[str], text: str) -> list[tuple[int, int, str]]:
    """PC303's former matching: one alternation, longest form first, words
    separated by spaces or hyphens, case-insensitive, on word boundaries."""
    forms = {" ".join(p.split()).casefold(): p for p in phrases}
    ordered = sorted(forms, key=lambda form: (-len(form), form))
    alternation = "|".join(r"[\s\-]+".join(map(re.escape, form.split(" "))) for form in ordered)
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
    result = []
    for match in pattern.finditer(text):
        key = re.sub(r"[\s\-]+", " ", match.group()).casefold()
        result.append((match.start(), match.end(), forms[key]))
    return result


@settings(max_examples=400, deadline=None)
@given(st.lists(PHRASE, min_size=1, max_size=6), TEXT)
def test_same_matches_as_the_avoid_alternation(phrases: list[str], text: str) -> None:
    matcher: PhraseMatcher[str] = PhraseMatcher(separators="-")
    for phrase in phrases:
        matcher.add(phrase, phrase)
    got = [(m.start, m.end, m.value) for m in matcher.finditer(text)]
    assert got == regex_avoid(phrases, text)


ACRONYM = st.text(alphabet="ABC&", min_size=2, max_size=3).filter(
    lambda a: a[0] != "&" and a[-1] != "&"
)
LOCAL_WORDS = st.lists(st.text(alphabet="abAB&'.-", min_size=1, max_size=3), min_size=1, max_size=3)


def regex_local(acronyms: list[str], terms: list[str], text: str) -> list[tuple[int, int]]:
    """PC304's former matching: acronyms exact with an optional plural `s`,
    other terms case-insensitive with any whitespace, `&` glues words."""
    parts = [(a, re.escape(a) + "s?") for a in acronyms]
    parts += [(t, "(?i:" + r"\s+".join(map(re.escape, t.split())) + ")") for t in terms]
    parts.sort(key=lambda part: -len(part[0]))
    pattern = re.compile(r"(?<![\w&])(?:" + "|".join(p for _, p in parts) + r")(?![\w&])")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(ACRONYM, max_size=3),
    st.lists(LOCAL_WORDS.map(" ".join), max_size=3),
    st.text(alphabet="abABCs&'. -\n", max_size=60),
)
def test_same_spans_as_the_local_jargon_alternation(
    acronyms: list[str], terms: list[str], text: str
) -> None:
    matcher: PhraseMatcher[str] = PhraseMatcher(joiners="&")
    for acronym in acronyms:
        matcher.add(acronym, acronym, exact=True)
        matcher.add(acronym + "s", acronym, exact=True)
    for term in terms:
        matcher.add(term, term)
    got = [(m.start, m.end) for m in matcher.finditer(text)]
    expected = regex_local(acronyms, terms, text) if acronyms or terms else []
    assert got == expected


# --- the automaton against the plain definition ------------------------------


def by_definition(
    phrases: list[tuple[str, bool]], text: str, separators: str, joiners: str
) -> list[tuple[int, int, str]]:
    """Matches as the module's docstring defines them, found the slow way:
    at each token, every phrase is tried; the longest that fits on word
    boundaries wins, an exact one on a tie; then on past it."""
    token = re.compile(rf"\w+|[^\w\s{re.escape(separators)}]")

    def edges(words: str) -> list[tuple[bool, str]]:  # (follows a gap, token)
        found = list(token.finditer(words))
        return [(n > 0 and t.start() > found[n - 1].end(), t.group()) for n, t in enumerate(found)]

    def glued(position: int) -> bool:
        if not 0 <= position < len(text):
            return False
        return text[position] in joiners or text[position].isalnum() or text[position] == "_"

    values: dict[tuple[bool, tuple[tuple[bool, str], ...]], str] = {}
    for phrase, exact in phrases:
        form = edges(phrase) if exact else [(gap, t.casefold()) for gap, t in edges(phrase)]
        if form:
            values[exact, tuple(form)] = phrase  # the same phrase again: the later value
    tokens = list(token.finditer(text))
    found, index = [], 0
    while index < len(tokens):
        best: tuple[int, bool, str] | None = None
        for (exact, form), value in values.items():
            last = index + len(form) - 1
            if last >= len(tokens) or glued(tokens[index].start() - 1) or glued(tokens[last].end()):
                continue
            fits = all(
                (k == 0 or (tokens[index + k].start() > tokens[index + k - 1].end()) == gap)
                and (tokens[index + k].group() if exact else tokens[index + k].group().casefold())
                == word
                for k, (gap, word) in enumerate(form)
            )
            if fits and (best is None or len(form) > best[0] or (exact and len(form) == best[0])):
                best = (len(form), exact, value)
        if best is None:
            index += 1
            continue
        found.append((tokens[index].start(), tokens[index + best[0] - 1].end(), best[2]))
        index += best[0]
    return found


SMALL_WORD = st.text(alphabet="aAb&.", min_size=1, max_size=2)
SMALL_PHRASE = st.lists(
    st.tuples(SMALL_WORD, st.sampled_from([" ", "-", ""])), min_size=1, max_size=6
).map(lambda pairs: "".join(word + glue for word, glue in pairs).strip(" -"))


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.tuples(SMALL_PHRASE, st.booleans()), min_size=1, max_size=8),
    st.text(alphabet="aAb&. -\n", max_size=80),
    st.sampled_from(["", "-"]),
    st.sampled_from(["", "&"]),
)
def test_the_automaton_finds_what_the_definition_says(
    phrases: list[tuple[str, bool]], text: str, separators: str, joiners: str
) -> None:
    matcher: PhraseMatcher[str] = PhraseMatcher(separators=separators, joiners=joiners)
    for phrase, exact in phrases:
        matcher.add(phrase, phrase, exact=exact)
    got = [(m.start, m.end, m.value) for m in matcher.finditer(text)]
    assert got == by_definition(phrases, text, separators, joiners)


def lines_run(matcher: PhraseMatcher[str], text: str) -> int:
    """How many lines of the matcher's module run to match `text`."""
    count = 0

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if frame.f_code.co_filename != phrases.__file__:
            return None
        count += event == "line"
        return trace

    sys.settrace(trace)
    try:
        list(matcher.finditer(text))
    finally:
        sys.settrace(None)
    return count


def test_the_work_per_word_does_not_grow_with_the_phrases_length() -> None:
    """Walking forwards from each token cost text x phrase: a 1 MB policy of
    `a a a ...` against an avoided term of 149 `a`s and `zq` took 11 s.
    Counted, not timed: the lines run for a phrase of 150 words and for
    one of 10, on the same text."""
    text = "a " * 3_000 + "zq"
    short = lines_run(avoid_matcher("a " * 9 + "zq"), text)
    long = lines_run(avoid_matcher("a " * 149 + "zq"), text)
    assert long < 1.2 * short
