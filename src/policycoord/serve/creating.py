"""A new organisation: its policy file written from a validated id, where the
partnership's `policies` patterns will find it (`orgs/<id>.yaml` by
default), through `editing.new_text` and `editing.create` (never over a
file that is there). The path is made from the id and the partnership's own
patterns only, never taken from the request, and must stay under the
repository; nothing is made where the patterns would not read the file
(`editing.new_files.create_policy_file`), and a file discovery does not
read after all is removed again.
"""

from __future__ import annotations

import contextlib
from typing import Any

from policycoord.core.ids import is_id
from policycoord.editing import Insert, Refusal, Saved, new_text
from policycoord.editing.new_files import (
    create_policy_file,
    folders_for,
    from_pattern,
    policy_path_in,
)
from policycoord.model.model import Model
from policycoord.serve import pages
from policycoord.serve.pages import Outcome
from policycoord.serve.state import Served
from policycoord.serve.writing import opened, write
from policycoord.views.choices import enum_choices
from policycoord.workflows.workspace import Checked, difference

Posted = dict[str, list[str]]
Page = tuple[int, str]


def where_for(model: Model, org_id: str, folder: str | None = None) -> str:
    """The new file's path below the repository: in `folder` (one of
    `folders_for`), else the first `policies` pattern's folder up to its
    first wildcard; then `<id>` and the pattern's suffix (`orgs/**/*.yml` ->
    `orgs/<id>.yml`)."""
    return policy_path_in(model, from_pattern(model)[0] if folder is None else folder, org_id)


def _folder(model: Model, values: dict[str, str]) -> str:
    """The folder chosen, or the one the sector's organisations are in."""
    return values["folder"] or folders_for(model, values["sector"])[0]


def problems_of(model: Model, values: dict[str, str], sectors: set[str]) -> list[tuple[str, str]]:
    found = []
    org_id = values["id"]
    if not is_id(org_id):
        found.append(
            (
                "new-id",
                "The id must be lower-case letters, digits and hyphens, "
                "starting with a letter or digit, at most 64 characters.",
            )
        )
    elif org_id in model.by_id:
        found.append(("new-id", f"The id {org_id} is taken: another organisation has it."))
    if not values["name"].strip():
        found.append(("new-name", "Write the organisation's name."))
    if values["sector"] not in sectors:
        found.append(("new-sector", "Choose the organisation's sector."))
    return found


def new_page(served: Served, params: dict[str, Any], posted: Posted | None) -> Page:
    checked = served.workspace.check()
    model = checked.model
    sectors = enum_choices("sector")
    keys = ("id", "name", "sector", "member", "folder")
    values = {key: (posted or {}).get(key, [""])[-1] for key in keys}
    if posted is None:
        values["member"] = "yes"  # checked until the person says otherwise
    if values["folder"] not in folders_for(model):  # never a path from the request
        values["folder"] = ""  # beside the organisations of its sector
    problems = problems_of(model, values, {c.value for c in sectors}) if posted else []
    if posted is None or problems:
        return (200 if posted is None else 422), _page(served, model, values, problems)
    status, outcome = _create(served, model, values)
    if outcome.kind == "saved":
        return status, pages.organisation_page(
            served, served.workspace.latest(), _target(served, values["id"]), outcome
        )
    return status, _page(served, model, values, [], outcome)


def _target(served: Served, org_id: str) -> Any:
    return served.target(served.workspace.latest(), org_id)


def _create(served: Served, model: Model, values: dict[str, str]) -> tuple[int, Outcome]:
    workspace = served.workspace
    where = where_for(model, values["id"], _folder(model, values))
    file = workspace.path(where)
    organisation = {"id": values["id"], "name": values["name"].strip(), "sector": values["sector"]}
    text = new_text({"policycoord": 1, "organisation": organisation})
    if not isinstance(text, str):
        return 409, Outcome("refused", "Not created", (text.reason,))
    before = workspace.latest()
    patterns = model.partnership.policies if model.partnership is not None else None
    made = create_policy_file(workspace.root, where, text, patterns)
    if not isinstance(made, Saved):
        return 409, Outcome("refused", "Not created", (made.reason,))
    after = workspace.reread([file])
    if not workspace.reads(file):  # not foreseen (a folder reached through a link): undone
        with contextlib.suppress(OSError):
            file.unlink()
        workspace.reread([file])
        return 409, Outcome(
            "refused",
            "Not created",
            (
                f"The partnership's policies patterns would not read {where}, so it was not kept. "
                "Change the patterns in the partnership file first.",
            ),
        )
    lines: tuple[str, ...] = ()
    if values.get("member") and _has_members(model):
        after, lines = _add_member(served, values["id"])
    change = difference(before.report, after.report)
    return 201, pages.saved_outcome(f"Created {where}", after, served, change, lines)


def _has_members(model: Model) -> bool:
    return model.partnership is not None and model.partnership.members is not None


def _add_member(served: Served, org_id: str) -> tuple[Checked, tuple[str, ...]]:
    """`org_id` added to the partnership's `members` (so that PC007 does not
    follow the new file), through the editing layer as any save."""
    checked = served.workspace.latest()
    target = served.target(checked, None)
    document = opened(served, target) if target is not None else None
    if target is None or isinstance(document, Refusal) or document is None:
        return checked, ("The partnership file could not be changed: add it to members there.",)
    written = write(
        served,
        target,
        document.snapshot.sha256,
        lambda data: [Insert("/partnership/members/-", org_id)],
        what="the members",
        document=document,
    )
    if not written.saved:
        return written.checked, (f"{written.outcome.heading}: add {org_id} to members yourself.",)
    return written.checked, (f"Added {org_id} to the partnership's members in {target.display}.",)


def _page(
    served: Served,
    model: Model,
    values: dict[str, str],
    problems: list[tuple[str, str]],
    outcome: Outcome | None = None,
) -> str:
    return pages.render(
        served,
        "new.html.j2",
        current="new",
        page_title="Add an organisation",
        where=where_for(model, values["id"] or "<id>", _folder(model, values)),
        folders=folders_for(model),
        members=_has_members(model),
        values=values,
        sectors=enum_choices("sector"),
        problems=problems,
        outcome=outcome,
    )
