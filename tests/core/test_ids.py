"""core/ids.py: one definition of an id (SPEC §2.1), matched whole, and the
same as the shipped schemas' patterns; the editor's rename and the browser
workspace's new organisation both refuse "dsl\\n"."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lsprotocol import types

import policycoord
from policycoord.core.ids import ID_PATTERN, is_id
from policycoord.input.validation.schemas import schema
from policycoord.lsp.answers import rename
from policycoord.lsp.session import Session
from policycoord.model.build import ROLE_REF
from policycoord.serve.creating import problems_of
from policycoord.workflows.workspace import Workspace
from tests.conftest import EXAMPLES

NOT_IDS = ["dsl\n", "dsl\r\n", "\ndsl", "Dsl", "-dsl", "", "a" * 65, "dsl/mash", "dsl "]


@pytest.mark.parametrize("text", NOT_IDS, ids=repr)
def test_not_an_id(text: str) -> None:
    assert not is_id(text)


@pytest.mark.parametrize("text", ["dsl", "a", "0-team", "a" * 64, "northshire-cs"])
def test_an_id(text: str) -> None:
    assert is_id(text)


@pytest.mark.parametrize("kind", ["policy", "partnership"])
def test_the_schemas_id_patterns_are_this_one(kind: str) -> None:
    definitions = schema(kind)["$defs"]
    found = {name: d["pattern"] for name, d in definitions.items() if name.endswith("Id")}
    assert found and set(found.values()) == {f"^{ID_PATTERN}$"}, json.dumps(found)


@pytest.mark.parametrize("kind", ["policy", "partnership"])
def test_a_role_reference_is_the_schemas_role_ref(kind: str) -> None:
    assert schema(kind)["$defs"]["roleRef"]["pattern"] == f"^{ROLE_REF.pattern}$"
    assert ROLE_REF.fullmatch("northshire-cs/mash") and ROLE_REF.fullmatch("dsl")
    assert not ROLE_REF.fullmatch("a/b/c") and not ROLE_REF.fullmatch("/dsl")


def test_the_id_pattern_is_spelled_once_in_the_code() -> None:
    # every module builds on core/ids.ID_PATTERN; a second spelling drifts
    package = Path(policycoord.__file__).parent
    spelled = {
        file.relative_to(package).as_posix()
        for file in package.rglob("*.py")
        if "a-z0-9-]{0,63}" in file.read_text(encoding="utf-8")
    }
    assert spelled == {"core/ids.py"}


def test_rename_in_the_editor_refuses_an_id_with_a_line_break(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "policies")
    session = Session(Workspace(tmp_path / "policies"))
    session.start()
    school = "orgs/st-marys-primary.yaml"
    text = session.text_of(school)
    index = text.index("- id: dsl") + len("- id: ")
    line = text.count("\n", 0, index)
    where = types.Position(line=line, character=index - text.rfind("\n", 0, index) - 1)
    with pytest.raises(ValueError, match="is not an id"):
        rename(session, school, where, "lead\n")
    assert rename(session, school, where, "lead") is not None


def test_a_new_organisation_refuses_an_id_with_a_line_break(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "policies")
    model = Workspace(tmp_path / "policies").check().model
    values = {"id": "new-club\n", "name": "New Club", "sector": "sport"}
    assert [field for field, _ in problems_of(model, values, {"sport"})] == ["new-id"]
    assert problems_of(model, {**values, "id": "new-club"}, {"sport"}) == []
