"""policycoord: cross-check the safeguarding policies of a children's partnership.

The Python API, for scripts and the front ends:

    from policycoord import Options, check
    report = check(["examples/policies"], options=Options(fail_on="warning"))
    for finding in report.findings:
        print(finding.location, finding.code, finding.message)

`check()` never prints and never exits; it raises `PolicycoordError` only
when it cannot run (no partnership file, an unknown code). The names below
are loaded when first used, so that importing one stage of the package does
not load them all (docs/architecture.md).
"""

from __future__ import annotations

from policycoord.core import interrupts

if interrupts.running_the_command_line():
    interrupts.guard()  # Ctrl-C from here on: one line, exit status 130

from policycoord.core.about import ISSUES_URL, TOOL_NAME, __version__

# Not `typing.TYPE_CHECKING`: importing `typing` takes most of the time
# before the command line guards Ctrl-C (policycoord/__main__.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from policycoord.core.errors import PolicycoordError
    from policycoord.core.findings import Finding, Location, Report, Severity
    from policycoord.views import Views
    from policycoord.workflows.pipeline import Options, check, check_with_views, load_model

#: Each public name and the module it comes from.
_API = {
    "check": "policycoord.workflows.pipeline",
    "check_with_views": "policycoord.workflows.pipeline",
    "load_model": "policycoord.workflows.pipeline",
    "Options": "policycoord.workflows.pipeline",
    "Report": "policycoord.core.findings",
    "Finding": "policycoord.core.findings",
    "Location": "policycoord.core.findings",
    "Severity": "policycoord.core.findings",
    "PolicycoordError": "policycoord.core.errors",
    "Views": "policycoord.views",
}

__all__ = [
    "ISSUES_URL",
    "TOOL_NAME",
    "Finding",
    "Location",
    "Options",
    "PolicycoordError",
    "Report",
    "Severity",
    "Views",
    "__version__",
    "check",
    "check_with_views",
    "load_model",
]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'policycoord' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
