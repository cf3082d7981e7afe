"""`diff` and `history` under an ISO-8859-1 locale (a Western European
desktop of old, or a server set up long ago), with a committed file whose
name and text are not ASCII, and text that Latin-1 cannot hold at all
(Ł, an em dash, a tick): the exit statuses of SPEC §4, no internal error,
and what the terminal cannot show written escaped (`\\u0141`), never a
raw control byte.

glibc reads a locale compiled into a folder named by `LOCPATH`, so the
locale is made with `localedef` when none is installed; without
`localedef`, Python is told the encoding itself (`PYTHONIOENCODING`)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_repo, policy

from workflows.gitrepos import TODAY, commit_all, policycoord, unchanged_repository

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NAME = "orgs/école-łódź.yaml"
TITLE = "École Łódź — ✓"


def _installed() -> str | None:
    listing = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    for name in listing.stdout.split():
        if re.search(r"\.(iso88591|ISO-8859-1)$", name, re.IGNORECASE):
            return name
    return None


@pytest.fixture(scope="module")
def latin1(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a run in an ISO-8859-1 locale."""
    env = {"PYTHONUTF8": "0", "PYTHONIOENCODING": "", "LANG": "", "LC_CTYPE": ""}
    installed = _installed()
    if installed is not None:
        env["LC_ALL"] = installed
    elif shutil.which("localedef") is not None:
        folder = tmp_path_factory.mktemp("locales")
        subprocess.run(
            ["localedef", "-i", "fr_FR", "-f", "ISO-8859-1", str(folder / "fr_FR.ISO-8859-1")],
            capture_output=True,
            check=False,  # it warns (exit 1) yet writes the locale
        )
        env.update({"LOCPATH": str(folder), "LC_ALL": "fr_FR.ISO-8859-1"})
    else:
        env.update({"LC_ALL": "C", "PYTHONIOENCODING": "latin-1"})
    probe = subprocess.run(
        [sys.executable, "-c", "import sys; print(sys.stdout.encoding)"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip().replace("-", "").lower() in ("iso88591", "latin1"), env
    return env


def _repository(root: Path) -> Path:
    repo = unchanged_repository(root)
    make_repo(repo, {NAME: policy("ecole", TITLE)})
    commit_all(repo, f"Add {TITLE}")
    return repo


def _shown(raw: bytes) -> str:
    """What an ISO-8859-1 terminal shows, with no raw C1 control byte
    (0x80-0x9f: Latin-1 has no character there, and a terminal may obey one)."""
    assert re.search(rb"[\x80-\x9f]", raw) is None, raw
    return raw.decode("latin-1")


def test_diff_in_a_latin1_locale(tmp_path: Path, latin1: dict[str, str]) -> None:
    repo = _repository(tmp_path / "policies")
    done = policycoord(
        "diff", "--base", "HEAD~1", "--today", TODAY, cwd=repo, env=latin1, text_mode=False
    )
    shown, errors = _shown(done.stdout), _shown(done.stderr)
    assert done.returncode == 0, errors  # PC007 is a warning: below the fail level
    assert "internal error" not in errors and "Traceback" not in errors
    assert "PC007" in shown
    assert "École \\u0141ódź".replace("ź", "\\u017a") in shown  # É and ó shown, Ł and ź escaped
    assert "\\u2014 \\u2713" in shown
    assert ".yaml" in shown and "orgs/" in shown


def test_diff_json_in_a_latin1_locale_is_utf8(tmp_path: Path, latin1: dict[str, str]) -> None:
    repo = _repository(tmp_path / "policies")
    done = policycoord(
        "diff",
        "--base",
        "HEAD~1",
        "--today",
        TODAY,
        "-f",
        "json",
        cwd=repo,
        env=latin1,
        text_mode=False,
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout.decode("utf-8"))  # JSON says it is UTF-8: whole
    assert TITLE in json.dumps(document, ensure_ascii=False)


def test_diff_with_a_bad_revision_in_a_latin1_locale_is_exit_2(
    tmp_path: Path, latin1: dict[str, str]
) -> None:
    repo = _repository(tmp_path / "policies")
    done = policycoord("diff", "--base", "Łódź", cwd=repo, env=latin1, text_mode=False)
    errors = _shown(done.stderr)
    assert done.returncode == 2
    assert "does not exist" in errors and "internal error" not in errors


def test_history_in_a_latin1_locale(tmp_path: Path, latin1: dict[str, str]) -> None:
    repo = _repository(tmp_path / "policies")
    done = policycoord("history", cwd=repo, env=latin1, text_mode=False)
    shown, errors = _shown(done.stdout), _shown(done.stderr)
    assert done.returncode == 0, errors
    assert "internal error" not in errors and "Traceback" not in errors
    assert "Add École \\u0141" in shown  # the commit's subject
    rows = re.findall(r"(?m)^\d{4}-\d\d-\d\d  [0-9a-f]{7} ", shown)
    assert len(rows) == 3, shown  # every commit, none dropped
