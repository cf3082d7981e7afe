"""Running git as a reader of data, never as a host for programs or network
calls (for `diff` and `history`).

Every git command policycoord runs goes through `run()`: a fixed list of
arguments (never a shell), and settings that close each way a repository's
configuration (or a user's) could make git run a program or use the
network while it reads:

- `-c` overrides for what the repository's `.git/config` or the user's
  global configuration may set: the file-system monitor, hooks, signature
  verification (`log.showSignature` with `gpg.program`), the pager, colour,
  `log.follow`, replace objects, the encoding of commit messages, and every
  program git could start to reach a remote (`core.sshCommand`,
  `core.askPass`, credential helpers);
- `GIT_ALLOW_PROTOCOL` set to nothing and `protocol.allow=never`: no
  transport is allowed, so a partial clone's missing object is never
  fetched (git 2.39 has no `GIT_NO_LAZY_FETCH`; it is set too, for later
  versions). git then fails, and `GitError` says what to fetch;
- `GIT_LITERAL_PATHSPECS`: a folder named `:(glob)x` or `:/` is a folder;
- `LC_ALL=C`, so that git's reasons can be recognised (and kept: a refusal
  for "dubious ownership" says so, not only git's advice).

tests/workflows/test_git_hardening.py builds a repository for each of
these with a marker program that must not run.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from policycoord.core.errors import PolicycoordError

#: Settings given on git's command line: they win over every configuration file.
OVERRIDES: tuple[tuple[str, str], ...] = (
    ("core.fsmonitor", "false"),
    ("core.hooksPath", os.devnull),
    ("core.pager", "cat"),
    ("core.quotePath", "false"),
    ("core.useReplaceRefs", "false"),
    ("core.sshCommand", "false"),
    ("core.askPass", "false"),
    ("core.alternateRefsCommand", ""),
    ("credential.helper", ""),
    ("log.showSignature", "false"),
    ("log.follow", "false"),
    ("gpg.program", "false"),
    ("gpg.ssh.program", "false"),
    ("gpg.x509.program", "false"),
    ("gpg.openpgp.program", "false"),
    ("i18n.logOutputEncoding", "UTF-8"),
    ("color.ui", "false"),
    ("gc.auto", "0"),
    ("maintenance.auto", "false"),
    ("protocol.allow", "never"),
    ("fetch.recurseSubmodules", "false"),
    ("submodule.recurse", "false"),
)

#: The environment, over the user's own (which is trusted).
ENVIRONMENT: tuple[tuple[str, str], ...] = (
    ("GIT_TERMINAL_PROMPT", "0"),
    ("GIT_PAGER", "cat"),
    ("PAGER", "cat"),
    ("LC_ALL", "C"),
    ("LANGUAGE", "C"),
    ("GIT_CONFIG_NOSYSTEM", "1"),
    ("GIT_LITERAL_PATHSPECS", "1"),
    ("GIT_NO_REPLACE_OBJECTS", "1"),
    ("GIT_ALLOW_PROTOCOL", ""),  # no transport at all: nothing is fetched
    ("GIT_NO_LAZY_FETCH", "1"),  # git 2.44 and later
    ("GIT_OPTIONAL_LOCKS", "0"),  # reading never writes the index
    ("GIT_ASKPASS", "false"),
    ("GIT_SSH_COMMAND", "false"),
)

#: Variables of the user's environment that could start a program from git.
_REMOVED = ("GIT_EXTERNAL_DIFF", "GIT_SSH", "GIT_PROXY_COMMAND", "SSH_ASKPASS", "GIT_EDITOR")


class GitError(PolicycoordError):
    """git could not read what a run needs (exit status 2). Never taken as
    "this revision has no findings": the run stops."""


def environment() -> dict[str, str]:
    """git's environment: the user's, with the settings above."""
    env = {name: value for name, value in os.environ.items() if name not in _REMOVED}
    env.update(ENVIRONMENT)
    return env


def command(*arguments: str) -> list[str]:
    """The whole command line of one git command."""
    settings = [part for name, value in OVERRIDES for part in ("-c", f"{name}={value}")]
    return [
        "git",
        "--no-pager",
        "--literal-pathspecs",
        "--no-replace-objects",
        *settings,
        *arguments,
    ]


def run(
    cwd: Path, *arguments: str, data: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run one git command and return what it printed, as bytes."""
    try:
        return subprocess.run(
            command(*arguments),
            cwd=cwd,
            input=data,
            capture_output=True,
            env=environment(),
            check=False,
        )
    except FileNotFoundError:
        raise GitError(
            "git is not installed (or not on PATH): `diff` and `history` read the "
            "repository's history with git."
        ) from None
    except OSError as error:
        raise GitError(f"Could not run git in {cwd}: {error.strerror or error}.") from None


def text(output: bytes) -> str:
    """git's output (commit ids, names, subjects) as text."""
    return output.decode("utf-8", "surrogateescape")


def output(cwd: Path, *arguments: str, what: str) -> bytes:
    """What a git command printed; a GitError saying what failed and why otherwise."""
    result = run(cwd, *arguments)
    if result.returncode != 0:
        raise failure(cwd, text(result.stderr), result.returncode, what=what)
    return result.stdout


def failure(cwd: Path, stderr: str, status: int, *, what: str) -> GitError:
    """The error for a git command that failed: git's own reason, kept."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    fatal = [line.removeprefix("fatal: ").removeprefix("error: ") for line in lines]
    if any("dubious ownership" in line for line in lines):
        owner = next((line for line in fatal if "dubious ownership" in line), "")
        return GitError(
            f"Could not {what}: git refuses to read the repository at {cwd} because it belongs to "
            f"another user ({owner}). Run policycoord as the repository's owner, or, if you trust "
            "this repository, tell git so with `git config --global --add safe.directory "
            "<its folder>`."
        )
    if any("not a git repository" in line for line in lines):
        return GitError(
            f"{cwd} is not inside a git repository: `diff` and `history` compare "
            "revisions of a policy repository kept in git."
        )
    if any("promisor remote" in line or "not allowed" in line for line in lines):
        return GitError(
            f"Could not {what}: this is a partial clone and a file it needs is not in it. "
            "policycoord never downloads anything; fetch the files first (see "
            "`git rev-list --objects --missing=print`), or clone without `--filter`."
        )
    reason = "; ".join(fatal[:3]) if fatal else f"git exited with status {status}"
    return GitError(f"Could not {what} (in {cwd}): {reason}")
