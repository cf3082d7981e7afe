"""Loaded documents -> the Model, with the indexes rules need.

The documents have been validated, but a document with schema errors is
still built (its errors are already findings): every field is read with a
type check, and a value of the wrong type is treated as absent. So a broken
file can never crash a rule, and its valid parts are still cross-checked.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol, TypeVar

from policycoord.core.findings import FileProblem, Location
from policycoord.core.ids import ID, ID_PATTERN
from policycoord.core.timeframes import Timeframe, parse_timeframe
from policycoord.input.loading import LoadedFile, escape_pointer_token
from policycoord.model.escalation import build_graphs
from policycoord.model.model import Model
from policycoord.model.policies import (
    AvoidTerm,
    Commitment,
    Concern,
    Contact,
    DuplicateId,
    Duty,
    Escalation,
    Mission,
    Organisation,
    Origin,
    Partnership,
    Receipt,
    Responsibility,
    Review,
    Role,
    RoleRef,
    RulesConfig,
    Sharing,
    Step,
    Term,
    Theme,
    Waiver,
)
from policycoord.model.updates import indexes_after


class _HasId(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def origin(self) -> Origin: ...


_T = TypeVar("_T", bound=_HasId)
_K = TypeVar("_K")
_V = TypeVar("_V")

MAX_LABEL = 300  # the schema's maxLength for names and titles

SLUG = ID  # core/ids.py: what an id is
ROLE_REF = re.compile(f"{ID_PATTERN}(/{ID_PATTERN})?")  # a role, or an organisation/role


#: Value objects that many files write alike, made once and shared (they
#: are immutable): `county-cs/mash` written by 20,000 organisations is one
#: RoleRef, `24 hours` one Timeframe. Less to build and less to keep.
_SHARED_REFS: dict[str, RoleRef] = {}
_TIMEFRAMES: dict[str, Timeframe] = {}
_SLUGS: set[str] = set()
_KEPT = 4096


class _Doc:
    """A mapping in a file, with where it is, for reading fields safely.
    (A plain class: made for every item of every file, it is kept cheap.)"""

    __slots__ = ("data", "origin")

    def __init__(self, data: dict[str, Any], origin: Origin) -> None:
        self.data = data
        self.origin = origin

    def child(self, key: str) -> _Doc | None:
        value = self.data.get(key)
        if not isinstance(value, dict):
            return None
        return _Doc(value, self._origin(key))

    def items(self, key: str) -> list[_Doc]:
        """The mapping items of a list field (other items are skipped)."""
        value = self.data.get(key)
        if type(value) is not list:
            return []
        origin = self.origin
        path, source_map = origin.path, origin.source_map
        below = f"{origin.pointer}/{escape_pointer_token(key)}/"
        return [
            _Doc(item, Origin(path, below + str(index), source_map))
            for index, item in enumerate(value)
            if type(item) is dict
        ]

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        return value if isinstance(value, str) else None

    def label(self, key: str) -> str | None:
        """A name or title, clipped to what the schema allows (PC003 reports a
        longer one), so that one pasted document cannot flood every message."""
        value = self.text(key)
        if value is None or len(value) <= MAX_LABEL:
            return value
        return value[: MAX_LABEL - 1] + "…"

    def slug(self, key: str) -> str | None:
        value = self.data.get(key)
        if type(value) is not str:
            return None
        if value in _SLUGS:  # ids come back in every file: `dsl`, `refer-to-...`
            return value
        if not SLUG.fullmatch(value):
            return None
        if len(_SLUGS) < _KEPT:
            _SLUGS.add(value)
        return value

    def role_ref(self, key: str, owner: str) -> RoleRef | None:
        value = self.data.get(key)
        if not isinstance(value, str):
            return None
        shared = _SHARED_REFS.get(value)  # `org/role`: the same whoever writes it
        if shared is not None:
            return shared
        if not ROLE_REF.fullmatch(value):
            return None
        ref = RoleRef.parse(value, owner)
        if "/" in value and len(_SHARED_REFS) < _KEPT:
            _SHARED_REFS[value] = ref
        return ref

    def timeframe(self, key: str) -> Timeframe | None:
        value = self.data.get(key)
        if not isinstance(value, str):
            return None
        found = _TIMEFRAMES.get(value)
        if found is None:
            found = parse_timeframe(value)
            if found is not None and len(_TIMEFRAMES) < _KEPT:
                _TIMEFRAMES[value] = found
        return found

    def date(self, key: str) -> datetime.date | None:
        value = self.data.get(key)
        if isinstance(value, datetime.datetime):
            return None
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                return None
        return None

    def strings(self, key: str) -> tuple[str, ...] | None:
        """A list of strings (non-strings dropped); None when absent."""
        value = self.data.get(key)
        if not isinstance(value, list):
            return None
        return tuple(item for item in value if isinstance(item, str))

    def slugs(self, key: str) -> tuple[str, ...] | None:
        found = self.strings(key)
        return None if found is None else tuple(s for s in found if SLUG.fullmatch(s))

    def _origin(self, key: str) -> Origin:
        origin = self.origin
        pointer = f"{origin.pointer}/{escape_pointer_token(key)}"
        return Origin(origin.path, pointer, origin.source_map)


def _root(loaded: LoadedFile) -> _Doc | None:
    if not loaded.loaded or not isinstance(loaded.data, dict):
        return None
    return _Doc(loaded.data, Origin(loaded.path, "", loaded.source_map))


# -- organisations -----------------------------------------------------------


def policies_globs(loaded: LoadedFile) -> list[tuple[str, Location]] | None:
    """The partnership's `policies` patterns, with where each is written."""
    data = loaded.data
    block = data.get("partnership") if isinstance(data, dict) else None
    globs = block.get("policies") if isinstance(block, dict) else None
    if not isinstance(globs, list):
        return None
    return [
        (pattern, loaded.location(f"/partnership/policies/{index}"))
        for index, pattern in enumerate(globs)
        if isinstance(pattern, str)
    ]


