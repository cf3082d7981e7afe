"""Find many whole-word phrases in a text in one pass (the jargon rules' matcher).

A regular expression alternation of every term (`term1|term2|...`) is tried
term by term at every position of the text, so it costs text x terms: with
3,000 `avoid` entries a 2 MB policy took half a minute. `PhraseMatcher`
instead cuts each text into tokens once and reads them once, backwards,
with an Aho-Corasick automaton of the phrases' tokens written backwards: at
each token it knows every phrase that starts there, whatever the number of
phrases and however long they are. (Walking a trie forwards from each token
cost text x the longest phrase: a 1 MB policy of `a a a ...` against an
avoided term of 150 words took 11 seconds.)

Tokens are runs of word characters (`\\w+`) or single other characters;
`separators` (always whitespace, and for example `-`) only separate tokens.
A phrase matches where the text has the same tokens, separated where the
phrase is separated (by any run of separators) and adjacent where it is
adjacent: `drug runner` matches `Drug-runner` when `-` is a separator, and
`A&E` matches `A&E` but not `A & E`. A match is a whole word: it neither
starts nor ends next to a word character, nor next to one of `joiners`
(`&` for acronyms: `A&E` is not `E`). At each position the longest matching
phrase wins, an exact (case-sensitive) phrase before a case-insensitive one
of the same length; matches do not overlap, leftmost first, as `re.finditer`
would give them.
"""

from __future__ import annotations

import bisect
import collections
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

V = TypeVar("V")

#: Words too common in policy text to be worth checking for: a phrase's
#: anchor is one of its other words where it has one. Speed only: a phrase
#: made of these words alone is still found.
COMMON_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "who",
        "child",
        "children",
        "young",
        "person",
        "people",
        "family",
        "families",
        "parent",
        "parents",
        "carer",
        "carers",
        "school",
        "staff",
        "work",
        "worker",
        "workers",
        "risk",
        "harm",
        "abuse",
        "safeguarding",
        "protection",
        "plan",
        "team",
        "service",
        "services",
        "social",
        "care",
        "health",
        "police",
        "referral",
        "concern",
        "concerns",
        "information",
        "share",
        "sharing",
        "day",
        "days",
        "hours",
    ]
)


#: Up to this many anchor words, many texts are searched for them at once
#: with one regular expression (`PhraseMatcher.candidates`); beyond it, an
#: alternation would cost text x anchors, and each text is checked alone.
MAX_ANCHORS_SEARCHED = 200
#: Texts joined up for one search.
BATCH = 4096
#: ...and each no longer than this (the trie's pattern nests a group a character).
MAX_ANCHOR_LENGTH = 100


class _Node(Generic[V]):
    """A trie node: the next tokens, and the value of a phrase ending here."""

    __slots__ = ("children", "ends", "value")

    def __init__(self) -> None:
        self.children: dict[str, _Node[V]] = {}
        self.ends = False
        self.value: V | None = None


@dataclass(frozen=True, slots=True)
class PhraseMatch(Generic[V]):
    """A phrase found at `text[start:end]`, and the value it was added with."""

    start: int
    end: int
    value: V


