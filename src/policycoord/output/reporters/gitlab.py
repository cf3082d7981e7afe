"""`--format gitlab`: a GitLab Code Quality report (`artifacts: reports:
codequality:`), for the merge request widget and the pipeline's tab.

A JSON list with one entry per finding, holding exactly the fields GitLab
documents for the format:

    {"description", "check_name", "fingerprint", "severity",
     "location": {"path", "lines": {"begin"}}}

- `check_name` is the code (`PC102`), as GitLab groups entries by it.
- `fingerprint` is the finding's fingerprint, which survives lines moving,
  so GitLab can tell a finding the merge request introduces from one it
  only moved. GitLab keeps only the first entry of a fingerprint; the
  engine's fingerprints are unique, and should two ever repeat, the later
  ones are told apart by a hash of the fingerprint and its occurrence.
- `severity`: GitLab has five levels (info, minor, major, critical,
  blocker) and policycoord three. info -> `info`, warning -> `minor`,
  error -> `major`: the ordering is kept, and `critical` and `blocker`
  stay unused, since they would rank some errors above others, a
  judgement that policycoord does not make (every error fails the run
  alike, and `rules: severity:` is where a partnership says what matters
  more).
- `location.path` is relative to the root of the git repository, as GitLab
  reads it: the path the other formats show (relative to the folder of
  partnership.yaml) with that folder's path in the repository in front
  (`RenderOptions.repository_prefix`, found by the run), so GitLab can link
  to the file when partnership.yaml sits in a sub-folder. Outside a git
  repository it is the path as the other formats show it.

Findings that a waiver or the baseline accepted are left out: the format
has no way to mark an entry as accepted, and the merge request should not
show them as open. `description` is the message, with control and invisible
characters shown (`shown()`), since GitLab displays it to people. The JSON
text is written by `json_report.dumps`: the same inputs give byte-identical
output.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any, Final

from policycoord.core.findings import Finding, Report, Severity
from policycoord.core.text import shown, writable
from policycoord.output.formats import RenderOptions
from policycoord.output.reporters.json_report import dumps

SEVERITIES: Final = {Severity.INFO: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}


def _entry(finding: Finding, fingerprint: str, options: RenderOptions) -> dict[str, Any]:
    return {
        "description": shown(
            f"{finding.location.cell}: {finding.message}"
            if finding.location.cell
            else finding.message
        ),
        "check_name": finding.code,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[finding.severity],
        "location": {
            "path": writable(options.in_repository(finding.location.path)),
            "lines": {"begin": finding.location.line},
        },
    }


def _unique(fingerprints: list[str]) -> list[str]:
    """The fingerprints, with the second and later copies of a repeated one
    replaced by a hash of it and its occurrence."""
    seen: Counter[str] = Counter()
    unique = []
    for fingerprint in fingerprints:
        seen[fingerprint] += 1
        if seen[fingerprint] > 1:
            text = f"{fingerprint}\x1f{seen[fingerprint]}"
            fingerprint = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        unique.append(fingerprint)
    return unique


def document(report: Report, options: RenderOptions | None = None) -> list[dict[str, Any]]:
    options = options or RenderOptions()
    fingerprints = _unique([finding.fingerprint for finding in report.findings])
    return [
        _entry(finding, fingerprint, options)
        for finding, fingerprint in zip(report.findings, fingerprints, strict=True)
    ]


def render(report: Report, options: RenderOptions) -> str:
    return dumps(document(report, options))
