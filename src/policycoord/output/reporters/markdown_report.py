"""`--format markdown`: the report as a pull-request comment or a board paper.

A pure reporter, `render(report, options) -> str`, for readers who are
safeguarding leads, not programmers; `summary(report)` is the shorter version
(verdict, summary table, findings) for a GitHub Actions step summary. What
the document holds is `markdown_document`'s; how user text is made inert is
`markdown`'s; this module holds it to the size of a GitHub comment.

Size. A GitHub comment holds 65,536 characters (the report keeps to
`BUDGET`, counted in UTF-16 units as a browser counts them). The report is
built whole; if that is too long, each section keeps its heading and counts
and folds its detail into a `<details>` block, the findings are cut (the
least severe first) to what fits, then the suppressed list, the matrix and
each diagram are added back if they still fit. The report says exactly what
it leaves out and how to see everything (the HTML report). Nothing depends
on the clock or on hash order: the same report gives the same bytes.
"""

from __future__ import annotations

from dataclasses import replace

from policycoord.core.findings import Report
from policycoord.output.formats import RenderOptions
from policycoord.output.reporters.markdown_document import Plan, document
from policycoord.output.reporters.markdown_text import BUDGET, size
from policycoord.views import Views


def render(report: Report, options: RenderOptions) -> str:
    """The whole report: summary, findings by family, the responsibility
    matrix and the escalation diagrams, in at most `BUDGET` characters."""
    return _fit(report, views=True, drawn=options.views)


def summary(report: Report) -> str:
    """The short report for a CI step summary (`$GITHUB_STEP_SUMMARY`): the
    verdict, the summary table and the findings by family, in at most
    `BUDGET` characters."""
    return _fit(report, views=False)


def _fits(report: Report, plan: Plan, budget: int) -> bool:
    return size(document(report, plan)) <= budget


def _fit(report: Report, *, views: bool, drawn: Views | None = None, budget: int = BUDGET) -> str:
    """The whole document if it fits in `budget`; otherwise the detail folded
    and, most severe first, as many findings as fit, then whatever else fits
    of the lists, the matrix and the diagrams, in that order."""
    whole = document(report, Plan(views=views, drawn=drawn))
    if size(whole) <= budget:
        return whole
    diagrams = len(drawn.diagrams) if views and drawn is not None else 0
    plan = Plan(
        views=views,
        drawn=drawn,
        folded=True,
        findings=0,
        lists=False,
        matrix=False,
        diagrams=(False,) * diagrams,
    )
    plan = replace(plan, findings=_most_findings(report, plan, budget))
    if plan.findings == len(report.findings):
        plan = _add_back(report, plan, budget)
    return document(report, plan)


def _most_findings(report: Report, plan: Plan, budget: int) -> int:
    """The most findings (most severe first) that fit, by bisection: each
    finding shown only makes the document longer."""
    low, high = 0, len(report.findings)
    while low < high:
        middle = (low + high + 1) // 2
        if _fits(report, replace(plan, findings=middle), budget):
            low = middle
        else:
            high = middle - 1
    return low


def _add_back(report: Report, plan: Plan, budget: int) -> Plan:
    """With every finding shown, add back what fits: the lists, the matrix,
    then each diagram in order."""
    with_lists = replace(plan, lists=True)
    if _fits(report, with_lists, budget):
        plan = with_lists
    with_matrix = replace(plan, matrix=True)
    if _fits(report, with_matrix, budget):
        plan = with_matrix
    drawn = list(plan.diagrams or ())
    for index in range(len(drawn)):
        drawn[index] = True
        tried = replace(plan, diagrams=tuple(drawn))
        if _fits(report, tried, budget):
            plan = tried
        else:
            drawn[index] = False
    return plan
