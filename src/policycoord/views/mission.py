"""The joint mission (`policycoord mission`): the statement and the workshop pack.

This is the view model only: frozen values that the renderers in
`reporters/mission_formats.py` turn into text. Nothing here prints.

- The statement, a page the room can sign: the partnership's vision; one
  entry per theme (in the order of the partnership file) made of its title,
  the partnership's own description of it if it wrote one, and a sentence
  composed from the commitments (`pledge`: how many of the members committed
  to it, and which); the members, each with space to sign. Then, in their own
  words, the commitments under each theme, quoted as written and attributed,
  in organisation (path) order; the commitments with no theme, or a theme the
  partnership does not have; and the members that committed to nothing.
- The workshop pack: the vision, an agenda for two hours, the questions to
  ask of every theme (given once), the statement to sign; then per theme the
  members that have and have not committed, their commitments, the open
  findings tied to it (`LINK_RULE`) and questions drawn from the theme's own
  data; then every other open finding, once, by family.

Which findings belong to a theme is decided by where a finding points, never
by its words (`LINK_RULE`): a finding is tied to a theme when its location is
that theme's entry in the partnership file, or a commitment that an
organisation made to that theme. Every other open finding (most of them:
gaps, escalation, jargon in duties...) is listed once, in its own section.
Only open findings count (not those a waiver or the baseline suppresses).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from policycoord.core.findings import FAMILIES, Finding
from policycoord.core.text import listing
from policycoord.model.model import Model
from policycoord.model.policies import Mission, Organisation, Theme

#: The finding code of "a term defined differently" (members' glossaries disagree).
TERM_CONFLICT = "PC302"

#: How the pack ties a finding to a theme, written in the pack as it is applied.
LINK_RULE = (
    "A finding is listed under a theme only when it points at that theme: at the "
    "theme's entry in the partnership file, or at a commitment an organisation made "
    "to that theme (for example an acronym nobody defined, in the commitment's own "
    "words). Every other open finding is listed once, under “Other open findings”, "
    "whatever it is about. The pack never guesses a theme from a finding's words."
)

#: Questions to ask of every theme: given once, at the start of the pack.
EVERY_THEME = (
    "What would a child or family notice if we did this well?",
    "How will we know it is happening, and who will tell the partnership board?",
    "What will each of us do about it in the next three months?",
)

#: The families of findings, in the order the pack lists them: (family, one, many, heading).
FAMILY_WORDS: tuple[tuple[str, str, str, str], ...] = (
    ("input", "problem in a file", "problems in the files", "Problems in the files themselves"),
    ("gaps", "gap", "gaps", "Gaps: duties that nobody answers for"),
    ("overlaps", "overlap", "overlaps", "Overlaps: duties that more than one answers for"),
    (
        "conflicts",
        "conflict",
        "conflicts",
        "Conflicts: timeframes that do not fit the partnership's",
    ),
    (
        "escalation",
        "escalation problem",
        "escalation problems",
        "Escalation: concerns that do not reach the right people in time",
    ),
    ("jargon", "problem with words", "problems with words", "Words: acronyms and terms"),
    (
        "governance",
        "governance problem",
        "governance problems",
        "Governance: reviews, membership, sharing and waivers",
    ),
    ("other", "other finding", "other findings", "Other findings"),
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

_NUMBER_WORDS = (
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
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
class FindingGroup:
    """The open findings of one family (`FAMILIES`), as the pack lists them."""

    family: str  # a key of FAMILIES, or "other"
    title: str  # "Gaps: duties that nobody answers for"
    findings: tuple[FindingNote, ...]


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
    pledge: str  # the statement's sentence: who committed to it
    findings: tuple[FindingNote, ...]  # the open findings tied to it by LINK_RULE
    questions: tuple[str, ...]  # drawn from this theme's data only; may be empty


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
    signatories: tuple[str, ...]  # every member: its name, or its id when it has no file
    other_findings: tuple[FindingGroup, ...]  # open findings tied to no theme, by family
    other_questions: tuple[str, ...]  # for the room, about those findings (given once)
    open_by_family: tuple[tuple[str, int], ...]  # (words, count), every open finding
    open_findings: int
    agenda: tuple[AgendaItem, ...]


def build_mission(model: Model, findings: Sequence[Finding]) -> MissionView:
    partnership = model.partnership
    name = partnership.name if partnership is not None else None
    mission = partnership.mission if partnership is not None else None
    notes = [_note(model, finding) for finding in findings]
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
            signatories=(),
            other_findings=_groups(notes),
            other_questions=(),
            open_by_family=_by_family(notes),
            open_findings=len(notes),
            agenda=(),
        )
    theme_ids = {theme.id for theme in mission.themes}
    quotes = [
        Quote(org.id, org.name, commitment.text, commitment.theme)
        for org in model.organisations
        for commitment in org.commitments
    ]
    tied = _tied_to_themes(model, mission, findings)
    members = model.member_organisations
    themes = tuple(
        _theme_view(theme, quotes, members, tuple(notes[i] for i in tied.get(theme.id, ())))
        for theme in mission.themes
    )
    tied_anywhere = {index for indexes in tied.values() for index in indexes}
    others = [note for index, note in enumerate(notes) if index not in tied_anywhere]
    return MissionView(
        partnership_id=partnership.id if partnership else None,
        partnership_name=name,
        has_mission=True,
        absent="",
        vision=mission.vision,
        themes=themes,
        unthemed=tuple(q for q in quotes if q.theme not in theme_ids),
        committed_to_nothing=_committed_to_nothing(members, theme_ids),
        signatories=_signatories(model),
        other_findings=_groups(others),
        other_questions=_other_questions(others),
        open_by_family=_by_family(notes),
        open_findings=len(notes),
        agenda=_agenda(tuple(t.title for t in themes)),
    )


def _theme_view(
    theme: Theme,
    quotes: Sequence[Quote],
    members: Sequence[Organisation],
    findings: tuple[FindingNote, ...],
) -> ThemeView:
    """One theme: who committed to it in their own words, who did not, the
    open findings tied to it, and questions for the room."""
    theme_quotes = tuple(q for q in quotes if q.theme == theme.id)
    committed_ids = {q.organisation for q in theme_quotes}
    committed = tuple(org.name for org in members if org.id in committed_ids)
    not_committed = tuple(org.name for org in members if org.id not in committed_ids)
    return ThemeView(
        id=theme.id,
        title=theme.title,
        description=theme.description,
        commitments=theme_quotes,
        committed=committed,
        not_committed=not_committed,
        pledge=pledge(committed, members=len(members)),
        findings=findings,
        questions=_questions(
            theme.title,
            commitments=len(theme_quotes),
            not_committed=not_committed,
            findings=len(findings),
        ),
    )


def _note(model: Model, finding: Finding) -> FindingNote:
    org = model.organisation(finding.organisation) if finding.organisation else None
    return FindingNote(
        code=finding.code,
        family=finding.family if finding.family in FAMILIES else "other",
        severity=finding.severity.value,
        organisation=org.name if org is not None else finding.organisation,
        message=finding.message,
    )


# --- which findings are tied to which theme (LINK_RULE) -------------------------------------


def _tied_to_themes(
    model: Model, mission: Mission, findings: Sequence[Finding]
) -> dict[str, tuple[int, ...]]:
    """Theme id -> the indexes of the findings that point at it: at the
    theme's entry in the partnership file, or at a commitment to it."""
    places: dict[str, dict[str, str]] = {}  # path -> JSON pointer -> theme id
    for theme in mission.themes:
        places.setdefault(theme.origin.path, {}).setdefault(theme.origin.pointer, theme.id)
    theme_ids = {theme.id for theme in mission.themes}
    for org in model.organisations:
        for commitment in org.commitments:
            if commitment.theme in theme_ids:
                origin = commitment.origin
                places.setdefault(origin.path, {})[origin.pointer] = commitment.theme
    tied: dict[str, list[int]] = {}
    for index, finding in enumerate(findings):
        theme_id = _theme_at(places.get(finding.location.path, {}), finding.location.pointer)
        if theme_id is not None:
            tied.setdefault(theme_id, []).append(index)
    return {theme_id: tuple(indexes) for theme_id, indexes in tied.items()}


