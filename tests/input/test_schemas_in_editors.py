"""The schemas as editors show them (VS Code's YAML extension and every other
editor that runs yaml-language-server), for people who are not programmers:

- titles and descriptions are plain text (an editor shows them as text:
  backticks would appear as backticks); the Markdown version of a
  description is its `markdownDescription`;
- a value that does not fit gets a sentence saying what to write
  (`patternErrorMessage`; `errorMessage` for a value of the wrong type),
  never "String does not match the pattern of ^(immediately|...";
- each kind of id has its own definition, so an editor offers role ids
  (`dsl`) where a role goes, not an organisation's (`st-marys-primary`);
- the keywords only editors read change nothing that policycoord's
  validators (jsonschema-rs, and the `jsonschema` package) decide.

The last tests ask the real yaml-language-server (the npm package, run with
the machine's Node.js through `yaml_language_server.mjs`) what it shows for
the files `policycoord init` writes, whose first line names the repository's
own copy of the schema by a relative path. .ci/run installs it in the
git-ignored `.cache/yaml-language-server/`; without it (or without `node`)
those tests are skipped, except under CI (`CI` set).
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import jsonschema
import jsonschema_rs
import pytest
import yaml
from conftest import PROJECT_ROOT

from policycoord.workflows.init import starter_files

SCHEMA_DIR = PROJECT_ROOT / "src/policycoord/schemas"
KINDS = ("policy", "partnership")
#: Keywords for editors only: annotations to a JSON Schema validator.
EDITOR_KEYWORDS = ("markdownDescription", "patternErrorMessage", "errorMessage")


def load(kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")
    )
    return schema


def schema_objects(node: Any, at: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object (not the data in `examples`, `enum`, `const`)."""
    if not isinstance(node, dict):
        return
    yield at, node
    for key, value in node.items():
        if key in ("examples", "enum", "const", "default"):
            continue
        if key in ("properties", "$defs", "patternProperties"):
            for name, sub in value.items():
                yield from schema_objects(sub, f"{at}/{key}/{name}")
        elif isinstance(value, dict):
            yield from schema_objects(value, f"{at}/{key}")
        elif isinstance(value, list):
            for index, sub in enumerate(value):
                yield from schema_objects(sub, f"{at}/{key}/{index}")


def definition_of(schema: dict[str, Any], node: dict[str, Any]) -> str | None:
    """The `$defs` name a property's value (or its list's items) refers to."""
    target = node.get("$ref") or node.get("items", {}).get("$ref")
    return str(target).rpartition("/")[2] if target else None


# ---------------------------------------------------------------- plain text


@pytest.mark.parametrize("kind", KINDS)
def test_titles_and_descriptions_are_plain_text(kind: str) -> None:
    for at, node in schema_objects(load(kind)):
        for keyword in ("title", "description", *EDITOR_KEYWORDS[1:]):
            text = node.get(keyword)
            if isinstance(text, str):
                assert "`" not in text, f"{at} {keyword}: {text}"
                assert not re.search(r"\^|\$\)|\[0-9\]|\\\\", text), f"{at} {keyword}: {text}"


@pytest.mark.parametrize("kind", KINDS)
def test_markdown_descriptions_say_what_the_plain_ones_say(kind: str) -> None:
    def words(text: str) -> str:
        return re.sub(r'[`"]', "", text)

    found = 0
    for at, node in schema_objects(load(kind)):
        if "markdownDescription" in node:
            found += 1
            assert "`" in node["markdownDescription"], at
            assert words(node["markdownDescription"]) == words(node["description"]), at
    assert found > 20


@pytest.mark.parametrize("kind", KINDS)
def test_every_pattern_has_a_message_in_words(kind: str) -> None:
    for at, node in schema_objects(load(kind)):
        if "pattern" not in node:
            continue
        message = node.get("patternErrorMessage", "")
        assert message.startswith("Write "), f"{at}: {message!r}"
        assert message.endswith("."), at
        for example in node.get("examples", [])[:1]:
            if example != "*":
                assert str(example) in message, f"{at}: {message!r} gives no example"
    definitions = load(kind)["$defs"]
    assert (
        definitions["timeframe"]["errorMessage"] == definitions["timeframe"]["patternErrorMessage"]
    )


