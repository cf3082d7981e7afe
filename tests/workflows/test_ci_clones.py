"""The gate in the clones CI makes: `diff --base main` in a one-commit
clone of a pull request (actions/checkout's default), with `fetch-depth: 0`,
and in a GitLab merge request's 20-commit clone of its own branch. The
README's and the guide's CI snippets are run as written, on clones made as
those runners make them; the advice printed for a missing base works when
pasted."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT_ROOT, make_repo, policy

from workflows.gitrepos import commit_all, git, git_env, policycoord, unchanged_repository

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

TODAY = "2026-11-24"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`main` (22 commits), and a branch `feature` whose change adds an error (PC004)."""
    root = unchanged_repository(tmp_path_factory.mktemp("forge") / "policies")
    for number in range(20):  # more history than GitLab's 20 commits
        git(root, "commit", "-q", "--allow-empty", "-m", f"Board minutes {number}")
    git(root, "checkout", "-q", "-b", "feature")
    make_repo(root, {"orgs/copy.yaml": policy("school-0")})
    commit_all(root, "A copy of school 0")
    git(root, "checkout", "-q", "main")
    return root


def _feature(source: Path) -> str:
    return git(source, "rev-parse", "feature").strip()


def github_checkout(source: Path, clone: Path, *, fetch_depth: int) -> Path:
    """What actions/checkout does for a pull request (the merge ref here is
    the branch's head)."""
    clone.mkdir()
    git(clone, "init", "-q")
    git(clone, "remote", "add", "origin", f"file://{source}")
    if fetch_depth == 0:
        git(
            clone,
            "fetch",
            "-q",
            "--prune",
            "--no-recurse-submodules",
            "origin",
            "+refs/heads/*:refs/remotes/origin/*",
            "+refs/tags/*:refs/tags/*",
        )
    depth = [] if fetch_depth == 0 else [f"--depth={fetch_depth}"]
    git(
        clone,
        "fetch",
        "-q",
        "--no-tags",
        "--prune",
        *depth,
        "origin",
        f"+{_feature(source)}:refs/remotes/pull/1/merge",
    )
    git(clone, "checkout", "-q", "--detach", "refs/remotes/pull/1/merge")
    return clone


def gitlab_checkout(source: Path, clone: Path) -> Path:
    """What GitLab's runner does for a merge request pipeline (GIT_DEPTH 20)."""
    clone.mkdir()
    git(clone, "init", "-q")
    git(clone, "remote", "add", "origin", f"file://{source}")
    git(
        clone,
        "fetch",
        "-q",
        "origin",
        "--prune",
        "--depth",
        "20",
        "+refs/heads/feature:refs/remotes/origin/feature",
    )
    git(clone, "checkout", "-f", "-q", _feature(source))
    return clone


def _shim(folder: Path) -> Path:
    """A `policycoord` command on PATH: this checkout's, run by this Python."""
    folder.mkdir(exist_ok=True)
    shim = folder / "policycoord"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m policycoord "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return folder


def run_script(lines: list[str], cwd: Path, env: dict[str, str]) -> list[int]:
    """Each line as a CI runner runs it (pip installs left out: this
    checkout's policycoord is on PATH)."""
    environment = {
        **git_env(cwd.parent),
        **env,
        "PATH": f"{_shim(cwd.parent / 'bin')}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        "NO_COLOR": "1",
    }
    statuses = []
    for line in lines:
        if line.startswith("pip install"):
            continue
        done = subprocess.run(
            ["bash", "-c", line], cwd=cwd, env=environment, capture_output=True, text=True
        )
        assert "Traceback" not in done.stderr, done.stderr
        statuses.append(done.returncode)
        if done.returncode == 2:
            pytest.fail(f"{line} could not run:\n{done.stderr}")
    return statuses


def _readme_github_steps() -> list[dict[str, object]]:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL) if "diff" in b]
    steps = yaml.safe_load(blocks[0].replace("      - ", "- ", 1).replace("\n      ", "\n"))
    assert isinstance(steps, list)
    return steps


