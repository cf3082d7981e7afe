"""What a policy workbook holds, sheet by sheet: shared by the writer
(`output/workbooks`) and the reader (`reading.py`), so that what is written is
what is read back.

Each part of a policy file is one sheet, one row per entry, one column per
field, headed in plain words; the organisation's own details are one sheet of
label and value rows. A column's `kind` says how a value is shown and read:
`text`, `date`, `timeframe`, `senders` (several, separated by `;`), or the
name of a list of choices (`duty`, `concern`, `own-role`...) whose labels the
drop-down list offers (`Words` turns values into labels and back).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Protocol

#: The workbook format this version of policycoord writes and reads; a
#: workbook of a newer format is refused, not guessed at.
FORMAT_VERSION: Final = 1

#: The hidden sheets policycoord itself writes.
META_SHEET: Final = "policycoord"
LISTS_SHEET: Final = "Lists"
START_SHEET: Final = "Start here"
FINDINGS_SHEET: Final = "Findings"
ORGANISATION_SHEET: Final = "Organisation"

#: The first row of data on every part's sheet (row 1 holds the headings).
FIRST_ROW: Final = 2

#: Meta sheet keys (column A) and their rows.
META_KEYS: Final = ("format", "partnership", "organisation", "file", "sha256")
#: The row from which the meta sheet holds the exported file's text, in pieces.
META_TEXT_ROW: Final = len(META_KEYS) + 2

#: Kinds whose values are chosen from a list (a drop-down list in the workbook).
LIST_KINDS: Final = (
    "duty",
    "concern",
    "theme",
    "sector",
    "raci",
    "hours",
    "own-role",
    "role-target",
    "organisation",
)


class Words(Protocol):
    """Turns a value of a file into what a cell shows, and a cell's text back."""

    def shown(self, kind: str, value: str) -> str: ...

    def value(self, kind: str, text: str) -> str: ...


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a part's sheet: its heading, the field it holds (a path
    inside the entry, or inside a step for the escalation sheet's step
    columns), how it is shown, its width and the help shown on its cells."""

    header: str
    field: tuple[str, ...]
    kind: str = "text"
    width: int = 30
    help: str = ""
    #: True for a field of an escalation's step; False for the escalation's own
    step: bool = False


@dataclass(frozen=True, slots=True)
class Part:
    """A sheet holding one list of the policy file (`pointer`)."""

    name: str
    pointer: str
    columns: tuple[Column, ...]
    #: what the sheet is for, in a sentence, for the first sheet
    about: str


@dataclass(frozen=True, slots=True)
class Detail:
    """One row of the organisation's sheet: a label and one value."""

    label: str
    pointer: str
    kind: str = "text"
    help: str = ""
    locked: bool = False


TIMEFRAME_HELP: Final = (
    "Write immediately, or a whole number and minutes, hours, days, working days or "
    "weeks: 30 minutes, 24 hours, 1 working day. 1 working day can mean up to 96 hours "
    "over a bank-holiday weekend."
)
DATE_HELP: Final = "A date written year-month-day, such as 2027-09-01."
SENDERS_HELP: Final = (
    "Who may send it: Anyone, a sector (Education, Health...) or an organisation's name. "
    "Separate several with a semicolon (;)."
)

DETAILS: Final = (
    Detail("Organisation id", "/organisation/id", locked=True),
    Detail("Name", "/organisation/name"),
    Detail("Sector", "/organisation/sector", "sector"),
    Detail("Policy approved on", "/organisation/review/approved", "date", DATE_HELP),
    Detail("Next review due", "/organisation/review/next_review", "date", DATE_HELP),
    Detail("Summary", "/summary"),
)

_ROLE = "Choose one of your roles from the list (add it on the Roles sheet first)."