#: Where each id goes, and the definition (with its examples) it takes.
ID_FIELDS = {
    "policy": {
        ("organisation", "id"): "organisationId",
        ("role", "id"): "roleId",
        ("role", "deputy"): "roleId",
        ("responsibility", "duty"): "dutyId",
        ("responsibility", "role"): "roleId",
        ("escalation", "concern"): "concernId",
        ("handoff", "concern"): "concernId",
        ("handoff", "role"): "roleId",
        ("handoff", "from"): "sender",
        ("sharingAgreement", "with"): "organisationId",
        ("commitment", "theme"): "themeId",
        ("step", "to"): "roleRef",
        ("step", "out_of_hours"): "roleRef",
    },
    "partnership": {
        ("partnership", "id"): "slug",
        ("partnership", "members"): "organisationId",
        ("duty", "id"): "dutyId",
        ("concern", "id"): "concernId",
        ("concern", "must_reach"): "roleRef",
        ("theme", "id"): "themeId",
        ("waiver", "organisation"): "organisationId",
        ("waiver", "approved_by"): "organisationId",
    },
}


@pytest.mark.parametrize("kind", KINDS)
def test_each_id_field_offers_ids_of_its_own_kind(kind: str) -> None:
    schema = load(kind)
    definitions = schema["$defs"]
    for (owner, field), expected in ID_FIELDS[kind].items():
        node = definitions[owner]["properties"][field]
        assert definition_of(schema, node) == expected, (owner, field)
    if kind == "policy":
        assert definitions["roleId"]["examples"] == ["dsl", "ddsl"]
    # an organisation's id is offered only where an organisation goes
    for name, definition in definitions.items():
        if "st-marys-primary" in definition.get("examples", []):
            assert name in ("organisationId", "sender"), name
    for name in ("organisationId", "roleId", "dutyId", "concernId", "themeId"):
        if name in definitions:
            assert definitions[name]["title"].startswith(("a ", "an ")), name
            assert definitions[name]["examples"], name


# ---------------------------------------------------------------- validators


def without_editor_keywords(schema: dict[str, Any]) -> dict[str, Any]:
    stripped = copy.deepcopy(schema)
    for _, node in schema_objects(stripped):
        for keyword in EDITOR_KEYWORDS:
            node.pop(keyword, None)
    return stripped


def where(error: Any) -> list[str | int]:
    """An error's place in the document (jsonschema-rs and jsonschema name it differently)."""
    path = error.instance_path if hasattr(error, "instance_path") else error.absolute_path
    return list(path)


def documents(kind: str) -> list[Any]:
    """The starter file, and copies with a value of every kind broken."""
    text = starter_files(today=datetime.date(2026, 11, 24))[
        "partnership.yaml" if kind == "partnership" else "orgs/our-school.yaml"
    ]
    good = json.loads(json.dumps(yaml.safe_load(text), default=str))
    broken = [good]
    for old, new in (
        ("immediately", "2 dayz"),
        ("24 hours", 24),
        ("dsl", "Deputy DSL"),
        ("significant-harm", "Significant Harm"),
        ("education", "schools"),
        ("12 months", "a year"),
        ("our-school", "Our School"),
    ):
        changed = json.loads(json.dumps(good).replace(json.dumps(old), json.dumps(new)))
        if changed != good:
            broken.append(changed)
    return broken


@pytest.mark.parametrize("kind", KINDS)
def test_policycoords_validators_ignore_the_editor_keywords(kind: str) -> None:
    shipped, plain = load(kind), without_editor_keywords(load(kind))
    assert shipped != plain
    jsonschema_rs.meta.validate(shipped)
    jsonschema.Draft202012Validator.check_schema(shipped)
    for document in documents(kind):
        for make in (
            lambda s: jsonschema_rs.Draft202012Validator(s, validate_formats=True),
            jsonschema.Draft202012Validator,
        ):
            errors = [
                sorted((where(e), str(e.message)) for e in make(s).iter_errors(document))
                for s in (shipped, plain)
            ]
            assert errors[0] == errors[1]
    assert len(documents(kind)) > 4


