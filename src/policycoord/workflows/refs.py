"""Which commit a revision the user gave names (`--base`, `--head`,
`--since`), and what to do when it is not in the clone.

A branch that exists only as a remote-tracking branch (`main` in a CI
clone, which has `origin/main` at most) is found there, and the report
names the ref used. A revision missing from a shallow clone gets the git
command that fetches it, written so that it works when pasted (it fills
`origin/main`, which the next run finds). A range (`A..B`) or a search
(`:/text`) is not one revision: the message says what is accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from policycoord.core.errors import PolicycoordError
from policycoord.workflows import gitcommand

ACCEPTED = (
    "Give one revision: a branch (main, origin/main), a tag, a commit id, or one counted "
    "back from another (HEAD~1)."
)

#: what git reads as more than one revision, or as a search
_NOT_ONE = re.compile(r"\.\.|^:/|^:\^|\^[@!-]|^\^")


@dataclass(frozen=True, slots=True)
class Resolved:
    """A revision the user gave, and the commit it names."""

    sha: str
    label: str  # the ref used: what the user gave, or `origin/main` for `main`


def resolve(root: Path, ref: str, *, option: str) -> Resolved:
    """The commit `ref` names; a clear message when it names none."""
    if ref.startswith("-"):
        raise PolicycoordError(f"{option} {ref!r} is not a git revision. {ACCEPTED}")
    if not ref.strip() or _NOT_ONE.search(ref):
        raise PolicycoordError(
            f"{option} {ref!r} is not one revision (ranges such as A..B and searches such as "
            f":/text are not taken). {ACCEPTED}"
        )
    sha = _commit(root, ref)
    if sha is not None:
        return Resolved(sha, ref)
    for remote in remotes(root):
        tracking = f"{remote}/{ref}"
        sha = _commit(root, tracking)
        if sha is not None:
            return Resolved(sha, tracking)
    if is_shallow(root):
        raise PolicycoordError(
            f"The revision {ref!r} ({option}) is not in this clone: it is a shallow clone, which "
            f"holds only the latest commits. Fetch it first: {fetch_hint(root, ref)}. Or check "
            "out with full history (`fetch-depth: 0` in actions/checkout, `GIT_DEPTH: 0` in "
            "GitLab CI)."
        )
    raise PolicycoordError(
        f"The revision {ref!r} ({option}) does not exist in this repository. {ACCEPTED} "
        "Run `git fetch` first if it is another branch."
    )


def _commit(root: Path, ref: str) -> str | None:
    result = gitcommand.run(
        root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
    )
    sha = gitcommand.text(result.stdout).strip()
    if result.returncode == 0 and sha:
        return sha
    if result.returncode not in (0, 1):  # 1 is "no such revision"
        raise gitcommand.failure(
            root, gitcommand.text(result.stderr), result.returncode, what=f"read {ref!r}"
        )
    return None


def remotes(root: Path) -> tuple[str, ...]:
    """The repository's remotes, `origin` first."""
    result = gitcommand.run(root, "remote")
    names = gitcommand.text(result.stdout).split() if result.returncode == 0 else []
    return tuple(sorted(names, key=lambda name: (name != "origin", name)))


def is_shallow(root: Path) -> bool:
    result = gitcommand.run(root, "rev-parse", "--is-shallow-repository")
    return gitcommand.text(result.stdout).strip() == "true"


def fetch_hint(root: Path, ref: str) -> str:
    """The command that fetches a missing revision, as it can be pasted: a
    branch (or `origin/branch`) into its remote-tracking branch, a tag into
    its tag, anything else (`HEAD~1`, a commit id) by fetching the history."""
    known = remotes(root)
    remote = known[0] if known else "origin"
    branch = ref
    for name in known:
        if ref.startswith(name + "/"):
            remote, branch = name, ref[len(name) + 1 :]
            break
    if branch.startswith("refs/tags/"):
        tag = branch.removeprefix("refs/tags/")
        return f"`git fetch --depth=1 {remote} +refs/tags/{tag}:refs/tags/{tag}`"
    branch = branch.removeprefix("refs/heads/")
    simple = re.fullmatch(r"[\w][\w./-]*", branch) and not branch.endswith((".", "/", ".lock"))
    if simple and not re.fullmatch(r"[0-9a-f]{7,64}", branch):
        return (
            f"`git fetch --depth=1 {remote} +refs/heads/{branch}:refs/remotes/{remote}/{branch}` "
            f"(a tag: `git fetch --depth=1 {remote} +refs/tags/{branch}:refs/tags/{branch}`)"
        )
    return f"`git fetch --unshallow {remote}`"
