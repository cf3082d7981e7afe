"""Files that hold what a git filter stored, not a policy: a Git LFS
pointer (the policy is in LFS storage) or a file encrypted by git-crypt.
`diff` and `history` read a revision as git stores it, and a clone without
`git lfs` or a locked git-crypt repository has these in its working tree:
each is PC010 (the file cannot be read as a policy), saying which and what
to do, and is never parsed as YAML.

`diff` compares such a file of the working tree as git has it staged
(workflows/worktree.py); when the working tree's copy was changed after it
was staged (or was never staged), what git would store is not known
without running the filter, which policycoord never does: the copy `diff`
reads then starts with `NOT_STAGED`, and that is PC010 too, saying so; when
only its modification time says so (or git's index does not trust its own
record), `MAY_HAVE_CHANGED`: PC010 saying that it may have changes."""

from __future__ import annotations

from typing import Final

from policycoord.core.findings import Location, Violation
from policycoord.input.loading.source_map import LoadedFile, SourceMap

#: how every Git LFS pointer file starts (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md)
LFS_POINTER: Final = b"version https://git-lfs.github.com/spec/v1"
#: how every file git-crypt encrypts starts
GIT_CRYPT: Final = b"\x00GITCRYPT"
#: what `diff` reads for a filtered file whose working-tree copy is not staged
NOT_STAGED: Final = b"\x00policycoord: filtered, changed since staged\x00"
#: what `diff` reads for a filtered file whose working-tree copy may have
#: changed since it was staged: only its modification time differs (a
#: `touch`), or git's index marks its record as not to be trusted (size 0)
MAY_HAVE_CHANGED: Final = b"\x00policycoord: filtered, may have changed since staged\x00"

_SAID: Final = {
    LFS_POINTER: (
        "The file is a Git LFS pointer, not the policy: the policy itself is kept in Git LFS "
        "storage, which policycoord does not read.",
        "Fetch the file's content (`git lfs pull`), or keep policy files out of Git LFS: they "
        "are small text files.",
        "git-lfs-pointer",
    ),
    GIT_CRYPT: (
        "The file is encrypted with git-crypt, so it cannot be read as a policy.",
        "Unlock the repository (`git-crypt unlock`) to check it here; a policy that every "
        "organisation checks against should not be encrypted.",
        "git-crypt-encrypted",
    ),
    NOT_STAGED: (
        "The file is stored through a git filter (its `filter` attribute in .gitattributes: "
        "Git LFS, git-crypt), and the working tree has changes to it that are not staged: "
        "policycoord never runs a filter, so it cannot tell what git would store for them "
        "and cannot compare them.",
        "Stage the file (`git add` it), so that git stores it through its filter, then run "
        "diff again; or compare committed revisions (`--head`).",
        "filtered-not-staged",
    ),
    MAY_HAVE_CHANGED: (
        "The file is stored through a git filter (its `filter` attribute in .gitattributes: "
        "Git LFS, git-crypt), and the working tree's copy may have changes since it was "
        "staged: its modification time is not the one git recorded, or git's record of it "
        "is one git itself does not trust. Policycoord never runs a filter, so it cannot "
        "tell what git would store for it and cannot compare it.",
        "Stage the file (`git add` it; nothing changes if it has no changes), so that git "
        "records it through its filter, then run diff again; or compare committed "
        "revisions (`--head`).",
        "filtered-may-have-changed",
    ),
}


def stored_by_a_filter(raw: bytes, path: str) -> LoadedFile | None:
    """PC010 for a Git LFS pointer, a git-crypt file or a filtered file with
    changes not staged (`NOT_STAGED`) or that may have some
    (`MAY_HAVE_CHANGED`); None for anything else."""
    for start, (message, suggestion, subject) in _SAID.items():
        if raw.startswith(start):
            problem = Violation(
                message=message,
                location=Location(path, 1, 1, ""),
                subject=subject,
                suggestion=suggestion,
            )
            return LoadedFile(path, None, False, SourceMap(), (("PC010", problem),), len(raw))
    return None
