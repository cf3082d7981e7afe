"""The joint mission (`policycoord mission`): the statement and the workshop pack.

This is the view model only: frozen values that the renderers in
`reporters/mission_formats.py` turn into text. Nothing here prints.

- The statement: the partnership's vision and themes (in the order of the
  partnership file); under each theme the commitments organisations made to
  it, quoted as written and attributed to the organisation's name, in
  organisation (path) order; the commitments with no theme, or a theme the
  partnership does not have; and the members that committed to nothing (no
  commitment with a known theme).
- The workshop pack, per theme: the members that have and have not committed
  to it, the open findings that bear on it, the terms members define
  differently (PC302, partnership-wide, so shown under every theme), and
  three to five questions for the room made from those data. Then a short
  agenda for a two-hour workshop.

Which findings "bear on" a theme is a deliberately simple guess, from the
words of the theme's id and title (`TOPICS`):

| words in the theme                      | findings that bear on it                 |
|-----------------------------------------|------------------------------------------|
| listen, voice, heard, early, help       | gaps, escalation                         |
| one, together, joint, partners, working | overlaps, conflicts, PC402 (sharing)     |
| learn, learning, reviews, review        | PC401 (policy reviews overdue)           |
| workforce, staff, supervision, training | jargon                                   |

A theme that matches no words has no findings listed; the pack summarises
all the open findings by family instead. Only open findings count (not those
a waiver or the baseline suppresses).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from policycoord.core.findings import Finding
from policycoord.model.model import Model
from policycoord.model.policies import Organisation, Theme

#: The finding code of "a term defined differently" (members' glossaries disagree).
TERM_CONFLICT = "PC302"


@dataclass(frozen=True, slots=True)
class Topic:
    """A row of the theme-to-findings table: a theme whose id or title has
    one of `words` gets the findings of `families` and of `codes`."""

    words: frozenset[str]
    families: frozenset[str] = frozenset()
    codes: frozenset[str] = frozenset()


TOPICS: tuple[Topic, ...] = (
    Topic(
        frozenset({"listen", "listening", "voice", "heard", "early", "help"}),
        families=frozenset({"gaps", "escalation"}),
    ),
    Topic(
        frozenset({"one", "together", "joint", "partners", "working"}),
        families=frozenset({"overlaps", "conflicts"}),
        codes=frozenset({"PC402"}),
    ),
    Topic(frozenset({"learn", "learning", "reviews", "review"}), codes=frozenset({"PC401"})),
    Topic(
        frozenset({"workforce", "staff", "supervision", "training"}),
        families=frozenset({"jargon"}),
    ),
)

#: The families of findings, in the order the pack counts them, with the words used.
FAMILY_WORDS: tuple[tuple[str, str, str], ...] = (
    ("gaps", "gap", "gaps"),
    ("overlaps", "overlap", "overlaps"),
    ("conflicts", "conflict", "conflicts"),
    ("escalation", "escalation problem", "escalation problems"),
    ("jargon", "jargon problem", "jargon problems"),
    ("governance", "governance problem", "governance problems"),
    ("input", "file problem", "file problems"),
    ("other", "other finding", "other findings"),
)

NO_MISSION = (
    "{name} has no joint mission yet. To add one, write a `mission` section in "
    "partnership.yaml with a `vision` (one sentence: what every child in the area "
    "can expect) and a few `themes`, each with an `id` and a `title`; then each "
    "organisation adds `commitments` to its policy file, each with the `theme` it "
    "serves and its `text`. Run `policycoord mission` again to see the statement."
)
NO_PARTNERSHIP = (
    "The partnership file could not be read, so its mission is not known. "
    "Run `policycoord check` to see why."
)


@dataclass(frozen=True, slots=True)
class Quote:
    """A commitment as written, with who made it."""

    organisation: str  # id
    name: str  # the organisation's name
    text: str
    theme: str | None  # as written (may be unknown)


@dataclass(frozen=True, slots=True)
class FindingNote:
    code: str
    family: str
    severity: str
    organisation: str | None  # the organisation's name, None when partnership-wide
    message: str


@dataclass(frozen=True, slots=True)
class AgendaItem:
    start: str  # "0:00"
    end: str
    title: str


@dataclass(frozen=True, slots=True)
class ThemeView:
    id: str
    title: str
    description: str | None
    commitments: tuple[Quote, ...]
    committed: tuple[str, ...]  # member names, in organisation order
    not_committed: tuple[str, ...]
    findings: tuple[FindingNote, ...]  # the open findings that bear on the theme
    matched: bool  # False: no topic matched, `findings` is empty, see `open_by_family`
    terms: tuple[FindingNote, ...]  # PC302: terms members define differently
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MissionView:
    partnership_id: str | None
    partnership_name: str | None
    has_mission: bool
    absent: str  # the paragraph shown when there is no mission (else "")
    vision: str | None
    themes: tuple[ThemeView, ...]
    unthemed: tuple[Quote, ...]  # commitments with no theme or an unknown one
    committed_to_nothing: tuple[str, ...]  # member names
    open_by_family: tuple[tuple[str, int], ...]  # (words, count), every open finding
    open_findings: int
    agenda: tuple[AgendaItem, ...]


def build_mission(model: Model, findings: Sequence[Finding]) -> MissionView:
    partnership = model.partnership
    name = partnership.name if partnership is not None else None
    mission = partnership.mission if partnership is not None else None
    notes = [_note(model, finding) for finding in findings]
    by_family = _by_family(notes)
    if mission is None:
        absent = NO_PARTNERSHIP if partnership is None else NO_MISSION.format(name=name)
        return MissionView(
            partnership_id=partnership.id if partnership else None,
            partnership_name=name,
            has_mission=False,
            absent=absent,
            vision=None,
            themes=(),
            unthemed=(),
            committed_to_nothing=(),
            open_by_family=by_family,
            open_findings=len(notes),
            agenda=(),
        )
    theme_ids = {theme.id for theme in mission.themes}
    quotes = [
        Quote(org.id, org.name, commitment.text, commitment.theme)
        for org in model.organisations
        for commitment in org.commitments
    ]
    members = model.member_organisations
    terms = tuple(note for note in notes if note.code == TERM_CONFLICT)
    themes = [_theme_view(theme, quotes, members, notes, terms) for theme in mission.themes]
    return MissionView(
        partnership_id=partnership.id if partnership else None,
        partnership_name=name,
        has_mission=True,
        absent="",
        vision=mission.vision,
        themes=tuple(themes),
        unthemed=tuple(q for q in quotes if q.theme not in theme_ids),
        committed_to_nothing=_committed_to_nothing(members, theme_ids),
        open_by_family=by_family,
        open_findings=len(notes),
        agenda=_agenda(tuple(t.title for t in themes)),
    )


def _theme_view(
    theme: Theme,
    quotes: Sequence[Quote],
    members: Sequence[Organisation],
    notes: Sequence[FindingNote],
    terms: tuple[FindingNote, ...],
) -> ThemeView:
    """One theme: who committed to it in their own words, who did not, the
    open findings that bear on it, and questions for the room."""
    committed_ids = {q.organisation for q in quotes if q.theme == theme.id}
    committed = tuple(org.name for org in members if org.id in committed_ids)
    not_committed = tuple(org.name for org in members if org.id not in committed_ids)
    bearing = _bearing(theme.id, theme.title, notes)
    theme_quotes = tuple(q for q in quotes if q.theme == theme.id)
    return ThemeView(
        id=theme.id,
        title=theme.title,
        description=theme.description,
        commitments=theme_quotes,
        committed=committed,
        not_committed=not_committed,
        findings=bearing or (),
        matched=bearing is not None,
        terms=terms,
        questions=_questions(
            theme.title,
            committed=theme_quotes,
            not_committed=not_committed,
            findings=bearing if bearing is not None else notes,
            terms=terms,
        ),
    )


def _note(model: Model, finding: Finding) -> FindingNote:
    org = model.organisation(finding.organisation) if finding.organisation else None
    return FindingNote(
        code=finding.code,
        family=finding.family or "other",
        severity=finding.severity.value,
        organisation=org.name if org is not None else finding.organisation,
        message=finding.message,
    )


def _committed_to_nothing(members: Sequence[Organisation], theme_ids: set[str]) -> tuple[str, ...]:
    return tuple(
        org.name
        for org in members
        if not any(commitment.theme in theme_ids for commitment in org.commitments)
    )


_WORD = re.compile(r"[a-z0-9]+")


def _bearing(
    theme_id: str, title: str, notes: Sequence[FindingNote]
) -> tuple[FindingNote, ...] | None:
    """The findings that bear on a theme by `TOPICS`; None when no topic matches."""
    words = set(_WORD.findall(f"{theme_id} {title}".casefold()))
    topics = [topic for topic in TOPICS if topic.words & words]
    if not topics:
        return None
    families = frozenset().union(*(topic.families for topic in topics))
    codes = frozenset().union(*(topic.codes for topic in topics))
    return tuple(note for note in notes if note.family in families or note.code in codes)


def _by_family(notes: Sequence[FindingNote]) -> tuple[tuple[str, int], ...]:
    counts = Counter(note.family for note in notes)
    known = {family for family, _, _ in FAMILY_WORDS}
    counts["other"] += sum(n for family, n in counts.items() if family not in known)
    return tuple(
        (count_words(counts[family], one, many), counts[family])
        for family, one, many in FAMILY_WORDS
        if counts[family]
    )


def count_words(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def names_list(names: Sequence[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _questions(
    title: str,
    *,
    committed: Sequence[Quote],
    not_committed: Sequence[str],
    findings: Sequence[FindingNote],
    terms: Sequence[FindingNote],
) -> tuple[str, ...]:
    """Three to five questions for the room, made from the theme's data."""
    title = f"“{title}”"
    questions = []
    if not_committed:
        questions.append(f"Which of {names_list(not_committed)} could commit to {title}, and how?")
    else:
        questions.append(f"Every member committed to {title}: how will we know it is happening?")
    if findings:
        counts = ", ".join(words for words, _ in _by_family(findings))
        questions.append(f"Open on this theme: {counts}. Who leads on each, and by when?")
    else:
        questions.append(f"No open findings bear on {title}: what would tell us it is going well?")
    if terms:
        words = names_list(sorted({_term(note) for note in terms}))
        questions.append(
            f"Members use {words} to mean different things: which meaning do we agree?"
        )
    if committed:
        questions.append(f"Which commitment on {title} could another member take up as its own?")
    else:
        questions.append(f"Nobody has committed to {title} yet: should it stay a theme?")
    questions.append(f"What would a child or family notice if we did {title} well?")
    return tuple(questions)


