"""Baseline files: the findings a repository has accepted for now, by
fingerprint, so that `check --baseline FILE` reports only new ones.

A baseline is JSON, sorted so that it diffs well in review:

    {
      "version": 1,
      "tool": "policycoord",
      "findings": [
        {"code": "PC101", "organisation": null, "fingerprint": "…", "message": "…"},
        …
      ]
    }

Only `fingerprint` is matched; the code, organisation and message are there
for the people who review the file. Fingerprints do not include line
numbers (SPEC §5), so a baseline keeps working when lines move.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from policycoord.core.about import TOOL_NAME
from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import BaselineEntry, Finding

VERSION = 1


def entries(findings: Iterable[Finding]) -> tuple[BaselineEntry, ...]:
    """The baseline entries for these findings, in the file's order."""
    made = {
        f.fingerprint: BaselineEntry(f.fingerprint, f.code, f.organisation, f.message)
        for f in findings
    }
    return tuple(sorted(made.values(), key=_order))


def _order(entry: BaselineEntry) -> tuple[str, str, str]:
    return (entry.code, entry.organisation or "", entry.fingerprint)


def parse(text: str, source: str) -> tuple[BaselineEntry, ...]:
    """Read a baseline file's text; a file that is not one is a usage error."""
    try:
        data: Any = json.loads(text)
    except RecursionError:
        raise PolicycoordError(
            f"{source} is not a policycoord baseline file (JSON nested too deeply)."
        ) from None
    except ValueError as error:
        raise PolicycoordError(
            f"{source} is not a policycoord baseline file (not JSON: {error})."
        ) from None
    findings = data.get("findings") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("tool") != TOOL_NAME
        or not isinstance(findings, list)
    ):
        raise PolicycoordError(
            f"{source} is not a policycoord baseline file (write one with `policycoord baseline`)."
        )
    if data.get("version") != VERSION:
        raise PolicycoordError(
            f"{source} is a baseline of version {data.get('version')!r}; this policycoord reads "
            f"version {VERSION}. Write it again with `policycoord baseline`."
        )
    read: list[BaselineEntry] = []
    for index, item in enumerate(findings):
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise PolicycoordError(
                f"{source}: entry {index + 1} of `findings` has no `fingerprint`."
            )
        organisation = item.get("organisation")
        read.append(
            BaselineEntry(
                fingerprint=item["fingerprint"],
                code=str(item.get("code", "")),
                organisation=organisation if isinstance(organisation, str) else None,
                message=str(item.get("message", "")),
            )
        )
    return tuple(read)
