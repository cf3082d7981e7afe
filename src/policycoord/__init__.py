"""policycoord: cross-check the safeguarding policies of a children's partnership."""

from __future__ import annotations

from policycoord.core.about import ISSUES_URL, TOOL_NAME, __version__

__all__ = ["ISSUES_URL", "TOOL_NAME", "__version__"]