def _theme_at(pointers: Mapping[str, str], pointer: str) -> str | None:
    """The theme of the entry at `pointer` or of the nearest entry around it."""
    while pointer:
        if pointer in pointers:
            return pointers[pointer]
        pointer = pointer.rpartition("/")[0]
    return None


# --- who committed, and the statement's sentences --------------------------------------------


def _committed_to_nothing(members: Sequence[Organisation], theme_ids: set[str]) -> tuple[str, ...]:
    return tuple(
        org.name
        for org in members
        if not any(commitment.theme in theme_ids for commitment in org.commitments)
    )


def _signatories(model: Model) -> tuple[str, ...]:
    """Every member, in organisation order; then those without a policy file, by id."""
    with_file = tuple(org.name for org in model.member_organisations)
    without = tuple(member for member in model.members if model.organisation(member) is None)
    return with_file + tuple(dict.fromkeys(without))


def number_words(number: int) -> str:
    """`seven`, `12`: small numbers in words, as a sentence would say them."""
    return _NUMBER_WORDS[number] if 0 <= number < len(_NUMBER_WORDS) else str(number)


def pledge(committed: Sequence[str], *, members: int) -> str:
    """The statement's sentence for a theme, from who committed to it:
    `Seven of our nine members have committed to this: A, B, … and G.`"""
    count = len(committed)
    if count == 0:
        return "No member has committed to this yet."
    if count == members:
        if count == 1:
            return f"{committed[0]} has committed to this."
        return f"All {number_words(count)} of our members have committed to this."
    have = "has" if count == 1 else "have"
    share = f"{number_words(count).capitalize()} of our {number_words(members)} members"
    return f"{share} {have} committed to this: {listing(committed)}."