def organisation_id(loaded: LoadedFile) -> str | None:
    """The organisation id a policy file declares, when it can be read."""
    root = _root(loaded)
    block = root.child("organisation") if root else None
    return block.slug("id") if block else None


def build_organisation(loaded: LoadedFile) -> Organisation | None:
    root = _root(loaded)
    block = root.child("organisation") if root else None
    org_id = block.slug("id") if block else None
    if root is None or block is None or org_id is None:
        return None
    roles, duplicate_roles = _unique(
        [_role(item, org_id) for item in root.items("roles") if item.slug("id")], "role", org_id
    )
    roles_by_id = {role.id: role for role in roles}
    review = block.child("review")
    return Organisation(
        id=org_id,
        name=block.label("name") or org_id,
        sector=block.text("sector") or "other",
        path=loaded.path,
        review=Review(review.date("approved"), review.date("next_review"), review.origin)
        if review
        else None,
        roles=roles,
        responsibilities=tuple(_responsibilities(root, org_id)),
        escalations=tuple(_escalations(root, org_id)),
        receives=tuple(_receipts(root, org_id)),
        glossary=tuple(_terms(root.items("glossary"), org_id)),
        sharing=tuple(
            Sharing(with_org, item.text("purpose"), item.text("basis"), item.origin)
            for item in root.items("sharing")
            if (with_org := item.slug("with"))
        ),
        commitments=tuple(
            Commitment(item.slug("theme"), text, item.origin)
            for item in root.items("commitments")
            if (text := item.text("text"))
        ),
        summary=root.text("summary"),
        origin=block.origin,
        roles_by_id=roles_by_id,
        duplicate_ids=duplicate_roles,
    )


def _unique(
    items: list[_T], kind: str, org_id: str | None
) -> tuple[tuple[_T, ...], tuple[DuplicateId, ...]]:
    """Keep the first item of each id; the repeats become DuplicateIds."""
    first: dict[str, _T] = {}
    repeats: list[DuplicateId] = []
    for item in items:
        seen = first.get(item.id)
        if seen is None:
            first[item.id] = item
        else:
            repeats.append(DuplicateId(kind, item.id, org_id, item.origin, seen.origin))
    return tuple(first.values()), tuple(repeats)


def _role(item: _Doc, org_id: str) -> Role:
    role_id = item.slug("id") or ""
    contact = item.child("contact")
    hours = contact.text("hours") if contact else None
    return Role(
        organisation=org_id,
        id=role_id,
        title=item.label("title") or role_id,
        contact=Contact(contact.text("phone"), contact.text("email"), hours) if contact else None,
        deputy=item.slug("deputy"),
        origin=item.origin,
    )


def _responsibilities(root: _Doc, org_id: str) -> Iterator[Responsibility]:
    for item in root.items("responsibilities"):
        duty, role, raci = item.slug("duty"), item.slug("role"), item.text("raci")
        if duty and role and raci:
            yield Responsibility(
                org_id, duty, role, raci, item.timeframe("within"), item.text("notes"), item.origin
            )


def _escalations(root: _Doc, org_id: str) -> Iterator[Escalation]:
    for item in root.items("escalations"):
        concern = item.slug("concern")
        if not concern:
            continue
        steps = tuple(
            Step(
                to,
                step.timeframe("within"),
                step.text("action"),
                step.role_ref("out_of_hours", org_id),
                step.origin,
            )
            for step in item.items("steps")
            if (to := step.role_ref("to", org_id))
        )
        yield Escalation(org_id, concern, steps, item.origin)


