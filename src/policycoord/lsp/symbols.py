"""Where each role, duty and concern is defined and where it is named: the
index behind go to definition, find references, rename and hover.

Built from the model (each object carries its Origin), without positions:
a position is worked out only for an occurrence a request asks about
(most files of a large partnership never are).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from policycoord.core.findings import Location
from policycoord.model.model import Model
from policycoord.model.policies import Origin
from policycoord.model.references import (
    Reference,
    organisation_references,
    partnership_references,
)

#: ("role", "org/role"), ("duty", id) or ("concern", id)
Symbol = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place a symbol is written: its definition (`id:`) or a reference."""

    symbol: Symbol
    origin: Origin
    fields: tuple[str | int, ...]
    written: str  # as the file has it: `dsl`, `northshire-cs/mash`
    definition: bool = False

    @property
    def path(self) -> str:
        return self.origin.path

    @property
    def pointer(self) -> str:
        return self.origin.pointer + "".join(f"/{part}" for part in self.fields)

    @property
    def location(self) -> Location:
        return self.origin.at(*self.fields)

    def renamed(self, new_id: str) -> str:
        """What this occurrence becomes when its symbol's id is `new_id`."""
        if self.symbol[0] == "role" and "/" in self.written:
            return f"{self.written.partition('/')[0]}/{new_id}"
        return new_id


@dataclass(slots=True)
class Index:
    by_symbol: dict[Symbol, list[Occurrence]] = field(default_factory=dict)
    by_path: dict[str, list[Occurrence]] = field(default_factory=dict)

    def add(self, occurrence: Occurrence) -> None:
        self.by_symbol.setdefault(occurrence.symbol, []).append(occurrence)
        self.by_path.setdefault(occurrence.path, []).append(occurrence)

    def definition(self, symbol: Symbol) -> Occurrence | None:
        return next((o for o in self.by_symbol.get(symbol, ()) if o.definition), None)

    def occurrences(self, symbol: Symbol) -> list[Occurrence]:
        return self.by_symbol.get(symbol, [])

    def in_file(self, path: str) -> list[Occurrence]:
        return self.by_path.get(path, [])


def index(model: Model) -> Index:
    """Every definition and reference of a role, duty or concern in the model."""
    found = Index()
    for occurrence in _partnership(model):
        found.add(occurrence)
    for occurrence in _organisations(model):
        found.add(occurrence)
    return found


_INDEXED = frozenset({"role", "duty", "concern"})


def _partnership(model: Model) -> Iterator[Occurrence]:
    partnership = model.partnership
    if partnership is None:
        return
    for duty in partnership.duties or ():
        yield Occurrence(("duty", duty.id), duty.origin, ("id",), duty.id, definition=True)
    for concern in partnership.concerns or ():
        yield Occurrence(
            ("concern", concern.id), concern.origin, ("id",), concern.id, definition=True
        )
    yield from _named(partnership_references(partnership))


def _organisations(model: Model) -> Iterator[Occurrence]:
    for org in model.organisations:
        for role in org.roles:
            yield Occurrence(("role", role.key), role.origin, ("id",), role.id, definition=True)
        yield from _named(organisation_references(org))


def _named(references: Iterable[Reference]) -> Iterator[Occurrence]:
    """The references to roles, duties and concerns (model.references: the
    one list of reference fields), as occurrences."""
    for ref in references:
        if ref.kind in _INDEXED:
            yield Occurrence((ref.kind, ref.target), ref.origin, ref.fields, ref.written)