# --- questions for the room ------------------------------------------------------------------


def _questions(
    title: str, *, commitments: int, not_committed: Sequence[str], findings: int
) -> tuple[str, ...]:
    """The questions only this theme raises, from its own data: who could still
    commit (and take up which commitments), what is open on it, or whether a
    theme nobody committed to should stay. The questions every theme shares
    are `EVERY_THEME`, given once."""
    quoted = f"“{title}”"
    questions = []
    if commitments == 0:
        questions.append(
            f"Nobody has committed to {quoted} yet: should it stay a theme of the mission, "
            "and who would lead it?"
        )
    elif not_committed:
        they, their = ("it", "its") if len(not_committed) == 1 else ("they", "their")
        if commitments == 1:
            take_up = f"Could {they} take up the commitment above as {their} own?"
        else:
            take_up = (
                f"Which of the {commitments} commitments above could {they} take up as {their} own?"
            )
        questions.append(f"Could {listing(not_committed)} commit to {quoted}? {take_up}")
    if findings:
        these = "this finding" if findings == 1 else f"these {findings} findings"
        questions.append(f"Who will put right {these} on {quoted}, and by when?")
    return tuple(questions)


def _other_questions(others: Sequence[FindingNote]) -> tuple[str, ...]:
    """Questions about the findings tied to no theme, given once."""
    if not others:
        return ()
    questions = ["Which member leads on each of these, and by when will it be put right?"]
    terms = sorted({_term(note) for note in others if note.code == TERM_CONFLICT})
    if terms:
        are = "is" if len(terms) == 1 else "are"
        questions.append(
            f"{listing(terms)} {are} used to mean different things: "
            "which meaning do we agree, and who updates the shared glossary?"
        )
    return tuple(questions)


def _term(note: FindingNote) -> str:
    """The term a PC302 message is about (`CIN`), from its first backquoted word."""
    found = re.search(r"`([^`]+)`", note.message)
    return found.group(1) if found else note.message


# --- findings by family ----------------------------------------------------------------------


def _groups(notes: Sequence[FindingNote]) -> tuple[FindingGroup, ...]:
    return tuple(
        FindingGroup(family, heading, members)
        for family, _, _, heading in FAMILY_WORDS
        if (members := tuple(note for note in notes if note.family == family))
    )


def _by_family(notes: Sequence[FindingNote]) -> tuple[tuple[str, int], ...]:
    counts = Counter(note.family for note in notes)
    return tuple(
        (count_words(counts[family], one, many), counts[family])
        for family, one, many, _ in FAMILY_WORDS
        if counts[family]
    )


def count_words(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


# --- the agenda -----------------------------------------------------------------------------

#: The agenda of a two-hour workshop, in minutes: the themes share `THEME_MINUTES`.
OPENING = (
    ("Welcome, and why we are here: the vision", 10),
    ("Read the draft statement together", 10),
)
THEME_MINUTES = 70
BREAK_MINUTES = 10
CLOSING = (
    ("Other open findings: agree who leads on what, and by when", 15),
    ("Close: sign the statement, and agree what we tell our teams", 5),
)


def _agenda(titles: Sequence[str]) -> tuple[AgendaItem, ...]:
    """Opening, the themes (a break half-way), the actions, the close: 120 minutes."""
    slots: list[tuple[str, int]] = list(OPENING)
    if titles:
        each, spare = divmod(THEME_MINUTES, len(titles))
        theme_slots = [
            (f"Theme {index + 1}: {title}", each + (1 if index < spare else 0))
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
