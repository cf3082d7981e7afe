"""Exit statuses per SPEC §4 whatever the state of the process around the
run: standard output or error closed, a dumb terminal, a hang-up, Ctrl-C
in the first milliseconds, a temporary folder that cannot take the files.
Each runs `python -m policycoord` as a user would."""

from __future__ import annotations

import os
import pty
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import TODAY, clean_env, make_repo, partnership, policy

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _repository(root: Path) -> Path:
    return make_repo(
        root,
        {"partnership.yaml": partnership(members=["school"]), "orgs/school.yaml": policy("school")},
    )


def _start(
    *arguments: str, cwd: Path, close: int | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    def closed() -> None:
        if close is not None:
            os.close(close)

    return subprocess.run(
        [sys.executable, "-m", "policycoord", *arguments],
        cwd=cwd,
        env=clean_env(env),
        stdout=subprocess.PIPE if close != 1 else None,
        stderr=subprocess.PIPE if close != 2 else None,
        preexec_fn=closed,
        text=True,
        timeout=60,
        check=False,
    )


def test_closed_standard_output_is_exit_2_with_a_reason(tmp_path: Path) -> None:
    repo = _repository(tmp_path / "repo")
    done = _start("check", "--today", TODAY, cwd=repo, close=1)
    assert done.returncode == 2
    assert "standard output is closed" in done.stderr
    assert "internal error" not in done.stderr
    done = _start("check", "--today", TODAY, "-o", "report.json", cwd=repo, close=1)
    assert done.returncode == 0, done.stderr
    assert (repo / "report.json").read_text(encoding="utf-8").startswith("{")


def test_closed_standard_error_keeps_the_exit_status_and_the_report(tmp_path: Path) -> None:
    repo = _repository(tmp_path / "repo")
    done = _start("check", "--today", TODAY, "-o", "report.json", cwd=repo, close=2)
    assert done.returncode == 0
    assert (repo / "report.json").is_file()
    done = _start("check", "--today", "not-a-date", cwd=repo, close=2)
    assert done.returncode == 2


@needs_git
def test_closed_standard_error_and_a_bad_revision_is_exit_2_not_1(tmp_path: Path) -> None:
    from workflows.gitrepos import commit_all, git

    repo = _repository(tmp_path / "repo")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "The partnership")
    done = _start("diff", "--base", "no-such-branch", cwd=repo, close=2)
    assert done.returncode == 2


@pytest.mark.parametrize(("term", "coloured"), [("dumb", False), ("xterm-256color", True)])
def test_a_dumb_terminal_gets_no_colour(tmp_path: Path, term: str, coloured: bool) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"partnership.yaml": partnership(members=["school"]), "orgs/other.yaml": policy("other")},
    )
    main, child = pty.openpty()
    env = clean_env({"TERM": term})
    del env["NO_COLOR"]
    process = subprocess.Popen(
        [sys.executable, "-m", "policycoord", "check", "--today", TODAY],
        cwd=repo,
        env=env,
        stdout=child,
        stderr=subprocess.PIPE,
    )
    os.close(child)
    output = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(main)
    assert process.returncode == 1  # the member's file is missing: PC006
    assert b"PC006" in output
    assert (b"\x1b[" in output) is coloured


