"""PC011 path-outside-repository."""

from __future__ import annotations

from policycoord.checks.rules.base import FileProblemRule
from policycoord.core.findings import Severity


class PathOutsideRepository(FileProblemRule):
    """A policy path, pattern or symbolic link leads outside the repository.

    ## What it does
    Reports, and does not follow, a `policies` pattern that is absolute or
    climbs out with `..`, a path given on the command line outside the
    repository folder (the folder of `partnership.yaml`), and a symbolic
    link inside the repository that points outside it.

    ## Why it matters
    Reports are pasted into pull requests and board papers: a pattern or a
    link must never pull a private file from elsewhere on the machine into
    them.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership:
      id: northshire
      name: Northshire Safeguarding Children Partnership
      policies: ["../other-partnership/*.yaml"]
    ```

    ## Fixed
    ```diff
    # file: partnership.yaml
    -  policies: ["../other-partnership/*.yaml"]
    +  policies: ["orgs/*.yaml"]
    ```
    """

    code = "PC011"
    name = "path-outside-repository"
    default_severity = Severity.ERROR
    family = "input"