def _receipts(root: _Doc, org_id: str) -> Iterator[Receipt]:
    for item in root.items("receives"):
        concern, role = item.slug("concern"), item.slug("role")
        if concern and role:
            sources = item.strings("from") or ()
            yield Receipt(org_id, concern, role, sources, item.timeframe("within"), item.origin)


def _terms(items: Iterable[_Doc], org_id: str | None) -> Iterator[Term]:
    for item in items:
        term, meaning = item.text("term"), item.text("meaning")
        if term and meaning:
            yield Term(term, meaning, item.text("definition"), org_id, item.origin)


# -- the partnership ---------------------------------------------------------


def build_partnership(loaded: LoadedFile) -> Partnership | None:
    root = _root(loaded)
    block = root.child("partnership") if root else None
    if root is None or block is None:
        return None
    part_id = block.slug("id") or "partnership"
    glossary = root.items("glossary") if "glossary" in root.data else None
    duties, duplicate_duties = _unique(list(_duties(root)), "duty", None)
    concerns, duplicate_concerns = _unique(list(_concerns(root)), "concern", None)
    mission = _mission(root)
    themes, duplicate_themes = _unique(list(mission.themes) if mission else [], "theme", None)
    if mission is not None:
        mission = Mission(mission.vision, themes, mission.origin)
    return Partnership(
        id=part_id,
        name=block.label("name") or part_id,
        path=loaded.path,
        members=block.slugs("members"),
        policies=block.strings("policies"),
        duties=duties if "duties" in root.data else None,
        concerns=concerns if "concerns" in root.data else None,
        glossary=tuple(_terms(glossary, None)) if glossary is not None else None,
        allow_acronyms=root.strings("allow_acronyms") or (),
        avoid=tuple(
            AvoidTerm(term, use, item.text("why"), item.origin)
            for item in root.items("avoid")
            if (term := item.text("term")) and (use := item.text("use"))
        ),
        mission=mission,
        review_max_age=review.text("max_age") if (review := root.child("review")) else None,
        waivers=tuple(_waivers(root)),
        rules=_rules(root),
        origin=block.origin,
        duplicate_ids=duplicate_duties + duplicate_concerns + duplicate_themes,
    )


def _duties(root: _Doc) -> Iterator[Duty]:
    for item in root.items("duties"):
        duty_id = item.slug("id")
        if duty_id:
            yield Duty(
                duty_id,
                item.label("title") or duty_id,
                item.text("scope") or "each-member",
                item.strings("applies_to"),
                item.timeframe("max_within"),
                item.origin,
            )


def _concerns(root: _Doc) -> Iterator[Concern]:
    for item in root.items("concerns"):
        concern_id = item.slug("id")
        if concern_id:
            must_reach = tuple(
                RoleRef.parse(ref, "")
                for ref in item.strings("must_reach") or ()
                if ROLE_REF.fullmatch(ref)
            )
            yield Concern(
                concern_id,
                item.label("title") or concern_id,
                must_reach,
                item.timeframe("max_total"),
                item.text("out_of_hours") == "required",
                item.strings("applies_to"),
                item.origin,
            )


def _mission(root: _Doc) -> Mission | None:
    mission = root.child("mission")
    if mission is None:
        return None
    themes = tuple(
        Theme(theme_id, item.label("title") or theme_id, item.text("description"), item.origin)
        for item in mission.items("themes")
        if (theme_id := item.slug("id"))
    )
    return Mission(mission.text("vision"), themes, mission.origin)


def _waivers(root: _Doc) -> Iterator[Waiver]:
    for item in root.items("waivers"):
        code, org = item.text("code"), item.text("organisation")
        if code and org:
            yield Waiver(
                code,
                org,
                item.text("subject"),
                item.text("reason"),
                item.strings("approved_by") or (),
                item.date("expires"),
                item.origin,
            )


def _rules(root: _Doc) -> RulesConfig:
    rules = root.child("rules")
    if rules is None:
        return RulesConfig()
    severity = rules.child("severity")
    overrides = (
        {k: v for k, v in severity.data.items() if isinstance(k, str) and isinstance(v, str)}
        if severity
        else {}
    )
    return RulesConfig(rules.strings("ignore") or (), overrides, rules.text("fail_on"))


# -- the model ---------------------------------------------------------------


def build_model(
    *,
    partnership: LoadedFile | None,
    policies: Iterable[LoadedFile],
    problems: Iterable[FileProblem],
    today: datetime.date,
    complete: bool = True,
) -> Model:
    """Assemble the model. Policy files are taken in path order: when two
    declare the same organisation id, the first keeps it (PC004 on the rest)."""
    return model_from(
        partnership=partnership,
        built=[(loaded.path, build_organisation(loaded)) for loaded in policies],
        problems=problems,
        today=today,
        complete=complete,
    )