@needs_git
def test_sighup_ends_the_run_cleanly_with_129(tmp_path: Path) -> None:
    from workflows.gitrepos import commit_all, git

    repo = _repository(tmp_path / "repo")
    git(repo, "init", "-q", "-b", "main")
    for number in range(40):
        make_repo(repo, {"orgs/school.yaml": policy("school", f"School {number}")})
        commit_all(repo, f"Rename {number}")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "policycoord", "history", "--max", "40", "-o", "history.json"],
        cwd=repo,
        env=clean_env({"TMPDIR": str(temporary)}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not any(temporary.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.005)  # until it is reading commits
    process.send_signal(signal.SIGHUP)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 129, err
    assert "hung up" in err and "Traceback" not in err
    assert list(temporary.iterdir()) == []  # its temporary folders are gone
    assert not (repo / "history.json").exists()


#: where a Ctrl-C may still be Python's own: the lines that put the guard in place
_BEFORE_THE_GUARD = ("policycoord/__init__.py", "policycoord/core/__init__.py", "interrupts.py")

#: `python -m policycoord ARGS`, with SIGNAL sent to itself as the N-th
#: module is about to be imported once policycoord's guard is in place
#: (after `policycoord.core.interrupts`): every moment of loading the
#: command line, the package, the rules, typer and rich, reached exactly
_AT_AN_IMPORT = """
import os, runpy, sys

signal_number, nth = int(sys.argv[1]), int(sys.argv[2])
seen = 0


class Trigger:
    def find_spec(self, name, path=None, target=None):
        global seen
        if "policycoord.core.interrupts" in sys.modules and name != "_signal":
            seen += 1
            if seen == nth:
                sys.stderr.write(f"[at import {nth}: {name}]\\n")
                os.kill(os.getpid(), signal_number)
        return None


sys.meta_path.insert(0, Trigger())
sys.argv = ["-m", *sys.argv[3:]]
runpy.run_module("policycoord", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize(
    ("signum", "status", "said"),
    [
        (signal.SIGINT, 130, "policycoord: interrupted.\n"),
        (signal.SIGHUP, 129, "policycoord: stopped (the terminal hung up).\n"),
    ],
    ids=["ctrl-c", "hang-up"],
)
def test_a_signal_as_any_module_loads_is_one_line_and_its_status(
    tmp_path: Path, signum: int, status: int, said: str
) -> None:
    repo = _repository(tmp_path / "repo")
    harness = tmp_path / "at_an_import.py"
    harness.write_text(_AT_AN_IMPORT, encoding="utf-8")
    fired = 0
    for nth in (1, 2, 3, 4, 5, 6, 8, 12, 20, 35, 60, 100, 150, 220, 300, 380):
        done = subprocess.run(
            [sys.executable, str(harness), str(int(signum)), str(nth), "check", "--today", TODAY],
            cwd=repo,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if "[at import" not in done.stderr:  # the run was over before that many imports
            assert done.returncode == 0, done.stderr
            continue
        fired += 1
        assert "Traceback" not in done.stderr, (nth, done.stderr)
        assert done.returncode == status, (nth, done.stderr)
        assert done.stderr.endswith(said), (nth, done.stderr)
    assert fired >= 12


def _entry_points() -> list[list[str]]:
    """`python -m policycoord`, and the `policycoord` script beside this
    Python (as pip writes it), when it is there."""
    script = Path(sys.executable).parent / "policycoord"
    return [[sys.executable, "-m", "policycoord"], *([[str(script)]] if script.exists() else [])]


@pytest.mark.parametrize("entry", _entry_points(), ids=lambda e: Path(e[-1]).name)
def test_ctrl_c_in_the_first_milliseconds_never_shows_policycoords_traceback(
    tmp_path: Path, entry: list[str]
) -> None:
    """A real start, interrupted after 0 to 57 ms. From the moment
    policycoord's package puts its guard in place (its first lines), Ctrl-C
    is one line and status 130 (the test above reaches each of those
    moments exactly). Before that is Python's own start (the interpreter,
    site, runpy, the script's `import re`), which no package can reach:
    there the process ends by the signal, or Python answers, and no frame
    of policycoord's past the guard's own lines is in what it prints."""
    repo = _repository(tmp_path / "repo")
    for delay in [n / 1000 for n in (0, 5, 20, 50, *range(1, 60, 4))]:
        process = subprocess.Popen(
            [*entry, "check", "--today", TODAY],
            cwd=repo,
            env=clean_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        # the package's frames (the script's own `from policycoord... import` is Python's start)
        frames = re.findall(r'File "([^"]*/policycoord/[^"]*)"', err)
        assert all(frame.endswith(_BEFORE_THE_GUARD) for frame in frames), (delay, err)
        if "Traceback" not in err and process.returncode not in (0, -signal.SIGINT):
            assert process.returncode == 130, (delay, err)
            assert err.endswith("policycoord: interrupted.\n"), (delay, err)


@needs_git
def test_a_temporary_folder_that_cannot_take_the_files_is_named(tmp_path: Path) -> None:
    from workflows.gitrepos import commit_all, git

    repo = _repository(tmp_path / "repo")
    make_repo(repo, {"orgs/big.yaml": policy("big", extra="summary: " + "x" * 20000 + "\n")})
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "The partnership")
    temporary = tmp_path / "tmp"
    temporary.mkdir()

    def small_files() -> None:  # a file system nearly full: no file past 4 KB
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = subprocess.run(
        [sys.executable, "-m", "policycoord", "diff", "--base", "HEAD", "--head", "HEAD"],
        cwd=repo,
        env=clean_env({"TMPDIR": str(temporary)}),
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stdout
    assert "temporary folder" in done.stderr
    assert str(temporary) in done.stderr
    assert "TMPDIR" in done.stderr
    assert list(temporary.iterdir()) == []
