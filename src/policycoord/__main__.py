"""`python -m policycoord`."""

from __future__ import annotations

from policycoord.cli import main

if __name__ == "__main__":
    main()
