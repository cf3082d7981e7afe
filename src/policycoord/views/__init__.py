"""Views of the partnership that the long-form reports (Markdown, HTML) draw
next to the findings: the responsibility matrix and the escalation diagrams.
Built only when a format needs them (they cost a pass over the model)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from policycoord.core.findings import Finding
from policycoord.model.model import Model
from policycoord.views.diagrams import Diagram, build_diagrams
from policycoord.views.matrix import Matrix, build_matrix


@dataclass(frozen=True, slots=True)
class Views:
    """The responsibility matrix and escalation diagrams a report may show."""

    matrix: Matrix
    diagrams: tuple[Diagram, ...]


def build_views(model: Model, findings: Iterable[Finding]) -> Views:
    """The views, with the escalation steps that `findings` point at marked."""
    return Views(matrix=build_matrix(model), diagrams=build_diagrams(model, findings))