# ---------------------------------------------------------------- a real editor

#: Where .ci/run installs yaml-language-server; `YAML_LANGUAGE_SERVER_MODULES` may name another.
MODULES = PROJECT_ROOT / ".cache/yaml-language-server/node_modules"
SCRIPT = Path(__file__).with_name("yaml_language_server.mjs")
INSTALL = (
    "npm install --prefix .cache/yaml-language-server --ignore-scripts "
    "yaml-language-server@2.0.0, as .ci/run does"
)
Editor = Callable[[list[dict[str, Any]]], list[Any]]


def missing(what: str) -> NoReturn:
    """Skip (or, under CI, fail) because `what` is not on this machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed: .ci/run should have installed it ({INSTALL})")
    pytest.skip(f"{what} is not installed ({INSTALL})")


@pytest.fixture(scope="module")
def editor() -> Editor:
    node = shutil.which("node")
    if node is None:
        missing("node (Node.js)")
    modules = Path(os.environ.get("YAML_LANGUAGE_SERVER_MODULES") or MODULES)
    if not (modules / "yaml-language-server" / "out" / "src" / "index.js").is_file():
        missing(f"the npm package yaml-language-server ({modules})")

    def ask(requests: list[dict[str, Any]]) -> list[Any]:
        done = subprocess.run(
            [node, str(SCRIPT), str(modules)],
            input=json.dumps(requests),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        answers: list[Any] = json.loads(done.stdout)
        return answers

    return ask


def write_repository(root: Path) -> Path:
    """What `policycoord init` writes, on disk (the schemas as its copies)."""
    for relative, text in starter_files(today=datetime.date(2026, 11, 24)).items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_repository(tmp_path_factory.mktemp("repository"))


POLICY = "orgs/our-school.yaml"
PARTNERSHIP = "partnership.yaml"

#: (file, text written, what is written instead, the definition whose message applies)
MISTAKES = [
    (POLICY, "    within: immediately\n", "    within: 2 dayz\n", "timeframe"),
    (POLICY, "        within: immediately\n", "        within: 24\n", "timeframe"),
    (POLICY, "  - id: ddsl\n", "  - id: Deputy DSL\n", "roleId"),
    (POLICY, "    role: dsl\n", "    role: DSL\n", "roleId"),
    (POLICY, "  - concern: significant-harm\n", "  - concern: Significant Harm\n", "concernId"),
    (POLICY, "      - to: dsl\n", "      - to: St Marys/DSL\n", "roleRef"),
    (POLICY, "  - theme: help-early\n", "  - theme: Help early\n", "themeId"),
    (POLICY, "    approved: 2026-11-24\n", "    approved: 24/11/2026\n", "date"),
    (PARTNERSHIP, "    max_total: 24 hours\n", "    max_total: a day\n", "timeframe"),
    (PARTNERSHIP, "    max_within: 1 working day\n", "    max_within: 1 workday\n", "timeframe"),
    (PARTNERSHIP, "  - id: significant-harm\n", "  - id: significant harm\n", "concernId"),
    (PARTNERSHIP, "  max_age: 12 months\n", "  max_age: a year\n", "maxAge"),
    (PARTNERSHIP, "  id: our-partnership\n", "  id: Our Partnership\n", "slug"),
]

#: (file, the text just before the value an editor completes, its definition)
COMPLETIONS = [
    (POLICY, "    role: ", "roleId"),
    (POLICY, "  - duty: ", "dutyId"),
    (POLICY, "  - concern: ", "concernId"),
    (POLICY, "  - theme: ", "themeId"),
    (POLICY, "  id: ", "organisationId"),
    (PARTNERSHIP, "duties:\n  - id: ", "dutyId"),
    (PARTNERSHIP, "concerns:\n  # ", "concernId"),
]


def schema_of(file: str) -> dict[str, Any]:
    return load("partnership" if file == PARTNERSHIP else "policy")


def test_the_files_init_writes_are_checked_against_their_own_copy(
    editor: Editor, repository: Path
) -> None:
    """The relative modeline finds the schema: the starter files pass, and
    the same files with a field the schema does not know do not."""
    requests = []
    for relative in (POLICY, PARTNERSHIP):
        text = (repository / relative).read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=")
        requests.append({"file": str(repository / relative), "text": text, "ask": "validate"})
        broken = text.replace("policycoord: 1\n", "policycoord: 1\nunknown_field: 1\n")
        requests.append({"file": str(repository / relative), "text": broken, "ask": "validate"})
    answers = editor(requests)
    assert answers[0] == [] and answers[2] == []
    for answer, relative in ((answers[1], POLICY), (answers[3], PARTNERSHIP)):
        text = (repository / relative).read_text(encoding="utf-8")
        line = text[: text.index("policycoord: 1\n")].count("\n") + 2
        title = schema_of(relative)["title"]
        assert answer == [
            {
                "line": line,
                "message": "Property unknown_field is not allowed.",
                "source": f"yaml-schema: {title}",
            }
        ], answer


@pytest.fixture(scope="module")
def said_of_mistakes(editor: Editor, repository: Path) -> list[Any]:
    """What the editor says of each of MISTAKES (one run of the server)."""
    requests = []
    for file, old, new, _ in MISTAKES:
        text = (repository / file).read_text(encoding="utf-8")
        assert old in text, old
        requests.append(
            {"file": str(repository / file), "text": text.replace(old, new, 1), "ask": "validate"}
        )
    return editor(requests)


@pytest.mark.parametrize("index", range(len(MISTAKES)), ids=lambda i: MISTAKES[i][2].strip())
def test_timeframes_and_ids_get_a_sentence_saying_what_to_write(
    said_of_mistakes: list[Any], repository: Path, index: int
) -> None:
    file, old, _, definition = MISTAKES[index]
    text = (repository / file).read_text(encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    schema = schema_of(file)["$defs"][definition]
    assert said_of_mistakes[index] == [
        {
            "line": line,
            "message": schema["patternErrorMessage"],
            "source": f"yaml-schema: {schema['title']}",
        }
    ]


@pytest.fixture(scope="module")
def offered(editor: Editor, repository: Path) -> list[Any]:
    """What the editor offers at each of COMPLETIONS, the value left out."""
    requests = []
    for file, before, _ in COMPLETIONS:
        text = (repository / file).read_text(encoding="utf-8")
        start = text.index(before) + len(before)
        if before.endswith("# "):  # a new item above the list's comment
            text = text[:start] + "\n  - id: \n  # " + text[start:]
            start += len("\n  - id: ")
        else:
            text = text[:start] + text[text.index("\n", start) :]
        requests.append(
            {"file": str(repository / file), "text": text, "ask": "complete", "offset": start}
        )
    return editor(requests)


@pytest.mark.parametrize("index", range(len(COMPLETIONS)), ids=lambda i: COMPLETIONS[i][2])
def test_completion_offers_ids_of_the_kind_that_goes_there(offered: list[Any], index: int) -> None:
    file, _, definition = COMPLETIONS[index]
    assert offered[index] == schema_of(file)["$defs"][definition]["examples"]


def test_hover_shows_markdown_not_backticks_as_text(editor: Editor, repository: Path) -> None:
    text = (repository / POLICY).read_text(encoding="utf-8")
    hovers = editor(
        [
            {"file": str(repository / POLICY), "text": text, "ask": "hover", "offset": offset}
            for offset in (
                text.index("raci: accountable") + len("raci: ") + 2,
                text.index("    role: dsl") + len("    role: ") + 1,
                text.index("within: immediately") + len("within: ") + 2,
            )
        ]
    )
    for hover in hovers:
        assert hover and "\\`" not in hover, hover
        assert hover.startswith("#### "), hover
        assert "`" not in hover.splitlines()[0], hover
    assert "`accountable`" in hovers[0]
    assert hovers[1].startswith("#### a role id such as dsl\n")
    assert "st-marys-primary" not in hovers[1]
    assert hovers[2].startswith("#### a timeframe such as immediately")
