"""`policycoord validate FILE...` without the command line (quick.py): the
same output, errors and exit status as the `validate` command, byte for
byte, whichever way it is run; and the command line takes over for
anything else."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, clean_env

from policycoord.cli import quick

#: `validate` through the command line (typer), never the quick path.
FULL = "import sys; from policycoord.cli.app import main; main(sys.argv[1:])"
#: The console script's way in, with the command line unloadable: a run
#: that leaves the quick path fails loudly.
QUICK = (
    "import sys; sys.modules['typer'] = None; from policycoord.__main__ import main; "
    "sys.argv[0] = 'policycoord'; main()"
)

BROKEN = {
    "dup.yaml": "policycoord: 1\norganisation:\n  id: a\n  id: b\n",
    "bad.yaml": "policycoord: 1\norganisation: [\n",
    "odd.yaml": "policycoord: 1\norganisation: {id: café, name: Café «x», sector: spaceship}\n",
}


@pytest.fixture
def files(tmp_path: Path) -> Path:
    for name, text in BROKEN.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def both(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, *, quick_only: bool = True
) -> list[object]:
    """(exit status, stdout, stderr) of the quick path and of the command line."""
    environment = clean_env(env)
    if "NO_COLOR" not in (env or {}):  # clean_env sets it; these tests say when they want it
        del environment["NO_COLOR"]
    runs = []
    way_in = [sys.executable, "-c", QUICK] if quick_only else [sys.executable, "-m", "policycoord"]
    for command in (way_in, [sys.executable, "-c", FULL]):
        done = subprocess.run(
            [*command, *args], cwd=cwd, env=environment, capture_output=True, timeout=120
        )
        runs.append((done.returncode, done.stdout, done.stderr))
    return runs


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "dup.yaml"],
        ["validate", "dup.yaml", "bad.yaml", "odd.yaml"],
        ["validate", "."],
        ["validate", str(EXAMPLES / "orgs" / "riverside-fc.yaml")],
    ],
    ids=["one", "several", "folder", "clean"],
)
def test_the_quick_path_prints_what_the_command_prints(files: Path, args: list[str]) -> None:
    quick_run, full_run = both(args, files)
    assert quick_run == full_run


def test_a_missing_file_is_left_to_the_command_line(files: Path) -> None:
    quick_run, full_run = both(["validate", "missing.yaml"], files, quick_only=False)
    assert quick_run == full_run
    assert full_run[0] == 2 and b"missing.yaml does not exist" in full_run[2]


@pytest.mark.parametrize(
    "env",
    [{"FORCE_COLOR": "1"}, {"PYTHONIOENCODING": "ascii"}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}],
    ids=["colour", "ascii-output", "no-colour-wins"],
)
def test_colour_and_encodings_as_the_command(files: Path, env: dict[str, str]) -> None:
    quick_run, full_run = both(["validate", "odd.yaml", "dup.yaml"], files, env)
    assert quick_run == full_run


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")
def test_on_a_terminal_as_the_command(files: Path) -> None:
    outputs = []
    for command in ([sys.executable, "-c", QUICK], [sys.executable, "-c", FULL]):
        leader, follower = pty.openpty()
        env = clean_env({"COLUMNS": "90"})
        del env["NO_COLOR"]
        process = subprocess.Popen(
            [*command, "validate", "odd.yaml"], cwd=files, env=env, stdout=follower
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        outputs.append((process.wait(timeout=120), b"".join(chunks)))
    assert outputs[0] == outputs[1]
    assert b"\x1b[" in outputs[0][1]  # coloured, as a terminal is


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["validate"],
        ["validate", "-q", "dup.yaml"],
        ["validate", "dup.yaml", "--format", "json"],
        ["check", "dup.yaml"],
    ],
)
def test_anything_else_is_the_command_lines(args: list[str]) -> None:
    assert quick.validate_files_only(args) is None


def test_github_actions_is_the_command_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert quick.validate_files_only(["validate", "dup.yaml"]) is None


def test_the_quick_path_does_not_load_the_command_line(files: Path) -> None:
    probe = (
        "import sys; from policycoord.cli.quick import validate_files_only; "
        "status = validate_files_only(['validate', 'dup.yaml']); "
        "print(status, 'typer' in sys.modules, 'policycoord.cli.app' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=files, env=clean_env(), capture_output=True, text=True
    )
    assert done.stdout.strip().splitlines()[-1] == "1 False False"