class PhraseMatcher(Generic[V]):
    """Whole-word phrases, case-sensitive or not, found in one pass per text."""

    def __init__(self, *, separators: str = "", joiners: str = "") -> None:
        extra = re.escape(separators)
        self._token = re.compile(rf"\w+|[^\w\s{extra}]")
        self._joiners = frozenset(joiners)
        self._folded: _Node[V] = _Node()
        self._exact: _Node[V] = _Node()
        # The first token of every phrase, case-folded: a walk starts only there.
        self._firsts: set[str] = set()
        # Every phrase's tokens, case-folded, to choose its anchor from.
        self._phrases: dict[tuple[str, ...], None] = {}
        self._anchors: frozenset[str] | None = None
        self._by_anchor: dict[str, list[frozenset[str]]] = {}  # anchor -> its phrases' tokens
        self._anchor_search: re.Pattern[str] | None = None
        # Every phrase's edges (its first without a gap) for the backward automata.
        self._edges_of: dict[tuple[bool, tuple[str, ...]], None] = {}
        self._backwards: tuple[_Automaton, _Automaton] | None = None

    def _edges(self, phrase: str) -> list[str]:
        """`child sex-work` -> ['child', ' sex', ' work'] (with `-` a separator):
        each token after the first carries a space when a separator precedes it."""
        edges: list[str] = []
        previous_end = -1
        for token in self._token.finditer(phrase):
            gap = previous_end >= 0 and token.start() > previous_end
            edges.append((" " if gap else "") + token.group())
            previous_end = token.end()
        return edges

    def add(self, phrase: str, value: V, *, exact: bool = False) -> None:
        """Add a phrase; adding the same phrase again replaces its value. An
        `exact` phrase matches only with the same case."""
        edges = self._edges(phrase)
        if not edges:
            return
        if not exact:
            edges = [edge.casefold() for edge in edges]
        node = self._exact if exact else self._folded
        for edge in edges:
            node = node.children.setdefault(edge, _Node())
        node.ends, node.value = True, value
        self._firsts.add(edges[0].casefold())
        self._phrases[tuple(edge.strip().casefold() for edge in edges)] = None
        self._edges_of[exact, tuple(edges)] = None
        self._anchors = self._anchor_search = None
        self._backwards = None

    def _anchor_words(self) -> frozenset[str]:
        """One token of each phrase, the one least likely to be in a text: not
        a common word if it can help it, then the one fewest phrases share,
        then the longest: `prostitution` for `child prostitution`, `herself`
        for `put herself at risk`. A text can hold a phrase only if it holds
        the phrase's anchor, so a text holding no anchor is not walked."""
        if self._anchors is None:
            shared: dict[str, int] = {}
            for tokens in self._phrases:
                for token in set(tokens):
                    shared[token] = shared.get(token, 0) + 1
            by_anchor: dict[str, list[frozenset[str]]] = {}
            for tokens in self._phrases:
                anchor = min(
                    tokens,
                    key=lambda token: (token in COMMON_WORDS, shared[token], -len(token), token),
                )
                by_anchor.setdefault(anchor, []).append(frozenset(tokens))
            self._anchors = frozenset(by_anchor)
            self._by_anchor = by_anchor
        return self._anchors

    def __bool__(self) -> bool:
        return bool(self._firsts)

    def candidates(self, texts: Sequence[str]) -> Iterator[int]:
        """The indexes, in order, of the texts that may hold a phrase: every
        text that does, and perhaps a few that do not (`finditer` decides).
        The texts are case-folded, joined by line breaks (no anchor word holds
        one) and searched for the anchor words in one pass of a regular
        expression shaped like a trie of them, rather than each cut into
        tokens: a text holds a phrase only if its case-folded text holds the
        phrase's anchor word."""
        if not self._firsts:
            return
        anchors = self._anchor_words()
        if len(anchors) > MAX_ANCHORS_SEARCHED or max(map(len, anchors)) > MAX_ANCHOR_LENGTH:
            yield from range(len(texts))
            return
        if self._anchor_search is None:
            self._anchor_search = re.compile(_trie_pattern(anchors))
        search = self._anchor_search.search
        for first in range(0, len(texts), BATCH):  # a batch at a time: memory stays small
            folded = [text.casefold() for text in texts[first : first + BATCH]]
            starts = list(itertools.accumulate((len(text) + 1 for text in folded), initial=0))
            joined = "\n".join(folded)
            position = 0
            while (found := search(joined, position)) is not None:
                index = bisect.bisect_right(starts, found.start()) - 1
                yield first + index
                position = starts[index + 1]

    def _may_hold_a_phrase(self, text: str) -> bool:
        """Whether the text has every token of some phrase whose anchor it
        has. First, cheaply, as pieces of its case-folded text (a token of
        the text is one of them); then as tokens (case-folded all at once:
        none holds a line break)."""
        anchors = self._anchor_words()
        if len(anchors) <= MAX_ANCHORS_SEARCHED:
            folded_text = text.casefold()
            if not any(
                all(token in folded_text for token in tokens)
                for anchor in anchors
                if anchor in folded_text
                for tokens in self._by_anchor[anchor]
            ):
                return False
        folded = set("\n".join(self._token.findall(text)).casefold().split("\n"))
        return any(
            tokens <= folded
            for anchor in anchors.intersection(folded)
            for tokens in self._by_anchor[anchor]
        )

    def finditer(self, text: str) -> Iterator[PhraseMatch[V]]:
        """Every match in `text`, leftmost first, not overlapping."""
        if not self._firsts or not self._may_hold_a_phrase(text):
            return
        tokens = list(self._token.finditer(text))
        starts = [token.start() for token in tokens]
        ends = [token.end() for token in tokens]
        raw = [token.group() for token in tokens]
        del tokens
        folded = [word.casefold() for word in raw]
        lengths = self._longest_from_each(text, starts, ends, raw, folded)
        index = 0
        while index < len(lengths):
            length = lengths[index]
            if not length:
                index += 1
                continue
            exact = length < 0
            length = abs(length)
            node = self._node(index, length, starts, ends, raw if exact else folded, exact)
            yield PhraseMatch(starts[index], ends[index + length - 1], cast(V, node.value))
            index += length

    def _longest_from_each(
        self, text: str, starts: list[int], ends: list[int], raw: list[str], folded: list[str]
    ) -> list[int]:
        """For each token, the number of tokens of the longest phrase that
        starts there, on word boundaries at both ends (0: none; negative: an
        exact phrase, which wins a tie). The tokens are read once, last to
        first, by each automaton: its state after token `i` holds every
        phrase starting at `i` (the phrases are in it backwards). Which of
        them end on a word boundary is one AND of two bit sets: the phrases'
        lengths (`_Automaton.lengths`) and the lengths at which, counted
        from `i`, a token ends on a boundary (`free`, shifted one token at
        every step)."""
        folded_automaton, exact_automaton = self._automata()
        count = len(starts)
        lengths = [0] * count
        joined = self._joined
        for automaton, words, sign in ((folded_automaton, folded, 1), (exact_automaton, raw, -1)):
            if not automaton.longest:
                continue  # no phrase of this kind
            goto, fail, lengths_at = automaton.goto, automaton.fail, automaton.lengths
            full = (1 << automaton.longest) - 1
            state = free = 0
            for index in range(count - 1, -1, -1):
                word = words[index]
                symbol = " " + word if index and starts[index] > ends[index - 1] else word
                while state and symbol not in goto[state]:
                    state = fail[state]
                state = goto[state].get(symbol, 0)
                free = ((free << 1) | (not joined(text, ends[index]))) & full
                found = lengths_at[state] & free
                if found and not joined(text, starts[index] - 1):
                    length = found.bit_length()
                    if length >= abs(lengths[index]):  # exact (second) wins a tie
                        lengths[index] = sign * length
        return lengths

    def _node(
        self,
        first: int,
        length: int,
        starts: list[int],
        ends: list[int],
        words: list[str],
        exact: bool,
    ) -> _Node[V]:
        """The trie node of the phrase spelt by `length` tokens from `first`."""
        node = (self._exact if exact else self._folded).children[words[first]]
        for index in range(first + 1, first + length):
            gap = " " if starts[index] > ends[index - 1] else ""
            node = node.children[gap + words[index]]
        return node

    def _automata(self) -> tuple[_Automaton, _Automaton]:
        """The backward automata of the case-folded and the exact phrases.
        Each phrase goes in backwards, twice: a phrase's first token may
        follow a separator in the text or not (`_edges` marks it with a
        space), so both forms of it end the phrase."""
        if self._backwards is None:
            kinds: dict[bool, list[list[str]]] = {False: [], True: []}
            for exact, edges in self._edges_of:
                backwards = list(reversed(edges))
                kinds[exact].append(backwards)
                kinds[exact].append([*backwards[:-1], " " + backwards[-1]])
            self._backwards = (_Automaton(kinds[False]), _Automaton(kinds[True]))
        return self._backwards

    def _joined(self, text: str, position: int) -> bool:
        """Whether the character at `position` (just outside a match) glues
        the match to a neighbouring word."""
        if position < 0 or position >= len(text):
            return False
        character = text[position]
        return character in self._joiners or character.isalnum() or character == "_"