def _claimed(
    unidentified: list[str],
    claims: Mapping[str, str],
    members: tuple[str, ...] | None,
    by_id: Mapping[str, Organisation],
) -> dict[str, str]:
    """Whose each file that could not be built is: the id its readable part
    names, else a member's id its file name is (`orgs/riverside-surgery.yaml`).
    Never an organisation another file already is."""
    member_ids = set(members or ())
    found: dict[str, str] = {}
    for path in unidentified:
        stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        claim = claims.get(path) or (stem if stem in member_ids else None)
        if claim is not None and claim not in by_id and claim not in found.values():
            found[path] = claim
    return found


def _owned(problems: Iterable[FileProblem], claimed: Mapping[str, str]) -> tuple[FileProblem, ...]:
    """The problems of claimed files, under the organisation that claims them."""
    owned = []
    for problem in problems:
        violation = problem.violation
        owner = claimed.get(violation.location.path)
        if owner is not None and violation.organisation is None:
            problem = FileProblem(problem.code, dataclasses.replace(violation, organisation=owner))
        owned.append(problem)
    return tuple(owned)


def model_from(
    *,
    partnership: LoadedFile | None,
    built: Iterable[tuple[str, Organisation | None]],
    problems: Iterable[FileProblem],
    today: datetime.date,
    complete: bool = True,
    claims: Mapping[str, str] | None = None,
    before: Model | None = None,
) -> Model:
    """`build_model` from each policy file's path and the organisation built
    from it (`build_organisation`), so that a large run can let go of each
    file's data as soon as its organisation is built. `claims` are the
    organisation ids that files which could not be built name in their
    readable part; their problems are reported under that organisation.
    `before`, a model of the same repository a moment ago: what did not
    change is taken from it (model/updates.py), the same model in the end."""
    files = sorted(built, key=lambda pair: pair[0])
    organisations: list[Organisation] = []
    duplicates: list[Organisation] = []
    by_id: dict[str, Organisation] = {}
    unidentified: list[str] = []
    for path, org in files:
        if org is None:
            unidentified.append(path)
            continue
        if org.id in by_id:
            duplicates.append(org)
            continue
        by_id[org.id] = org
        organisations.append(org)
    partnership_model = _partnership(partnership, before)
    concerns = partnership_model.concerns if partnership_model else None
    patched = (
        indexes_after(before, organisations, concerns or ())
        if before is not None and partnership_model is before.partnership is not None
        else None
    )
    indexes = patched if patched is not None else _indexes(organisations, concerns or ())
    members = partnership_model.members if partnership_model else None
    claimed = _claimed(unidentified, claims or {}, members, by_id)
    return Model(
        partnership=partnership_model,
        partnership_path=partnership.path if partnership else None,
        organisations=tuple(organisations),
        duplicate_organisations=tuple(duplicates),
        file_problems=_owned(problems, claimed),
        files=len(files) + (1 if partnership else 0),
        today=today,
        by_id=by_id,
        unidentified_files=tuple(unidentified),
        claimed_files=claimed,
        complete=complete,
        **indexes,
    )


def _partnership(loaded: LoadedFile | None, before: Model | None) -> Partnership | None:
    """The partnership of `loaded`: `before`'s when it was built from the
    same file read (the same source map), else built."""
    kept = before.partnership if before is not None else None
    if loaded is not None and kept is not None and kept.origin.source_map is loaded.source_map:
        return kept
    return build_partnership(loaded) if loaded is not None else None


def _indexes(organisations: list[Organisation], concerns: tuple[Concern, ...]) -> dict[str, Any]:
    return {
        "responsibilities_by_duty": _grouped(
            (r.duty, r) for org in organisations for r in org.responsibilities
        ),
        "escalations_by_concern": _grouped(
            (e.concern, e) for org in organisations for e in org.escalations
        ),
        "receipts_by_concern": _grouped(
            (r.concern, r) for org in organisations for r in org.receives
        ),
        "receipts_by_target": _grouped(
            ((r.concern, f"{r.organisation}/{r.role}"), r)
            for org in organisations
            for r in org.receives
        ),
        "escalation_graphs": build_graphs(concerns, tuple(organisations)),
    }


def _grouped(pairs: Iterable[tuple[_K, _V]]) -> dict[_K, tuple[_V, ...]]:
    found: dict[_K, list[_V]] = {}
    for key, value in pairs:
        found.setdefault(key, []).append(value)
    return {key: tuple(values) for key, values in found.items()}
