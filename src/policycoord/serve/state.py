"""What the browser workspace holds while it runs, and how its addresses name
things: an organisation by its id, the partnership as `partnership`, a
section by the top-level key of the file (`roles`, `duties`), a field by its
JSON pointer from the file's root (the form field's name; its id is
`views.forms.field_id` of it). No address ever
carries a path: a file is found from the organisation id through the last
check, and written only when the workspace reads it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from policycoord.core.findings import Finding
from policycoord.core.text import visible
from policycoord.editing import Document
from policycoord.input.validation.schemas import schema
from policycoord.model.model import Model
from policycoord.serve.security import Secrets
from policycoord.views.choices import Choices, choices_for
from policycoord.views.forms.wording import section_label
from policycoord.workflows.workspace import Checked, Workspace

PARTNERSHIP: Final = "partnership"


@dataclass(frozen=True, slots=True)
class Target:
    """A file a page shows or a form writes: the partnership file (`org` None)
    or an organisation's policy file."""

    kind: str  # "policy" | "partnership"
    org: str | None
    display: str  # the path reports name it by
    name: str  # the organisation's (or the partnership's) name, made visible

    @property
    def base(self) -> str:
        """The address of its page."""
        return "/partnership" if self.org is None else f"/org/{quote(self.org, safe='')}"

    def section_href(self, section: str, pointer: str = "") -> str:
        """A section's form; with `pointer` (from the file's root), at that field."""
        from policycoord.views.forms import field_id

        return f"{self.base}/edit/{quote(section, safe='')}" + (
            f"#{quote(field_id(pointer), safe='/~')}" if pointer else ""
        )


@dataclass(slots=True)
class Served:
    """The workspace and the secrets of one `policycoord serve`."""

    workspace: Workspace
    secrets: Secrets
    #: one page at a time: a save (open, compare, write, re-read) is never interleaved
    lock: threading.RLock = field(default_factory=threading.RLock)
    #: what pages of one check share, built once: (generation, links, choices)
    _built: tuple[int, Links, Choices] | None = None
    #: the file a section's form was last made from, opened, not yet edited: a
    #: save of that form takes it if the file still holds the same bytes
    kept: Document | None = None

    def links(self, checked: Checked) -> Links:
        return self._for(checked)[1]

    def choices(self, checked: Checked) -> Choices:
        return self._for(checked)[2]

    def _for(self, checked: Checked) -> tuple[int, Links, Choices]:
        built = self._built
        if built is None or built[0] != checked.generation:
            # the roles of organisations whose files were not read again are kept
            earlier = None if built is None else (built[1].model, built[2])
            built = (checked.generation, Links(self, checked), choices_for(checked.model, earlier))
            self._built = built
        return built

    def target(self, checked: Checked, org: str | None) -> Target | None:
        """The file of an organisation id (or of the partnership, for None),
        when the workspace reads it."""
        model = checked.model
        if org is None:
            display = model.partnership_path
            if display is None or display not in checked.files:
                return None
            partnership = model.partnership
            name = partnership.name if partnership is not None else ""
            return Target(PARTNERSHIP, None, display, visible(name or "The partnership"))
        organisation = model.by_id.get(org)
        if organisation is None or organisation.path not in checked.files:
            return None
        return Target("policy", organisation.id, organisation.path, visible(organisation.name))

    def file(self, target: Target) -> Path:
        return self.workspace.path(target.display)


def sections(kind: str) -> tuple[str, ...]:
    """The top-level keys of a file of this kind, in the schema's order (but
    the format version, which no one edits)."""
    properties: Mapping[str, Any] = schema(kind).get("properties", {})
    return tuple(key for key in properties if key != "policycoord")


def section_words(section: str) -> str:
    """A section's heading: its form's label (views/forms/wording.py)."""
    return section_label(section)


def split_pointer(pointer: str) -> tuple[str, str]:
    """`/roles/0/title` -> (`roles`, `/0/title`): the section and the field below it."""
    if not pointer.startswith("/"):
        return "", ""
    section, _, rest = pointer[1:].partition("/")
    section = section.replace("~1", "/").replace("~0", "~")
    return section, f"/{rest}" if rest else ""


class Links:
    """Where each finding is changed: its file's section page, at its field
    (each file's target made when a finding first asks for it)."""

    def __init__(self, served: Served, checked: Checked) -> None:
        self.model: Model = checked.model
        self._served = served
        self._checked = checked
        #: the organisation id of each file the workspace reads (the last of an id wins)
        self._orgs: dict[str, str] = {}
        read = frozenset(checked.files)
        for org in self.model.organisations:
            found = self.model.by_id.get(org.id)
            if found is not None and found.path in read:
                self._orgs[found.path] = org.id
        self._targets: dict[str, Target | None] = {}
        self._sections = {kind: frozenset(sections(kind)) for kind in ("policy", PARTNERSHIP)}

    def _target(self, path: str) -> Target | None:
        partnership = self._served.target(self._checked, None)
        if partnership is not None and partnership.display == path:
            return partnership
        org = self._orgs.get(path)
        return None if org is None else self._served.target(self._checked, org)

    def target_of(self, finding: Finding) -> Target | None:
        path = finding.location.path
        if path not in self._targets:
            self._targets[path] = self._target(path)
        return self._targets[path]

    def href(self, finding: Finding) -> str:
        target = self.target_of(finding)
        if target is None:
            return ""
        pointer = finding.location.pointer
        section, _ = split_pointer(pointer)
        if section in self._sections[target.kind]:
            return target.section_href(section, pointer)
        return f"{target.base}#findings"
