"""What an id is (SPEC §2.1): a slug, `[a-z0-9][a-z0-9-]{0,63}`, the whole
text. One definition for every front end that takes an id from a person
(the editor's rename, the browser workspace's new organisation); the
shipped schemas' `organisationId`, `roleId`, `dutyId`, `concernId` and
`themeId` patterns are this one anchored (a test holds them together).

`is_id` matches the whole text: `re.match` with `^...$` would let "dsl\\n"
through, as `$` also matches before a final line break.
"""

from __future__ import annotations

import re
from typing import Final

#: the pattern, unanchored (the schemas write it `^...$`)
ID_PATTERN: Final = "[a-z0-9][a-z0-9-]{0,63}"
ID: Final = re.compile(ID_PATTERN)


def is_id(text: str) -> bool:
    """Whether `text`, all of it, is an id."""
    return ID.fullmatch(text) is not None
