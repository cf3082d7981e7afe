"""Shared fixtures: small policy repositories written into tmp_path, and two
ways to run the command line.

- `make_repo(root, files)` writes `{relative path: text}` below `root` and
  returns `root`; the texts are dedented, so tests can write them indented.
- `run_cli(*args, cwd=..., env=...)` runs `python -m policycoord` in a
  subprocess (NO_COLOR=1 unless the test sets colour variables itself) and
  returns `(exit status, stdout, stderr)`. It costs about 0.3 s: use it for the
  end-to-end tests only.
- the `cli` fixture calls `policycoord.cli.app.main([...])` in-process, in a
  given folder, and returns `(exit status, stdout, stderr)` from capsys.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from hypothesis import settings as _hypothesis_settings

#: In CI (`CI` set, as GitHub, GitLab and .ci/run set it) hypothesis draws
#: the same examples on every run, so that a gate passes or fails on the
#: code alone; on a developer's machine it draws new ones each run (which
#: is how tests/checks/test_incremental.py found the empty-steps walk).
_hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")

TESTS = Path(__file__).resolve().parent
PROJECT_ROOT = TESTS.parent
#: the golden files of every report format (update with POLICYCOORD_UPDATE_GOLDEN=1)
GOLDEN = TESTS / "output" / "reporters" / "golden"
#: the rule cases (tests/checks/rules/cases/PCnnn.yaml)
CASES = TESTS / "checks" / "rules" / "cases"
#: the blind acceptance partnerships
ACCEPTANCE = TESTS / "acceptance"
#: ../shared beside the project (absent in a user's clone)
SHARED = PROJECT_ROOT.parent / "shared"
EXAMPLES = PROJECT_ROOT / "examples" / "policies"
TODAY = "2026-11-24"

# Environment variables that change how policycoord renders; removed from
# every run so that a developer's or CI's settings cannot change the results.
_RENDER_ENV = ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "COLUMNS")

Files = Mapping[str, str | bytes]


def make_repo(root: Path, files: Files) -> Path:
    """Write `files` (relative path -> text or bytes) below `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content), encoding="utf-8", newline="\n")
    return root


def policy(org_id: str, name: str | None = None, sector: str = "education", extra: str = "") -> str:
    """The text of a small valid organisation policy file."""
    text = (
        "policycoord: 1\n"
        "organisation:\n"
        f"  id: {org_id}\n"
        f"  name: {name or org_id.title()}\n"
        f"  sector: {sector}\n"
    )
    return text + textwrap.dedent(extra)


def partnership(
    members: list[str] | None = None, policies: list[str] | None = None, extra: str = ""
) -> str:
    """The text of a small partnership file with duties, concerns and a glossary
    (so that PC008 does not fire) and the members given. The duty and the
    concern apply to housing only, which no test organisation is, so that
    later cross-checks have nothing to say about a repository of `policy()`
    files."""
    text = "policycoord: 1\npartnership:\n  id: north\n  name: North Partnership\n"
    if members is not None:
        text += f"  members: [{', '.join(members)}]\n"
    if policies is not None:
        text += "  policies:\n" + "".join(f"    - {json.dumps(p)}\n" for p in policies)
    text += textwrap.dedent(
        """\
        duties:
          - id: train-staff
            title: Train staff in safeguarding
            scope: each-member
            applies_to: [housing]
        concerns:
          - id: significant-harm
            title: A child is suffering significant harm
            applies_to: [housing]
        glossary:
          - term: MASH
            meaning: Multi-Agency Safeguarding Hub
        """
    )
    return text + textwrap.dedent(extra)


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _RENDER_ENV}
    env["NO_COLOR"] = "1"
    env.update(extra or {})
    return env


def run_cli(
    *args: str | os.PathLike[str],
    cwd: Path | str,
    env: Mapping[str, str] | None = None,
    no_color: bool = True,
) -> tuple[int, str, str]:
    """Run `python -m policycoord ARGS` in `cwd`; (exit status, stdout, stderr)."""
    environment = clean_env(env)
    if not no_color:
        del environment["NO_COLOR"]
    completed = subprocess.run(
        [sys.executable, "-m", "policycoord", *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    return completed.returncode, completed.stdout, completed.stderr


def invoke(*arguments: str, cwd: Path) -> tuple[int, str]:
    """`policycoord ARGUMENTS` in this process, in `cwd`, through typer's test
    runner (cli.main is not in the way: exceptions propagate); (exit status,
    output)."""
    from typer.testing import CliRunner as TyperRunner

    from policycoord.cli.app import app

    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = TyperRunner().invoke(app, list(arguments), catch_exceptions=False)
    finally:
        os.chdir(previous)
    return result.exit_code, result.output


CliRunner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[CliRunner]:
    """`cli("check", ..., cwd=folder)` runs `policycoord.cli.app.main` in-process."""
    from policycoord.cli.app import main

    for name in _RENDER_ENV:
        monkeypatch.delenv(name, raising=False)

    def run(*args: str | os.PathLike[str], cwd: Path | None = None) -> tuple[int, str, str]:
        capsys.readouterr()  # drop anything printed before
        with monkeypatch.context() as patch:
            patch.chdir(cwd or tmp_path)
            with pytest.raises(SystemExit) as exit_:
                main([str(a) for a in args])
        out, err = capsys.readouterr()
        code = exit_.value.code
        assert isinstance(code, int), f"exit code {code!r} is not an int"
        return code, out, err

    yield run
