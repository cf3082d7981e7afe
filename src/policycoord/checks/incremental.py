"""Run the rules again after a few policy files changed, with the report a
full run gives (the front ends that stay running: `serve`, `lsp`).

Each rule says what its findings depend on (`Rule.scope`):

- "partnership" rules run in full on every check;
- "organisation" rules are run on a *view* of the model: the same model with
  only some of its `organisations` (every index, `by_id`, the escalation
  graphs left whole). What such a rule finds on the view with no
  organisations is its partnership part, worked out again on every check;
  what it finds on a view beyond that part, organisation by organisation
  (`Violation.organisation`), is kept per organisation.

After a change, the organisations whose findings may differ are those whose
policy changed, the organisations those name and the organisations that
name them, before the change and after it (steps' `to` and `out_of_hours`,
`receives`' `from`, `sharing`'s `with`), and the organisations that name an
organisation that does not exist when one appears or goes (PC201's "did you
mean"). The organisation rules run on the view of those only; everything
else is kept. A change to the partnership file, the options, the date, or to
which files hold which organisation (a second file declaring an id) is a
full run, as is a change to many organisations at once.

A kept finding is kept as the rule's Violation: stamping, sorting, the rules
about findings (PC406), waivers, the baseline and causes are worked out
again every time by the engine (engine.conclude), exactly as a full run
does. tests/checks/test_incremental.py checks that every organisation rule
splits as it says, and that after random edits the report equals a fresh
full check.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from policycoord.checks.engine import CODES, Config, Outcome, conclude
from policycoord.checks.parallel import observe
from policycoord.checks.rules import ALL_RULES, Rule
from policycoord.checks.rules.base import FindingsRule
from policycoord.core.findings import Violation
from policycoord.model.model import Model
from policycoord.model.policies import Organisation
from policycoord.model.references import organisation_references

#: More organisations changed than this (or a quarter of them): a full run.
MOST_CHANGED: Final = 64

#: One rule's findings per organisation id; None: the rule did not split as
#: its scope says on the last run, and runs in full.
_Parts = dict[str, tuple[Violation, ...]] | None


@dataclass(frozen=True, slots=True)
class _Kept:
    """What the last run found and what it looked at."""

    model: Model
    config: Config
    parts: dict[type[Rule], _Parts]
    facts: dict[str, _Facts]  # organisation id -> what its policy names
    index: _Index  # who names whom, kept up to date run by run


class _Index:
    """Who names each organisation, and whose escalation steps go to it: the
    reverse of each policy's `_Facts`, patched for what changed."""

    def __init__(self, facts: dict[str, _Facts]) -> None:
        self.named_by: dict[str, set[str]] = {}
        self.leads_here: dict[str, set[str]] = {}
        for org_id, fact in facts.items():
            self._add(org_id, fact)

    def update(
        self, before: dict[str, _Facts], after: dict[str, _Facts], ids: Iterable[str]
    ) -> None:
        for org_id in ids:
            old, new = before.get(org_id), after.get(org_id)
            if old is not None:
                for other in old.names:
                    self.named_by.get(other, set()).discard(org_id)
                for other in old.escalates_to:
                    self.leads_here.get(other, set()).discard(org_id)
            if new is not None:
                self._add(org_id, new)

    def _add(self, org_id: str, fact: _Facts) -> None:
        for other in fact.names:
            self.named_by.setdefault(other, set()).add(org_id)
        for other in fact.escalates_to:
            self.leads_here.setdefault(other, set()).add(org_id)


@dataclass(frozen=True, slots=True)
class _Facts:
    """What one organisation's policy names (worked out once per policy built)."""

    organisation: Organisation
    names: frozenset[str]  # every organisation id it names
    escalates_to: frozenset[str]  # the organisations its escalation steps go to

    @classmethod
    def of(cls, org: Organisation, before: _Facts | None) -> _Facts:
        if before is not None and before.organisation is org:
            return before
        targets = {org.id}
        names = {org.id}
        for reference in organisation_references(org):  # the one list of reference fields
            named = reference.organisation
            if named is not None:
                names.add(named)
                if reference.escalation:
                    targets.add(named)
        return cls(org, frozenset(names - {org.id}), frozenset(targets - {org.id}))


