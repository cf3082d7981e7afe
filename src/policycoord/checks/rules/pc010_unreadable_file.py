"""PC010 unreadable-file."""

from __future__ import annotations

from policycoord.checks.rules.base import FileProblemRule
from policycoord.core.findings import Severity


class UnreadableFile(FileProblemRule):
    """A policy file could not be read at all.

    ## What it does
    Reports a file that was found but could not be opened or read: no
    permission, a folder or device where a file was expected, a broken
    symbolic link, or a file that disappeared while the check ran. A file
    that holds what a git filter stored (a Git LFS pointer, or a file
    encrypted by git-crypt) is reported here too, saying which, and is
    never read as YAML; so is, in `diff`, such a file whose working-tree
    copy has changes that are not staged (what git would store for them is
    known only by running the filter, which policycoord never does).

    ## Why it matters
    An organisation whose policy cannot be read is missing from every
    cross-check; saying so is better than a partial report that looks
    complete.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership:
      id: northshire
      name: Northshire Safeguarding Children Partnership
      policies: ["orgs/*.yaml"]
    # file: orgs/missing.yaml/README
    a folder named like a policy file
    ```

    ## Fixed
    ```diff
    # file: orgs/missing.yaml/README (removed)
    # file: orgs/README (new)
    +notes for editors
    ```
    """

    code = "PC010"
    name = "unreadable-file"
    default_severity = Severity.ERROR
    family = "input"