PARTS: Final = (
    Part(
        "Roles",
        "/roles",
        (
            Column("Role id", ("id",), width=18, help="A short id: small letters, digits, -."),
            Column("Title", ("title",), width=36),
            Column("Phone", ("contact", "phone"), width=18),
            Column("Email", ("contact", "email"), width=30),
            Column("Hours", ("contact", "hours"), "hours", 26),
            Column("Deputy", ("deputy",), "own-role", 30, _ROLE),
        ),
        "the people who hold safeguarding roles, and how to reach them",
    ),
    Part(
        "Responsibilities",
        "/responsibilities",
        (
            Column("Duty", ("duty",), "duty", 50),
            Column("Role", ("role",), "own-role", 30, _ROLE),
            Column("RACI", ("raci",), "raci", 30),
            Column("Within", ("within",), "timeframe", 18, TIMEFRAME_HELP),
            Column("Notes", ("notes",), width=40),
        ),
        "which of your roles answers for each of the partnership's duties",
    ),
    Part(
        "Escalation steps",
        "/escalations",
        (
            Column("Concern", ("concern",), "concern", 44),
            Column("To", ("to",), "role-target", 44, step=True),
            Column("Within", ("within",), "timeframe", 18, TIMEFRAME_HELP, step=True),
            Column("Out of hours, to", ("out_of_hours",), "role-target", 44, step=True),
            Column("Action", ("action",), width=40, step=True),
        ),
        "who a concern goes to, step by step and in order (one row per step)",
    ),
    Part(
        "Receives",
        "/receives",
        (
            Column("Concern", ("concern",), "concern", 44),
            Column("Role", ("role",), "own-role", 30, _ROLE),
            Column("From", ("from",), "senders", 40, SENDERS_HELP),
            Column("Within", ("within",), "timeframe", 18, TIMEFRAME_HELP),
        ),
        "the concerns you accept from other organisations, and how soon you respond",
    ),
    Part(
        "Glossary",
        "/glossary",
        (
            Column("Term", ("term",), width=20),
            Column("Meaning", ("meaning",), width=40),
            Column("Definition", ("definition",), width=50),
        ),
        "the terms and acronyms your policy uses",
    ),
    Part(
        "Information sharing",
        "/sharing",
        (
            Column("With", ("with",), "organisation", 40),
            Column("Purpose", ("purpose",), width=40),
            Column("Basis", ("basis",), width=40),
        ),
        "the organisations you share information with, why and on what basis",
    ),
    Part(
        "Commitments",
        "/commitments",
        (
            Column("Theme", ("theme",), "theme", 36),
            Column("Commitment", ("text",), width=70),
        ),
        "what you commit to, for the partnership's joint mission",
    ),
)

#: Every sheet name a workbook of this format holds.
SHEET_NAMES: Final = (
    START_SHEET,
    ORGANISATION_SHEET,
    *(part.name for part in PARTS),
    FINDINGS_SHEET,
    LISTS_SHEET,
    META_SHEET,
)


def column_letter(index: int) -> str:
    """`A` for 1, `Z` for 26, `AA` for 27."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_name(sheet: str, row: int, column: int) -> str:
    """`Roles!C4`, or `'Escalation steps'!C4` for a name with a space."""
    quoted = f"'{sheet}'" if not sheet.replace("_", "").isalnum() else sheet
    return f"{quoted}!{column_letter(column)}{row}"


def cell_words(sheet: str, row: int, column: int) -> str:
    """A cell in words: "row 4 of the Roles sheet, “Title”"; "“Name” on the
    Organisation sheet"; "the Roles sheet" for its headings row."""
    if sheet == ORGANISATION_SHEET:
        index = row - FIRST_ROW
        label = DETAILS[index].label if 0 <= index < len(DETAILS) else ""
        return f"“{label}” on the {sheet} sheet" if label else f"the {sheet} sheet"
    if row < FIRST_ROW:
        return f"the {sheet} sheet"
    part = next((part for part in PARTS if part.name == sheet), None)
    header = (
        part.columns[column - 1].header
        if part is not None and 1 < column <= len(part.columns)
        else ""
    )
    return f"row {row} of the {sheet} sheet" + (f", “{header}”" if header else "")
