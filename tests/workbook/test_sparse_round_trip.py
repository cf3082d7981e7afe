"""Export, then import untouched, for sparse entries in every section: an
escalation with only a concern, only steps, or nothing at all; a step, a
role, a responsibility... with only some of its fields; text with spaces
at its ends. Every file must come back byte-identical, through a real
workbook written and read by openpyxl (the in-memory form of this is the
hypothesis test in tests/input/test_workbook_sections.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_repo, partnership, policy

from tests.workbook.helpers import export, run_import, snapshot

SPARSE = {
    "escalation-concern-only": """\
        escalations:
          - concern: significant-harm
        """,
    "escalation-steps-only": """\
        escalations:
          - steps:
              - to: dsl
        """,
    "escalation-empty": """\
        escalations:
          - {}
        """,
    "escalation-empty-between-two": """\
        roles:
          - id: dsl
            title: Lead
        escalations:
          - concern: significant-harm
            steps:
              - to: dsl
          - {}
          - concern: significant-harm
            steps:
              - to: dsl
                within: immediately
        """,
    "escalation-no-steps-after-one-with-steps": """\
        escalations:
          - concern: significant-harm
            steps:
              - to: dsl
          - concern: significant-harm
        """,
    "escalation-steps-only-after-a-concern": """\
        escalations:
          - concern: significant-harm
            steps:
              - to: dsl
          - steps:
              - to: ddsl
        """,
    "escalation-empty-steps": """\
        escalations:
          - concern: significant-harm
            steps: []
          - steps: []
        """,
    "step-empty-or-partial": """\
        escalations:
          - concern: significant-harm
            steps:
              - {}
              - within: 1 hour
              - action: Phone them.
              - out_of_hours: northshire-cs/edt
        """,
    "empty-entry-in-every-list": """\
        roles:
          - {}
        responsibilities:
          - {}
        escalations:
          - {}
        receives:
          - {}
        glossary:
          - {}
        sharing:
          - {}
        commitments:
          - {}
        """,
    "one-field-entries": """\
        roles:
          - id: dsl
          - title: Lead
          - contact: {hours: 24/7}
          - deputy: dsl
        responsibilities:
          - duty: train-staff
          - raci: accountable
          - notes: Each September.
        receives:
          - concern: significant-harm
          - from: ["*"]
          - from: []
        glossary:
          - term: DSL
          - meaning: Designated Safeguarding Lead
        sharing:
          - with: other
          - basis: consent
        commitments:
          - theme: listen-to-children
          - text: We listen.
        """,
    "blank-and-spaced-text": """\
        roles:
          - id: dsl
            title: " Lead "
            contact: {}
        glossary:
          - term: DSL
            meaning: ""
        summary: "  "
        """,
    "empty-lists-and-review": """\
        roles: []
        escalations: []
        commitments: []
        """,
}


@pytest.mark.parametrize("extra", SPARSE.values(), ids=SPARSE.keys())
def test_sparse_entries_come_back_byte_identical(extra: str, tmp_path: Path) -> None:
    repository = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": partnership(),
            "orgs/sparse.yaml": policy("sparse", extra=extra),
            "orgs/other.yaml": policy("other"),
        },
    )
    before = snapshot(repository)
    workbooks = export(repository, tmp_path / "out", "sparse")
    result = run_import(repository, workbooks["sparse"])
    assert result.refused == ()
    assert [(one.file, one.changed_lines) for one in result.imported] == [("orgs/sparse.yaml", 0)]
    assert snapshot(repository) == before