class Incremental:
    """The rules run on one repository check after check. `run(model,
    config)` gives what `engine.run(model, config)` gives; it runs again only
    what a change can have changed since the model it was last given (an
    organisation whose file did not change is the same object in the next
    model: workflows/workspace.py keeps what it built). Not thread-safe: the
    workspace holds its lock around it."""

    def __init__(self, rules: Sequence[type[Rule]] = ALL_RULES) -> None:
        self.rules = tuple(rules)
        self._kept: _Kept | None = None
        #: organisation ids the last run ran the organisation rules for (None: all)
        self.last_affected: frozenset[str] | None = None

    def run(self, model: Model, config: Config) -> Outcome:
        from policycoord.model import texts

        chosen = [rule for rule in self.rules if config.selection.wants(rule.code)]
        plain = [rule for rule in chosen if not issubclass(rule, FindingsRule)]
        kept, self._kept = self._kept, None  # kept again when this run ends well
        changed = _changed(kept, model, config) if kept is not None else None
        try:
            if kept is None or changed is None:
                known = kept.facts if kept is not None else {}
                facts = {org.id: _Facts.of(org, known.get(org.id)) for org in model.organisations}
                index = _Index(facts)
                affected = None
                observed, parts = _full(plain, model)
            else:
                facts, index = _patched(kept, model, changed)
                affected = _affected(kept, model, facts, changed)
                walked = _carry_walks(kept, model, index, changed)
                reach = {"organisation": affected, "walk": walked}
                observed, parts = _partial(plain, model, kept, reach)
        finally:
            texts.forget()
        self._kept = _Kept(model, config, parts, facts, index)
        self.last_affected = affected
        return conclude(model, config, chosen, observed)

    def forget(self) -> None:
        """Run in full next time."""
        self._kept = None


# -- what changed --------------------------------------------------------------


