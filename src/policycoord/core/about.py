"""The tool's name, version and where to report a problem."""

from __future__ import annotations

__version__ = "0.1.0"
TOOL_NAME = "policycoord"
ISSUES_URL = "https://github.com/policycoord/policycoord/issues"
#: Where every rule's documentation is generated (from the rule docstrings).
RULES_DOCS = "docs/rules.md"
