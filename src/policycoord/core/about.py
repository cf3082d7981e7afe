"""The tool's name, version and where to report a problem."""

from __future__ import annotations

__version__ = "0.1.0"
TOOL_NAME = "policycoord"
#: The project's repository, as pyproject.toml declares it: its GitHub Action
#: (action.yml) and its pre-commit hooks are used from there.
REPOSITORY_URL = "https://github.com/policycoord/policycoord"
#: The GitHub Action, as a workflow's `uses:` names it.
ACTION = "policycoord/policycoord"
#: This version's release tag: what `init` pins the Action and the hooks to.
RELEASE_TAG = f"v{__version__}"
ISSUES_URL = f"{REPOSITORY_URL}/issues"
#: Where every rule's documentation is generated (from the rule docstrings).
RULES_DOCS = "docs/rules.md"
