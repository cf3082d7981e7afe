"""The pre-commit config `policycoord init` writes, run by pre-commit itself:
the hooks install from policycoord's own repository (here a copy of this
working tree, committed to a temporary git repository, at that commit),
run on the policy files and nothing else, pass on the starter repository
and fail on a policy file with a mistake.

pre-commit builds a virtual environment and installs policycoord into it
with pip (its dependencies from the package index), about half a minute.
Skipped without pre-commit or git, except under CI (`CI` set), where the
`test` extra installs pre-commit.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest
from conftest import PROJECT_ROOT

from policycoord.core.about import RELEASE_TAG, REPOSITORY_URL
from policycoord.workflows.init import PRE_COMMIT_FILE, starter_files

#: What pip needs to install policycoord from its repository, and the hooks' manifest.
PROJECT_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src")


def missing(what: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed: the test extra (or .ci/run) should install it")
    pytest.skip(f"{what} is not installed (pip install pre-commit)")


def git(cwd: Path, *arguments: str) -> str:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(cwd),
    }
    done = subprocess.run(
        ["git", *arguments], cwd=cwd, env=environment, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def pre_commit(cwd: Path, home: Path) -> tuple[int, str]:
    environment = {**os.environ, "PRE_COMMIT_HOME": str(home), "HOME": str(home)}
    environment.pop("NO_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def results(output: str) -> list[tuple[str, str]]:
    """Each hook's line: ("validate", "Passed")..."""
    return re.findall(r"^policycoord (\w+)\.+(Passed|Failed)$", output, re.MULTILINE)


def test_the_hooks_run_on_policy_files_only_and_work_at_once(tmp_path: Path) -> None:
    try:
        import pre_commit as _  # noqa: F401
    except ImportError:
        missing("pre-commit")
    if shutil.which("git") is None:
        missing("git")

    hooks = tmp_path / "policycoord"
    for name in PROJECT_FILES:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, hooks / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            hooks.mkdir(exist_ok=True)
            shutil.copy2(source, hooks / name)
    git(hooks, "init", "-q", "-b", "main")
    git(hooks, "add", ".")
    git(hooks, "commit", "-q", "-m", "policycoord")
    commit = git(hooks, "rev-parse", "HEAD")

    repository = tmp_path / "partnership"
    for relative, text in starter_files(today=datetime.date.today()).items():
        target = repository / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative == PRE_COMMIT_FILE:  # this working tree stands in for the release
            assert text.count(f"repo: {REPOSITORY_URL}\n") == 1
            assert text.count(f"rev: {RELEASE_TAG}\n") == 1
            text = text.replace(REPOSITORY_URL, str(hooks)).replace(RELEASE_TAG, commit)
        target.write_text(text, encoding="utf-8")
    # YAML that is not a policy: `validate` would report it if it were given it
    (repository / "mkdocs.yml").write_text("site_name: Our partnership\n", encoding="utf-8")
    (repository / "orgs" / "archive").mkdir()
    (repository / "orgs" / "archive" / "old.yaml").write_text("not: a policy\n", "utf-8")
    git(repository, "init", "-q", "-b", "main")
    git(repository, "add", ".")

    home = tmp_path / "pre-commit-home"
    code, output = pre_commit(repository, home)
    assert code == 0, output
    assert results(output) == [("validate", "Passed"), ("check", "Passed")], output

    policy = repository / "orgs" / "our-school.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("within: immediately", "within: 2 dayz", 1),
        encoding="utf-8",
    )
    git(repository, "add", ".")
    code, output = pre_commit(repository, home)
    assert code == 1, output
    assert results(output) == [("validate", "Failed"), ("check", "Failed")], output
    assert "PC003" in output and "orgs/our-school.yaml" in output
    assert "mkdocs.yml" not in output and "old.yaml" not in output