def _changed(kept: _Kept, model: Model, config: Config) -> frozenset[str] | None:
    """The ids of the organisations whose policy is not the one last run on
    (new, gone or built again); None when the change calls for a full run."""
    before = kept.model
    if config != kept.config or not _same_frame(before, model):
        return None
    ids = before.by_id.keys() | model.by_id.keys()
    changed = frozenset(
        org_id for org_id in ids if before.by_id.get(org_id) is not model.by_id.get(org_id)
    )
    # a file that cannot be read but says whose it is: messages about that
    # organisation say so ("whose policy file ... could not be read")
    claims = set(before.claimed_files.items()) ^ set(model.claimed_files.items())
    changed |= {org_id for _, org_id in claims}
    if len(changed) > min(MOST_CHANGED, max(1, len(model.organisations) // 4)):
        return None
    for org_id in changed:
        old, new = before.by_id.get(org_id), model.by_id.get(org_id)
        if old is not None and new is not None and old.path != new.path:
            return None  # the organisation moved to another file
    return changed


def _same_frame(before: Model, model: Model) -> bool:
    """The same partnership file as read before, the same date and reach, and
    the same files holding the same organisations but for what changed."""
    return (
        _same_partnership(before, model)
        and before.today == model.today
        and before.complete == model.complete
        and before.partnership_path == model.partnership_path
        and _same_objects(before.duplicate_organisations, model.duplicate_organisations)
    )


def _same_partnership(before: Model, model: Model) -> bool:
    old, new = before.partnership, model.partnership
    if old is None or new is None:
        return old is None and new is None
    # built again from the same file read: the same source map
    return old.origin.source_map is new.origin.source_map and old == new


def _same_objects(one: Sequence[Organisation], other: Sequence[Organisation]) -> bool:
    return len(one) == len(other) and all(a is b for a, b in zip(one, other, strict=True))


def _patched(
    kept: _Kept, model: Model, changed: frozenset[str]
) -> tuple[dict[str, _Facts], _Index]:
    """The facts and the index of the last run, for the changed organisations again."""
    facts = dict(kept.facts)
    for org_id in changed:
        org = model.by_id.get(org_id)
        if org is None:
            facts.pop(org_id, None)
        else:
            facts[org_id] = _Facts.of(org, None)
    kept.index.update(kept.facts, facts, changed)
    return facts, kept.index


def _affected(
    kept: _Kept, model: Model, facts: dict[str, _Facts], changed: frozenset[str]
) -> frozenset[str]:
    """The organisations whose findings a change to `changed` may change:
    all of them when one is a concern's must_reach organisation (messages
    name its roles: "ending at MASH or ...")."""
    if _must_reach_changed(model, changed):
        return frozenset(model.by_id)
    found = set(changed)
    for org_id in changed:
        for either in (kept.facts.get(org_id), facts.get(org_id)):
            if either is not None:
                found |= either.names
        found |= kept.index.named_by.get(org_id, set())  # the others' policies did not change
    if kept.model.by_id.keys() != model.by_id.keys():
        # an organisation appeared or went: "did you mean" lists every id
        found |= {
            org_id
            for org_id, fact in facts.items()
            if any(other not in model.by_id for other in fact.names)
        }
    return frozenset(found & model.by_id.keys())


def _carry_walks(
    kept: _Kept, model: Model, index: _Index, changed: frozenset[str]
) -> frozenset[str]:
    """Let each concern's new escalation graph take the walks the last one
    worked out that a change cannot reach: those from organisations whose
    steps, followed before or after the change, cannot lead to one that
    changed (model/escalation.py: EscalationGraph.carry_over). The others
    are the organisations whose "walk" findings may change; all of them
    when a must_reach role's organisation changed (the messages name its
    roles)."""
    # the steps of the organisations that did not change are as they were: the
    # index of steps as they are now is enough (a changed one is stale itself)
    leads_here = index.leads_here
    stale = set(changed)
    waiting = list(changed)
    while waiting:
        for org_id in leads_here.get(waiting.pop(), ()):
            if org_id not in stale:
                stale.add(org_id)
                waiting.append(org_id)
    for concern, graph in model.escalation_graphs.items():
        before = kept.model.escalation_graphs.get(concern)
        if before is not None:
            graph.carry_over(before, stale)
    if _must_reach_changed(model, changed):
        return frozenset(model.by_id)
    return frozenset(stale & model.by_id.keys())


def _must_reach_changed(model: Model, changed: frozenset[str]) -> bool:
    concerns = model.partnership.concerns if model.partnership is not None else None
    return any(ref.organisation in changed for c in concerns or () for ref in c.must_reach)


# -- running -------------------------------------------------------------------

_Observed = list[tuple[type[Rule], Sequence[Violation]]]


def _full(rules: Sequence[type[Rule]], model: Model) -> tuple[_Observed, dict[type[Rule], _Parts]]:
    split = [rule for rule in rules if rule.scope in ("organisation", "walk")]
    whole = dict(observe([rule for rule in rules if rule not in split], model, codes=CODES))
    parts: dict[type[Rule], _Parts] = {}
    for rule in split:
        found = list(rule(codes=CODES).check(model))
        parts[rule] = _split(rule, model, found, model.by_id.keys())
        whole[rule] = found
    return [(rule, whole[rule]) for rule in rules], parts


def _partial(
    rules: Sequence[type[Rule]], model: Model, kept: _Kept, reach: dict[str, frozenset[str]]
) -> tuple[_Observed, dict[type[Rule], _Parts]]:
    """Each rule's violations: the organisation and walk rules run on a view
    of the organisations `reach` says their findings may have changed for,
    the rest of what they found kept; the other rules in full."""
    views = {
        scope: dataclasses.replace(
            model, organisations=tuple(org for org in model.organisations if org.id in ids)
        )
        for scope, ids in reach.items()
    }
    position = {org.id: index for index, org in enumerate(model.organisations)}
    observed: _Observed = []
    parts: dict[type[Rule], _Parts] = {}
    for rule in rules:
        before = kept.parts.get(rule)
        affected = reach.get(rule.scope, frozenset())
        common, own = (
            _parts_of(rule, views[rule.scope], affected) if before is not None else ([], None)
        )
        if before is None or own is None:
            # a partnership rule, or one that did not split as its scope says
            observed.append((rule, list(rule(codes=CODES).check(model))))
            parts[rule] = None
            continue
        mine = {
            org_id: found
            for org_id, found in before.items()
            if org_id in model.by_id and org_id not in affected
        }
        mine.update(own)
        parts[rule] = mine
        observed.append((rule, _joined(common, mine, position)))
    return observed, parts


def _parts_of(
    rule: type[Rule], view: Model, affected: Iterable[str]
) -> tuple[list[Violation], dict[str, tuple[Violation, ...]] | None]:
    """The rule's partnership part, and what it finds for each organisation
    of the view (None when something it finds belongs to none of them)."""
    common = list(rule(codes=CODES).check(dataclasses.replace(view, organisations=())))
    found = list(rule(codes=CODES).check(view))
    own = _beyond(common, found, frozenset(affected))
    return common, own


def _split(rule: type[Rule], model: Model, found: list[Violation], ids: Iterable[str]) -> _Parts:
    """What a full run of an organisation rule found, per organisation."""
    if rule.scope not in ("organisation", "walk"):
        return None
    common = list(rule(codes=CODES).check(dataclasses.replace(model, organisations=())))
    return _beyond(common, found, frozenset(ids))


def _beyond(
    common: list[Violation], found: list[Violation], ids: frozenset[str]
) -> dict[str, tuple[Violation, ...]] | None:
    """`found` less `common` (as many times as it is there), by organisation;
    None when what is left belongs to no organisation in `ids`."""
    left = _Bag(common)
    own: dict[str, list[Violation]] = {org_id: [] for org_id in ids}
    for violation in found:
        if left.take(violation):
            continue
        org_id = violation.organisation
        if org_id is None or org_id not in own:
            return None
        own[org_id].append(violation)
    if left:
        return None  # the view found less of the partnership part than no organisation did
    return {org_id: tuple(violations) for org_id, violations in own.items() if violations}


class _Bag:
    """Violations, each as many times as it was found, taken out one by one
    (by equality; hashed when every field can be, else compared in turn)."""

    def __init__(self, violations: list[Violation]) -> None:
        self._listed = list(violations)
        self._counted: Counter[Violation] | None = None
        with contextlib.suppress(TypeError):  # a field that cannot be hashed (a list, a dict)
            self._counted = Counter(violations)

    def take(self, violation: Violation) -> bool:
        counted = self._counted
        if counted is None:
            for index, listed in enumerate(self._listed):
                if listed == violation:
                    del self._listed[index]
                    return True
            return False
        try:
            if counted[violation] > 0:
                counted[violation] -= 1
                return True
        except TypeError:  # not hashable, so equal to none of these, which are
            pass
        return False

    def __bool__(self) -> bool:
        if self._counted is not None:
            return any(count > 0 for count in self._counted.values())
        return bool(self._listed)


def _joined(
    common: list[Violation], parts: dict[str, tuple[Violation, ...]], position: dict[str, int]
) -> list[Violation]:
    """The partnership part, then each organisation's, in organisation order
    (the organisations with findings only: most have none)."""
    joined = list(common)
    for org_id in sorted(parts, key=position.__getitem__):
        joined.extend(parts[org_id])
    return joined
