"""Copies of the example partnership where the formats read by a forge
(sarif, gitlab, github) give the same paths wherever the tests run: those
name files from the root of the git repository around partnership.yaml, and
`examples/policies/` is in this project's repository in a clone but in none
in an unpacked source archive."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import EXAMPLES

#: where `examples_in_a_repository` puts the partnership, as in this project
EXAMPLES_PREFIX = "examples/policies/"


def examples_outside_git(root: Path) -> Path:
    """The example partnership copied to `root` (under tmp_path: in no git
    repository), so every format gives the paths `json` gives."""
    shutil.copytree(EXAMPLES, root)
    return root


def examples_in_a_repository(root: Path) -> Path:
    """The example partnership at `root/examples/policies/` of a repository
    `root` (a `.git` folder, as a clone has): as in this project's clone,
    whether or not the tests run in one. Returns the partnership's folder."""
    (root / ".git").mkdir(parents=True)
    return examples_outside_git(root / EXAMPLES_PREFIX)
