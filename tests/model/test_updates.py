"""A model patched after a change (model/updates.py, `model_from(before=)`)
has the indexes and escalation graphs a model built afresh has."""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, TODAY

from policycoord.model.model import Model
from policycoord.workflows.pipeline import Options, load_model
from policycoord.workflows.workspace import Workspace

OPTIONS = Options(today=datetime.date.fromisoformat(TODAY))
SCHOOL = "orgs/st-marys-primary.yaml"


def _shape(model: Model) -> dict[str, Any]:
    """What the indexes hold, as (organisation, where) pairs in order."""

    def items(index: dict[Any, tuple[Any, ...]]) -> dict[Any, list[tuple[str, ...]]]:
        return {
            key: [
                (i.organisation, i.origin.path, i.origin.pointer, getattr(i, "raci", ""))
                for i in found
            ]
            for key, found in index.items()
        }

    return {
        "organisations": [org.id for org in model.organisations],
        "responsibilities": items(model.responsibilities_by_duty),
        "escalations": items(model.escalations_by_concern),
        "receipts": items(model.receipts_by_concern),
        "targets": items(model.receipts_by_target),
        "graphs": {
            concern: [(org_id, path.origin.pointer) for org_id, path in graph.paths.items()]
            for concern, graph in model.escalation_graphs.items()
        },
    }


def _edit_school(root: Path) -> None:
    school = root / SCHOOL
    text = school.read_text(encoding="utf-8")
    school.write_text(text.replace("raci: accountable", "raci: responsible", 1), "utf-8")


def _break_school(root: Path) -> None:
    (root / SCHOOL).write_text("policycoord: 1\norganisation: [\n", "utf-8")


def _add_copy(root: Path) -> None:
    text = (root / SCHOOL).read_text(encoding="utf-8")
    copy = text.replace("id: st-marys-primary", "id: aardvark-primary", 1)
    (root / "orgs" / "aardvark-primary.yaml").write_text(copy, "utf-8")


def _drop_escalations(root: Path) -> None:
    police = root / "orgs" / "northshire-police.yaml"
    text = police.read_text(encoding="utf-8")
    police.write_text(text.replace("\nescalations:", "\nnot_escalations:", 1), "utf-8")


@pytest.mark.parametrize("edit", [_edit_school, _break_school, _add_copy, _drop_escalations])
def test_a_patched_model_is_the_model_built_afresh(
    edit: Callable[[Path], None], tmp_path: Path
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES, root)
    workspace = Workspace(root, options=OPTIONS)
    first = workspace.check().model
    edit(root)
    patched = workspace.check().model
    assert patched.partnership is first.partnership  # the file did not change: kept
    assert _shape(patched) == _shape(load_model(cwd=root, options=OPTIONS))
    assert _shape(patched) != _shape(first)
