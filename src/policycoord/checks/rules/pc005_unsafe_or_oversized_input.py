"""PC005 unsafe-or-oversized-input."""

from __future__ import annotations

from policycoord.checks.rules.base import FileProblemRule
from policycoord.core.findings import Severity
from policycoord.input.loading import DEFAULT_MAX_FILE_SIZE, MAX_ALIAS_EXPANSION, MAX_DEPTH


class UnsafeOrOversizedInput(FileProblemRule):
    __doc__ = f"""A file uses a non-standard tag, expands aliases past a bound, or is too big.

    ## What it does
    Stops reading a file, safely, when it:
    - uses a tag other than YAML's standard ones (`!!python/object`,
      `!!python/name`, any `!custom` tag): nothing is ever built from a tag;
    - repeats anchored content through aliases (`*name`) more than
      {MAX_ALIAS_EXPANSION:,} values in all (the "billion laughs" YAML bomb
      makes a 1 KB file expand to gigabytes this way);
    - has an alias that refers to the list or mapping containing it;
    - nests lists and mappings more than {MAX_DEPTH} levels deep;
    - is larger than {DEFAULT_MAX_FILE_SIZE // (1024 * 1024)} MB (`--max-file-size` to change),
      decided from its size before it is read.

    ## Why it matters
    Policy repositories are edited by many people and their reports are
    published: a file must never run code, exhaust the machine that checks
    it, or stop the other organisations' policies being checked.

    ## Example
    ```yaml
    # file: partnership.yaml
    policycoord: 1
    partnership: {{id: northshire, name: Northshire Safeguarding Children Partnership}}
    # file: orgs/riverside-fc.yaml
    policycoord: 1
    organisation:
      id: riverside-fc
      name: !!python/object/apply:os.system ["echo hello"]
      sector: sport
    ```

    ## Fixed
    ```diff
    # file: orgs/riverside-fc.yaml
    -  name: !!python/object/apply:os.system ["echo hello"]
    +  name: Riverside Football Club
    ```
    """

    code = "PC005"
    name = "unsafe-or-oversized-input"
    default_severity = Severity.ERROR
    family = "input"
