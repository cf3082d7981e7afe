"""The one exception type: policycoord cannot run at all (exit status 2).

Everything that is wrong with a policy file is a finding, never an exception.
This is raised only for what stops a run: no partnership file, a usage error
the command line could not catch, an output file that cannot be written.
The CLI turns it into one plain line and exit status 2, in exactly one place.
"""

from __future__ import annotations


class PolicycoordError(Exception):
    """policycoord could not run; the message says why and what to do."""