def _github_run(steps: list[dict[str, object]], clone: Path, base: str) -> list[int]:
    statuses = []
    for step in steps:
        if "run" not in step:
            continue
        env = {
            name: str(value).replace("${{ github.base_ref }}", base)
            for name, value in dict(step.get("env") or {}).items()  # type: ignore[call-overload]
        }
        statuses += run_script([str(step["run"])], clone, env)
    return statuses


def _guide_file(name: str) -> str:
    guide = (PROJECT_ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    found = re.search(rf"```yaml file={re.escape(name)}\n(.*?)```", guide, re.DOTALL)
    assert found, name
    return found.group(1)


def test_the_readmes_github_snippet_gates_a_pull_request(source: Path, tmp_path: Path) -> None:
    steps = _readme_github_steps()
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@"))
    depth = int(dict(checkout["with"])["fetch-depth"])  # type: ignore[call-overload]
    clone = github_checkout(source, tmp_path / "clone", fetch_depth=depth)
    assert _github_run(steps, clone, "main") == [1]  # the change adds an error
    report = (clone / "diff.md").read_text(encoding="utf-8")
    assert "origin/main" in report and "PC004" in report


def test_the_guides_github_workflow_gates_a_pull_request(source: Path, tmp_path: Path) -> None:
    workflow = yaml.safe_load(_guide_file(".github/workflows/policycoord-diff.yml"))
    steps = workflow["jobs"]["diff"]["steps"]
    depth = int(steps[0]["with"]["fetch-depth"])
    clone = github_checkout(source, tmp_path / "clone", fetch_depth=depth)
    assert _github_run(steps, clone, "main") == [1]


def test_the_guides_gitlab_job_gates_a_merge_request(source: Path, tmp_path: Path) -> None:
    job = yaml.safe_load(_guide_file(".gitlab-ci.yml"))["policycoord-diff"]
    assert job["variables"]["GIT_DEPTH"] == "20"
    clone = gitlab_checkout(source, tmp_path / "clone")
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    env = {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}
    assert run_script(job["script"], clone, env) == [0, 1]  # the fetch, then the gate


def test_the_readmes_gitlab_job_is_the_guides() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert _guide_file(".gitlab-ci.yml").split("script:")[1] in readme


def test_in_a_one_commit_clone_the_advice_for_the_base_works_when_pasted(
    source: Path, tmp_path: Path
) -> None:
    clone = github_checkout(source, tmp_path / "clone", fetch_depth=1)
    done = policycoord("diff", "--base", "main", "--today", TODAY, cwd=clone)
    assert done.returncode == 2
    assert "shallow clone" in done.stderr
    advice = re.search(r"Fetch it first: `([^`]+)`", done.stderr)
    assert advice, done.stderr
    subprocess.run(
        ["sh", "-c", advice.group(1)], cwd=clone, env=git_env(tmp_path), check=True, timeout=60
    )
    done = policycoord("diff", "--base", "main", "--today", TODAY, cwd=clone)
    assert done.returncode == 1, done.stderr
    assert "Comparing origin/main" in done.stdout
    assert "PC004" in done.stdout


def test_with_fetch_depth_0_main_is_found_as_origin_main(source: Path, tmp_path: Path) -> None:
    clone = github_checkout(source, tmp_path / "clone", fetch_depth=0)
    assert "main" not in git(clone, "branch", "--list")
    done = policycoord("diff", "--base", "main", "--today", TODAY, "-f", "json", cwd=clone)
    assert done.returncode == 1, done.stderr
    assert '"revision": "origin/main"' in done.stdout


def test_history_with_tags_in_a_shallow_clone_says_it_is_shallow(
    source: Path, tmp_path: Path
) -> None:
    clone = github_checkout(source, tmp_path / "clone", fetch_depth=1)
    done = policycoord("history", "--tags", cwd=clone)
    assert done.returncode == 0, done.stderr
    assert "shallow clone" in done.stdout
    assert "--unshallow" in done.stdout
