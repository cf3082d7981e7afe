"""The Model's indexes after a few organisations changed, patched from the
model before rather than built again (the workspace of `serve` and `lsp`
checks again after each save or keystroke).

An index (`responsibilities_by_duty`...) holds, for each key, every
organisation's items in organisation (path) order. After a change, only
the keys the changed organisations' items have, before or after, differ:
their items are those of the unchanged organisations as they were, and the
changed organisations' new items, in organisation order. The escalation
graphs are made again from the patched index (each organisation's first
path for the concern), which costs one pass over one concern's paths.
tests/model/test_updates.py checks that a patched model's indexes equal the
ones `model_from` builds.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, Final, Protocol, TypeVar

from policycoord.model.escalation import EscalationGraph
from policycoord.model.model import Model
from policycoord.model.policies import Concern, Escalation, Organisation

#: More organisations changed than this: the indexes are built afresh.
MOST_CHANGED: Final = 64


class _Owned(Protocol):
    @property
    def organisation(self) -> str: ...


_I = TypeVar("_I", bound=_Owned)
_K = TypeVar("_K", bound=Hashable)


def indexes_after(
    before: Model, organisations: Sequence[Organisation], concerns: Iterable[Concern]
) -> dict[str, Any] | None:
    """The index fields of a Model of `organisations` (by id, in path
    order), patched from `before`'s; None when too much changed."""
    old = before.by_id
    new = {org.id: org for org in organisations}
    changed = frozenset(i for i in old.keys() | new.keys() if old.get(i) is not new.get(i))
    if len(changed) > MOST_CHANGED:
        return None
    position = {org.id: index for index, org in enumerate(organisations)}
    patch = _Patch(changed, old, new, position)
    escalations = patch(
        before.escalations_by_concern, lambda org: org.escalations, lambda e: e.concern
    )
    return {
        "responsibilities_by_duty": patch(
            before.responsibilities_by_duty, lambda org: org.responsibilities, lambda r: r.duty
        ),
        "escalations_by_concern": escalations,
        "receipts_by_concern": patch(
            before.receipts_by_concern, lambda org: org.receives, lambda r: r.concern
        ),
        "receipts_by_target": patch(
            before.receipts_by_target,
            lambda org: org.receives,
            lambda r: (r.concern, f"{r.organisation}/{r.role}"),
        ),
        "escalation_graphs": _graphs(concerns, escalations, new),
    }


class _Patch:
    def __init__(
        self,
        changed: frozenset[str],
        old: Mapping[str, Organisation],
        new: Mapping[str, Organisation],
        position: Mapping[str, int],
    ) -> None:
        self.changed, self.old, self.new, self.position = changed, old, new, position

    def __call__(
        self,
        index: Mapping[_K, tuple[_I, ...]],
        items_of: Callable[[Organisation], Iterable[_I]],
        key_of: Callable[[_I], _K],
    ) -> dict[_K, tuple[_I, ...]]:
        fresh: dict[_K, list[_I]] = {}
        touched: set[_K] = set()
        for org_id in sorted(self.changed, key=lambda i: self.position.get(i, -1)):
            before, after = self.old.get(org_id), self.new.get(org_id)
            if before is not None:
                touched.update(key_of(item) for item in items_of(before))
            if after is not None:
                for item in items_of(after):
                    fresh.setdefault(key_of(item), []).append(item)
        touched.update(fresh)
        result = dict(index)
        for key in touched:
            merged = self._merged(index.get(key, ()), fresh.get(key, []))
            if merged:
                result[key] = merged
            else:
                result.pop(key, None)
        return result

    def _merged(self, items: tuple[_I, ...], fresh: list[_I]) -> tuple[_I, ...]:
        """`items` with the changed organisations' replaced by `fresh`, in
        organisation order. When each changed organisation was there before
        and is still there, its items are one run of the tuple, found by
        bisection and spliced; otherwise the tuple is sorted again."""
        changed, position = self.changed, self.position

        def place(item: _I) -> int:
            return position[item.organisation]

        if all(org_id in self.old and org_id in position for org_id in changed):
            merged = items
            for org_id in sorted(changed, key=position.__getitem__):
                at = position[org_id]
                low = bisect.bisect_left(merged, at, key=place)
                high = bisect.bisect_right(merged, at, key=place)
                mine = tuple(item for item in fresh if item.organisation == org_id)
                merged = merged[:low] + mine + merged[high:]
            return merged
        kept = [item for item in items if item.organisation not in changed]
        return tuple(sorted(kept + fresh, key=place))


def _graphs(
    concerns: Iterable[Concern],
    escalations: Mapping[str, tuple[Escalation, ...]],
    by_id: dict[str, Organisation],
) -> dict[str, EscalationGraph]:
    """One graph per concern, as build_graphs makes them: each organisation's
    first path for the concern, in organisation order."""
    graphs: dict[str, EscalationGraph] = {}
    for concern in concerns:
        paths: dict[str, Escalation] = {}
        for escalation in escalations.get(concern.id, ()):
            paths.setdefault(escalation.organisation, escalation)
        graphs[concern.id] = EscalationGraph(concern, paths, by_id)
    return graphs