class _Automaton:
    """An Aho-Corasick automaton of token sequences. States are numbers:
    `goto[state]` the next state by token, `fail[state]` the state of the
    longest proper suffix of its sequence that begins some sequence, and
    `lengths[state]` a bit set of the lengths of the sequences that end the
    state's own sequence (bit `n - 1` for length `n`), those of its suffixes
    included."""

    __slots__ = ("fail", "goto", "lengths", "longest")

    def __init__(self, sequences: list[list[str]]) -> None:
        goto: list[dict[str, int]] = [{}]
        lengths = [0]
        for sequence in sequences:
            state = 0
            for token in sequence:
                following = goto[state].get(token)
                if following is None:
                    following = goto[state][token] = len(goto)
                    goto.append({})
                    lengths.append(0)
                state = following
            lengths[state] |= 1 << (len(sequence) - 1)
        fail = [0] * len(goto)
        waiting = collections.deque(goto[0].values())
        while waiting:  # breadth first: a state's suffixes are done before it
            state = waiting.popleft()
            for token, following in goto[state].items():
                suffix = fail[state]
                while suffix and token not in goto[suffix]:
                    suffix = fail[suffix]
                fail[following] = goto[suffix].get(token, 0)  # never itself: shorter
                lengths[following] |= lengths[fail[following]]
                waiting.append(following)
        self.goto, self.fail, self.lengths = goto, fail, lengths
        self.longest = max((len(sequence) for sequence in sequences), default=0)


def _trie_pattern(words: frozenset[str]) -> str:
    """A regular expression for any of `words`, their common beginnings
    factored out (`boy(?:s)?|ch(?:ild|oice)`): tried at a position, it reads
    each character once instead of trying every word in turn."""
    trie: dict[str, dict[str, Any]] = {}
    for word in words:
        node = trie
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}  # a word ends here
    return _alternatives(trie)


def _alternatives(node: dict[str, Any]) -> str:
    branches = [
        re.escape(char) + _alternatives(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    joined = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a word may end here, or go on
        return f"(?:{joined})?"
    return joined
