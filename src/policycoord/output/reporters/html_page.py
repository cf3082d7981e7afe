"""What every HTML page shares: the check report (`html_report`), the joint
mission and workshop pack (`mission_formats`) and the history
(`history_formats`).

- `environment()`: the jinja2 environment of their templates
  (`output/templates/html/`), autoescaping everything it is given, with the
  `shown` filter (controls and invisible characters shown, not obeyed);
- `asset(name)`: the text of a page's own stylesheet or script, which the
  page holds inline (it loads nothing);
- `csp_hash` and `style_only_csp`: the Content-Security-Policy that lets only
  a page's own style (and script) apply, by their SHA-256 hashes;
- `Place` and `count`: the small pieces the report's findings, matrix and
  diagrams all show (a place in a file, a counted noun).
"""

from __future__ import annotations

import base64
import functools
import hashlib
from dataclasses import dataclass

import jinja2

from policycoord.core.findings import Location
from policycoord.core.text import visible


@functools.cache
def environment() -> jinja2.Environment:
    """The templates of every HTML page (the report, the mission statement
    and pack, the history), escaping everything they are given."""
    from policycoord.core.text import shown
    from policycoord.output.form_options import select_options
    from policycoord.views.forms.fields import field_id

    made = jinja2.Environment(
        loader=jinja2.PackageLoader("policycoord.output", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    made.filters["shown"] = shown
    made.filters["field_id"] = field_id  # the forms' ids, from JSON pointers
    made.filters["select_options"] = select_options  # a form's select, drawn once
    made.filters["pieces"] = pieces  # backticked parts of a message, shown as code
    return made


def asset(name: str) -> str:
    """The text of one of the pages' own files (CSS, script)."""
    templates = environment()
    assert templates.loader is not None
    source, _, _ = templates.loader.get_source(templates, name)
    return source


def style_only_csp(style: str) -> str:
    """The Content-Security-Policy of a page with its own stylesheet and no script."""
    return f"default-src 'none'; style-src {csp_hash(style)}; base-uri 'none'; form-action 'none'"


def csp_hash(text: str) -> str:
    """`'sha256-…'` for a Content-Security-Policy source list."""
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


@dataclass(frozen=True, slots=True)
class Place:
    text: str  # path:line
    full: str  # path:line:column

    @property
    def parts(self) -> tuple[str, ...]:
        """`text` cut after each `/`, where a narrow column may break the line."""
        pieces = self.text.split("/")
        return (*(f"{piece}/" for piece in pieces[:-1]), pieces[-1])


def place(location: Location) -> Place:
    return Place(
        text=visible(location.short),
        full=visible(str(location)),
    )


#: Text in pieces, each `(text, code)`: the pieces that a message wrote between
#: backticks (ids, timeframes, YAML keys) are shown as code (`<code>`), never
#: as backticks, which would show as they are in HTML.
Pieces = tuple[tuple[str, bool], ...]


def pieces(text: str) -> Pieces:
    """`text` (already made visible) split at its backticks, when they pair up."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: show them as written
        return ((text, False),)
    return tuple((part, number % 2 == 1) for number, part in enumerate(parts) if part)


def count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
