"""The browser workspace's pages that read (the dashboard, an organisation's
policy, the partnership file), rendered by the jinja2 environment every HTML
page shares, from the same view models and template parts as the HTML
report (`html_report.page_context`, `templates/html/parts/`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

from policycoord.core.about import TOOL_NAME, __version__
from policycoord.core.findings import Finding
from policycoord.core.text import visible
from policycoord.output.reporters.html_diagrams import diagram_view
from policycoord.output.reporters.html_page import Pieces, count, environment, pieces
from policycoord.output.reporters.html_report import page_context
from policycoord.serve.reading import organisation_blocks, partnership_blocks
from policycoord.serve.state import Links, Served, Target
from policycoord.workflows.workspace import Checked, Difference

NAV: Final = (
    ("/", "Dashboard", "dashboard"),
    ("/partnership", "Partnership", "partnership"),
    ("/new", "Add an organisation", "new"),
    ("/workshop", "Mission workshop", "workshop"),
)


@dataclass(frozen=True, slots=True)
class ShortFinding:
    code: str
    organisation: str
    message: Pieces  # backticked pieces shown as code, as in the report
    href: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a save did, for the banner at the top of the page."""

    kind: str  # saved | unchanged | conflict | refused
    heading: str
    lines: tuple[str, ...] = ()
    fixed: tuple[ShortFinding, ...] = ()
    introduced: tuple[ShortFinding, ...] = ()
    kept: str = ""  # the person's text, when it could not be written


def render(served: Served, template: str, *, current: str = "", **context: Any) -> str:
    """A page of the workspace: `template` under html/serve/, with what every page shows."""
    checked = served.workspace.latest()
    partnership = checked.model.partnership
    name = partnership.name if partnership is not None else ""
    page = environment().get_template(f"html/serve/{template}")
    return page.render(
        tool=TOOL_NAME,
        version=__version__,
        partnership=visible(name or ""),
        root=visible(str(served.workspace.root)),
        nav=NAV,
        current=current,
        csrf=served.secrets.csrf,
        outcome=context.pop("outcome", None),
        **context,
    )


def message(served: Served, title: str, *lines: str) -> str:
    return render(served, "message.html.j2", page_title=title, lines=lines)


def dashboard(served: Served, checked: Checked, outcome: Outcome | None = None) -> str:
    links = served.links(checked)
    context = page_context(checked.report, served.workspace.views(checked), links.href)
    for shared in ("partnership", "tool", "version", "title"):  # render() gives its own
        context.pop(shared)
    per_org = Counter(f.organisation for f in checked.report.findings)
    orgs = [
        {
            "href": f"/org/{quote(org.id, safe='')}",
            "name": visible(org.name),
            "sector": visible(org.sector),
            "path": visible(org.path),
            "findings": count(per_org[org.id], "finding", "findings"),
        }
        for org in sorted(checked.model.organisations, key=lambda o: (o.name.casefold(), o.id))
    ]
    return render(
        served,
        "dashboard.html.j2",
        current="dashboard",
        page_title="Dashboard",
        orgs=orgs,
        outcome=outcome,
        **context,
    )


def organisation_page(
    served: Served, checked: Checked, target: Target, outcome: Outcome | None = None
) -> str:
    links = served.links(checked)
    model = checked.model
    findings = checked.report.findings
    if target.org is None:
        loaded = served.workspace.loaded(target.display)
        blocks = partnership_blocks(loaded.data if loaded else None, target, findings, links)
        diagrams: list[Any] = []
        intro = "The partnership's shared framework, as written in"
        current = "partnership"
    else:
        org = model.by_id[target.org]
        blocks = organisation_blocks(model, org, target, findings, links)
        concerns = set(next(b.concerns for b in blocks if b.section == "escalations"))
        views = served.workspace.views(checked)
        diagrams = [
            diagram_view(number, d)
            for number, d in enumerate(views.diagrams, 1)
            if d.concern in concerns
        ]
        intro = "This organisation's safeguarding policy, as written in"
        current = ""
    mine = [f for f in findings if f.location.path == target.display]
    return render(
        served,
        "reading.html.j2",
        current=current,
        page_title=target.name,
        heading=target.name,
        intro=intro,
        path=visible(target.display),
        blocks=blocks,
        finding_count=f"{count(len(mine), 'finding', 'findings')} in this file.",
        diagrams=diagrams,
        views_built=True,
        outcome=outcome,
    )


def short(finding: Finding, checked: Checked, links: Links | None = None) -> ShortFinding:
    org = finding.organisation
    names = checked.report.organisation_names
    return ShortFinding(
        visible(finding.code),
        visible(names.get(org, org) if org else "Partnership-wide"),
        pieces(visible(finding.message)),
        links.href(finding) if links is not None else "",
    )


def saved_outcome(
    heading: str, checked: Checked, served: Served, change: Difference, lines: tuple[str, ...] = ()
) -> Outcome:
    links = served.links(checked)
    if not change.fixed and not change.introduced:
        lines = (*lines, "No finding was fixed or introduced by this change.")
    return Outcome(
        "saved",
        heading,
        lines,
        tuple(short(f, checked) for f in change.fixed),
        tuple(short(f, checked, links) for f in change.introduced),
    )
