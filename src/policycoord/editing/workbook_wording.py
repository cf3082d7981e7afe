"""Findings' words as a person filling in a workbook reads them: sheets, rows
and column headings, never the policy file's field names, JSON pointers or
line numbers.

The checks write for the YAML file: "add `out_of_hours: northshire-cs/edt`
on this step (orgs/northshire-hospitals.yaml:56)". In a workbook that is
"add “Northshire Council Children's Services: Emergency Duty Team” in the
“Out of hours, to” column on this step (row 3 of the Escalation steps
sheet)". `Wording` rewrites, in one pass each:

- a place in the organisation's own file (`path:line`, `path:line:col`) as
  the row and sheet its value is on, the file itself as "this workbook";
  the partnership file as "the partnership file", another organisation's
  file as "<its name>'s policy";
- a field written in backticks (`within`, `commitments:`) as its column
  heading or sheet; a field and its value (`to: northshire-cs/mash`) as the
  value's label in the drop-down list and the column; the partnership's
  own fields (`max_total`, `must_reach`...) in words;
- an id in backticks its workbook's drop-down lists know (a role of
  another organisation, a duty, a concern, a sector) as its label there, any
  other text in backticks (an id, a timeframe) in quotation marks;
- the schema's words for a role reference ("a role id such as dsl, or an
  organisation id, a slash and a role id...") as "one of the list's roles".

Only what policycoord itself wrote is rewritten: text a message quotes from
a policy (“...” or "...") is left exactly as it is, whatever it holds
(`line 12`, digits, backticks, colons).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from policycoord.input.workbooks.layout import (
    DETAILS,
    ORGANISATION_SHEET,
    PARTS,
    Words,
    cell_words,
)
from policycoord.input.workbooks.sections import Place

#: A field of the policy file -> what a person sees: alone ("the “Within”
#: column"), after a word such as "its" or "no" ("“Within”"), and the kind
#: of its values (for their labels in the drop-down lists).
_FIELDS: dict[str, tuple[str, str, str]] = {}
for _part in PARTS:
    _FIELDS[_part.pointer[1:]] = (f"the {_part.name} sheet", _part.name, "")
    for _column in _part.columns:
        _FIELDS.setdefault(
            _column.field[-1],
            (f"the “{_column.header}” column", f"“{_column.header}”", _column.kind),
        )
for _detail in DETAILS:
    _label = f"“{_detail.label}”"
    _FIELDS.setdefault(_detail.pointer.rsplit("/", 1)[-1], (_label, _label, _detail.kind))
_CONTACT: Final = "(“Phone”, “Email” and “Hours”)"
_REVIEW: Final = "“Policy approved on” and “Next review due”"
_FIELDS.update(
    {
        "steps": ("the steps' rows on the Escalation steps sheet", "steps", ""),
        "contact": (f"the contact columns {_CONTACT}", f"contact {_CONTACT}", ""),
        "review": (_REVIEW, _REVIEW, ""),
        "organisation": (f"the {ORGANISATION_SHEET} sheet", ORGANISATION_SHEET, ""),
        "organisation.id": (f"“Organisation id” on the {ORGANISATION_SHEET} sheet", "", ""),
        "review.approved": ("“Policy approved on”", "“Policy approved on”", "date"),
        "review.next_review": ("“Next review due”", "“Next review due”", "date"),
        # the partnership file's own fields, which a workbook does not show
        "max_total": (
            "the partnership's time limit for the whole path",
            "time limit for the whole path",
            "",
        ),
        "max_within": ("the partnership's time limit for the duty", "time limit", ""),
        "must_reach": ("the roles the partnership says it must reach", "roles to reach", ""),
        "applies_to": ("the sectors the partnership says it applies to", "sectors", ""),
        "members": ("the partnership's members", "members", ""),
        "waivers": ("the partnership's waivers", "waivers", ""),
        "policies": ("the partnership's policies patterns", "policies patterns", ""),
    }
)

#: Text in backticks, and the word before it when that word is one a noun
#: follows ("its `within`", "no `commitments`", "those steps' `within`s").
_BACKTICKED: Final = re.compile(
    r"(?:\b(?P<det>the|a|an|its|no|their|those|this|each|[A-Za-z]+'s?)\s+)?`(?P<inside>[^`\n]*)`"
)
_FIELD_AND_VALUE: Final = re.compile(r"([a-z_]+):(?:\s+([a-z_]+):)?\s*(.*)")
#: A line of the file named in words ("on line 4", "at line 4, column 9").
_LINE: Final = re.compile(r"\b(?:(?P<word>on|at|from|to) )?line (?P<line>\d+)(?:, column \d+)?")
#: The drop-down lists an id in backticks is looked up in, in this order.
_LABELLED_KINDS: Final = ("role-target", "duty", "concern", "sector", "organisation")
#: A label the message gives again in brackets after the label it now shows.
_LABEL_TWICE: Final = re.compile(r"“([^”]+)” \(\1\)")
#: The schema's description of a role reference, for a cell with a list.
_ROLE_REFERENCE: Final = re.compile(
    r"must be a role id such as dsl, or an organisation id, a slash and a role id, such as "
    r"[a-z0-9-]+/[a-z0-9-]+"
)
_SHARED_GLOSSARY: Final = re.compile(
    r"(?:the )?(?:shared )?`glossary:?` in (?:the )?partnership\.yaml"
)


#: What a message quotes (policy text: never rewritten), and text in
#: backticks (policycoord's: a quotation mark inside it does not start a quote).
_QUOTED_OR_BACKTICKED: Final = re.compile(r'(?P<ours>`[^`\n]*`)|“[^”]*”|"[^"\n]*"')


def _unquoted(rewrite: Callable[[str], str], text: str) -> str:
    """`text` with `rewrite` applied to what policycoord wrote, and each
    quoted span of policy text left as it is."""
    pieces: list[str] = []
    start = 0
    for match in _QUOTED_OR_BACKTICKED.finditer(text):
        if match.group("ours") is None:
            pieces += [rewrite(text[start : match.start()]), match.group()]
            start = match.end()
    return "".join(pieces) + rewrite(text[start:])


@dataclass(frozen=True, slots=True)
class Wording:
    """How one organisation's workbook words the findings about it."""

    #: the organisation's file, as reports name it ("" for one not made yet)
    own_path: str
    #: the cell a line of that file is on, where known
    cell_of_line: Callable[[int], Place | None]
    #: every other policy file, as reports name it -> its organisation's name
    policies: Mapping[str, str]
    words: Words
    partnership_path: str = "partnership.yaml"

    def __call__(self, text: str) -> str:
        places = self._places()
        for rewrite in (
            lambda t: _SHARED_GLOSSARY.sub("the partnership's shared glossary", t),
            lambda t: _BACKTICKED.sub(self._backticked, t),
            lambda t: places.sub(self._place, t),
            lambda t: _LINE.sub(self._line, t),
            lambda t: _ROLE_REFERENCE.sub(
                "must name a role from its list: choose one of the list's roles", t
            ),
        ):
            text = _unquoted(rewrite, text)
        return _LABEL_TWICE.sub(r"“\1”", text)

    def _label(self, value: str) -> str:
        """An id's label in the workbook's drop-down lists, else the id."""
        for kind in _LABELLED_KINDS:
            shown = self.words.shown(kind, value)
            if shown != value:
                return shown
        return value

    def _line(self, match: re.Match[str]) -> str:
        """ "on line 4" (of the organisation's own file, which the finding is in)."""
        place = self.cell_of_line(int(match.group("line")))
        if place is None:
            return "in this workbook"
        where = cell_words(place.sheet, place.row, place.column)
        word = match.group("word")
        return f"{'in' if word in (None, 'on') else word} {where}"

    def _backticked(self, match: re.Match[str]) -> str:
        determiner, inside = match.group("det"), match.group("inside").strip()
        before = f"{determiner} " if determiner else ""
        if inside.rstrip(":") in _FIELDS:
            alone, after_word, _ = _FIELDS[inside.rstrip(":")]
            if not determiner or not after_word:
                return before + alone
            if determiner in ("a", "an"):
                before = "an " if after_word.lstrip("“")[:1].lower() in "aeiou" else "a "
            return before + after_word
        found = _FIELD_AND_VALUE.fullmatch(inside)
        if found is None or found.group(1) not in _FIELDS:
            return f"{before}“{self._label(inside)}”"
        first, second = found.group(1), found.group(2)
        field = next((key for key in (f"{first}.{second}", second) if key in _FIELDS), first)
        where, _, kind = _FIELDS[field]
        value = found.group(3).strip()
        if not value or value.startswith("{") or field in ("contact", "review"):
            return before + where
        shown = self.words.shown(kind, value) if kind else value
        return f"{before}“{shown}” in {where}"

    def _places(self) -> re.Pattern[str]:
        paths = sorted(
            {self.partnership_path, *self.policies, *([self.own_path] if self.own_path else [])},
            key=len,
            reverse=True,
        )
        alternatives = "|".join(re.escape(path) for path in paths)
        return re.compile(rf"(?<![\w/.-])({alternatives})(?::(\d+))?(?::\d+)?(?![\w/-])")

    def _place(self, match: re.Match[str]) -> str:
        path, line = match.group(1), match.group(2)
        if path == self.own_path:
            place = self.cell_of_line(int(line)) if line else None
            if place is None:
                return "this workbook"
            return cell_words(place.sheet, place.row, place.column)
        if path == self.partnership_path:
            return "the partnership file"
        return f"{self.policies[path]}'s policy"


def cell_of_line_in(
    nearest: Callable[[int, int], str] | None, places: Mapping[str, Place]
) -> Callable[[int], Place | None]:
    """The cell a line of the file is on: the value that line holds (its
    pointer, from the file's source map), then the cell of that value or of
    the nearest value above it in the workbook."""

    def cell(line: int) -> Place | None:
        if nearest is None:
            return None
        pointer = nearest(line, 1_000_000)
        while pointer:
            if pointer in places:
                return places[pointer]
            pointer = pointer.rpartition("/")[0]
        return None

    return cell