def _term(note: FindingNote) -> str:
    """The term a PC302 message is about (`CIN`), from its first backquoted word."""
    found = re.search(r"`([^`]+)`", note.message)
    return found.group(1) if found else note.message


#: The agenda of a two-hour workshop, in minutes: the themes share `THEME_MINUTES`.
OPENING = (("Welcome, and why we are here: the vision", 10), ("Read the statement together", 10))
THEME_MINUTES = 70
BREAK_MINUTES = 10
CLOSING = (("Agree who leads on what, and by when", 15), ("Close: what we tell our teams", 5))


def _agenda(titles: Sequence[str]) -> tuple[AgendaItem, ...]:
    """Opening, the themes (a break half-way), the actions, the close: 120 minutes."""
    slots: list[tuple[str, int]] = list(OPENING)
    if titles:
        each, spare = divmod(THEME_MINUTES, len(titles))
        theme_slots = [
            (f"Theme: {title}", each + (1 if index < spare else 0))
            for index, title in enumerate(titles)
        ]
    else:
        theme_slots = [("Agree the themes of the mission", THEME_MINUTES)]
    half = (len(theme_slots) + 1) // 2
    slots += [*theme_slots[:half], ("Break", BREAK_MINUTES), *theme_slots[half:], *CLOSING]
    items = []
    start = 0
    for title, minutes in slots:
        items.append(AgendaItem(_clock(start), _clock(start + minutes), title))
        start += minutes
    return tuple(items)


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"
