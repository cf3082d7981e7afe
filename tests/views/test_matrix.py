"""The responsibility matrix (`policycoord matrix`, SPEC §4, issue 4): the view
model (gaps, overlaps, not applicable, non-members, unknown roles), each format
on a small repository and on examples/policies (golden files), escaping of
hostile text, determinism, and the command line.

Golden files are in tests/output/reporters/golden/matrix*.{txt,md,csv,json}; rewrite
them with POLICYCOORD_UPDATE_GOLDEN=1 and review the diff, as for
tests/output/test_report_formats_golden.py.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import CASES, EXAMPLES, TODAY, CliRunner, make_repo, policy, run_cli
from output.test_report_formats_golden import compare_golden, raw_controls

from policycoord.output.formats import RenderOptions, format_for, renderers
from policycoord.output.reporters.matrix_formats import csv_cell, markdown_cell
from policycoord.views.matrix import Matrix, Row, build_matrix
from policycoord.workflows.pipeline import load_model

SUFFIXES = {"terminal": "txt", "markdown": "md", "csv": "csv", "json": "json"}
#: `matrix`'s formats, from the registry: name -> render(matrix, options)
MATRIX_FORMATS = renderers("matrix")

SMALL_PARTNERSHIP = """\
    policycoord: 1
    partnership:
      id: small
      name: Small Partnership
      members: [alpha, beta, gamma]
    duties:
      - id: lead-partnership
        title: Lead the partnership's response
        scope: partnership
        max_within: 24 hours
      - id: train-staff
        title: Train staff
        scope: each-member
        applies_to: [education]
      - id: refer
        title: Refer to children's social care
        scope: each-member
      - id: review-cases
        title: Review cases together
        scope: partnership
    """

SMALL_FILES = {
    "partnership.yaml": SMALL_PARTNERSHIP,
    "orgs/alpha.yaml": policy(
        "alpha",
        "Alpha School",
        "education",
        """\
        roles:
          - {id: dsl, title: Designated Safeguarding Lead}
          - {id: head, title: Headteacher}
        responsibilities:
          - {duty: lead-partnership, role: dsl, raci: accountable, within: 24 hours}
          - {duty: train-staff, role: dsl, raci: accountable, within: 1 working day}
          - {duty: train-staff, role: head, raci: accountable}
          - {duty: refer, role: dsl, raci: responsible}
          - {duty: review-cases, role: head, raci: consulted}
        """,
    ),
    "orgs/beta.yaml": policy(
        "beta",
        "Beta Health",
        "health",
        """\
        roles:
          - {id: nurse, title: Named Nurse}
        responsibilities:
          - {duty: refer, role: nurs, raci: accountable, within: 1 working day}
          - {duty: lead-partnership, role: nurse, raci: accountable}
          - {duty: review-cases, role: nurse, raci: informed}
        """,
    ),
    # not a member: each-member duties do not apply to it, but what it wrote is shown
    "orgs/delta.yaml": policy(
        "delta",
        "Delta FC",
        "sport",
        """\
        roles:
          - {id: coach, title: Head Coach}
        responsibilities:
          - {duty: refer, role: coach, raci: accountable}
        """,
    ),
}


def small_repo(root: Path) -> Path:
    return make_repo(root, SMALL_FILES)


def small_matrix(root: Path) -> Matrix:
    return build_matrix(load_model([], cwd=small_repo(root)))


def row(matrix: Matrix, duty: str) -> Row:
    (found,) = [r for r in matrix.rows if r.duty == duty]
    return found


def cell_texts(matrix: Matrix, duty: str) -> dict[str, list[str]]:
    return {
        column.id: [entry.text for entry in cell.entries]
        for column, cell in zip(matrix.columns, row(matrix, duty).cells, strict=True)
    }


# --- the view model -------------------------------------------------------------------------


def test_rows_in_file_order_columns_by_name_then_id(tmp_path: Path) -> None:
    matrix = small_matrix(tmp_path / "repo")
    assert [r.duty for r in matrix.rows] == [
        "lead-partnership",
        "train-staff",
        "refer",
        "review-cases",
    ]
    assert [c.id for c in matrix.columns] == ["alpha", "beta", "delta"]
    assert [c.member for c in matrix.columns] == [True, True, False]
    assert matrix.partnership_name == "Small Partnership"
    assert all(len(r.cells) == 3 for r in matrix.rows)


def test_columns_with_the_same_name_are_told_apart_by_id(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": SMALL_PARTNERSHIP,
            "orgs/b.yaml": policy("zeta", "Same Name"),
            "orgs/a.yaml": policy("eta", "Same Name"),
            "orgs/c.yaml": policy("alpha", "another name"),
        },
    )
    matrix = build_matrix(load_model([], cwd=repo))
    assert [c.label for c in matrix.columns] == [
        "another name",
        "Same Name (eta)",
        "Same Name (zeta)",
    ]


def test_partnership_duty_overlap(tmp_path: Path) -> None:
    lead = row(small_matrix(tmp_path / "repo"), "lead-partnership")
    assert (lead.gap, lead.overlap, lead.status) == (False, True, "overlap")
    assert lead.overlapping == ("alpha", "beta")
    assert lead.missing == ()
    assert [c.overlap for c in lead.cells] == [True, True, False]
    assert all(c.applicable for c in lead.cells)  # a partnership duty involves everyone
    assert lead.max_within == "24 hours"


def test_partnership_duty_gap(tmp_path: Path) -> None:
    matrix = small_matrix(tmp_path / "repo")
    review = row(matrix, "review-cases")
    assert (review.gap, review.overlap, review.status) == (True, False, "gap")
    assert cell_texts(matrix, "review-cases") == {
        "alpha": ["C head"],
        "beta": ["I nurse"],
        "delta": [],
    }
    assert not any(c.missing for c in review.cells)


def test_each_member_duty_overlap_within_one_organisation(tmp_path: Path) -> None:
    matrix = small_matrix(tmp_path / "repo")
    train = row(matrix, "train-staff")
    assert (train.gap, train.overlap) == (False, True)
    assert train.overlapping == ("alpha",)
    alpha, beta, delta = train.cells
    assert alpha.overlap and not beta.overlap
    assert [e.text for e in alpha.entries] == ["A dsl (1 working day)", "A head"]
    # applies_to [education]: the health member and the non-member are not covered
    assert [c.applicable for c in train.cells] == [True, False, False]
    assert not beta.missing and not delta.missing


def test_each_member_duty_gap_not_applicable_and_non_member(tmp_path: Path) -> None:
    matrix = small_matrix(tmp_path / "repo")
    refer = row(matrix, "refer")
    assert (refer.gap, refer.overlap, refer.status) == (True, False, "gap")
    assert refer.missing == ("alpha",)  # responsible only, nobody accountable
    alpha, beta, delta = refer.cells
    assert alpha.missing and alpha.applicable
    assert beta.applicable and not beta.missing
    # a non-member: not applicable, yet what it wrote is shown, and it is no gap
    assert not delta.applicable and not delta.missing
    assert [e.text for e in delta.entries] == ["A coach"]


def test_unknown_role_has_no_title(tmp_path: Path) -> None:
    matrix = small_matrix(tmp_path / "repo")
    (entry,) = row(matrix, "refer").cells[1].entries
    assert (entry.role, entry.role_title, entry.within) == ("nurs", None, "1 working day")
    assert entry.text == "A nurs? (1 working day)"
    (known,) = row(matrix, "refer").cells[2].entries
    assert known.role_title == "Head Coach"


def test_accountable_entries_come_first(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": SMALL_PARTNERSHIP,
            "orgs/alpha.yaml": policy(
                "alpha",
                extra="""\
                roles: [{id: a, title: A}, {id: b, title: B}, {id: c, title: C}]
                responsibilities:
                  - {duty: refer, role: a, raci: informed}
                  - {duty: refer, role: b, raci: responsible}
                  - {duty: refer, role: c, raci: accountable}
                  - {duty: refer, role: a, raci: consulted}
                """,
            ),
        },
    )
    matrix = build_matrix(load_model([], cwd=repo))
    assert cell_texts(matrix, "refer") == {"alpha": ["A c", "R b", "C a", "I a"]}


def test_notes_for_members_without_a_file_and_non_members(tmp_path: Path) -> None:
    matrix = small_matrix(tmp_path / "repo")
    assert matrix.notes == (
        "Members without a policy file, not shown: gamma.",
        "Not listed in the partnership's members, so no each-member duty applies to them: "
        "Delta FC.",
    )
    assert (matrix.gaps, matrix.overlaps) == (2, 2)


def test_without_duties_the_matrix_is_empty_with_a_note(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            "partnership.yaml": "policycoord: 1\npartnership: {id: p, name: P}\n",
            "orgs/a.yaml": policy("a"),
        },
    )
    matrix = build_matrix(load_model([], cwd=repo))
    assert matrix.rows == ()
    assert [c.id for c in matrix.columns] == ["a"]
    assert "no `duties` section" in matrix.notes[0]
    for name, render in MATRIX_FORMATS.items():
        text = render(matrix, RenderOptions())
        assert text.endswith("\n"), name
        if name == "csv":
            assert list(csv.reader(io.StringIO(text))) == [
                ["duty", "title", "scope", "A", "status"]
            ]
        else:
            assert "section, so there is nothing to show" in text, name


def test_an_unreadable_partnership_file_gives_a_note(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"partnership.yaml": "policycoord: 1\npartnership: [\n"})
    matrix = build_matrix(load_model([], cwd=repo))
    assert matrix.rows == ()
    assert "could not be read" in matrix.notes[0]
    assert json.loads(MATRIX_FORMATS["json"](matrix, RenderOptions()))["partnership"] is None


def test_an_empty_duties_list(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"partnership.yaml": "policycoord: 1\npartnership: {id: p, name: P}\nduties: []\n"},
    )
    matrix = build_matrix(load_model([], cwd=repo))
    assert (matrix.rows, matrix.notes) == ((), ("The partnership file lists no duties.",))


def test_examples_show_the_documented_gaps_and_overlap() -> None:
    matrix = build_matrix(load_model([], cwd=EXAMPLES))
    statuses = {r.duty: r.status for r in matrix.rows}
    assert statuses["arrange-rapid-review"] == "gap"  # PC101
    assert statuses["report-allegation-to-lado"] == "gap"  # PC102
    assert row(matrix, "report-allegation-to-lado").missing == ("st-marys-primary",)
    assert statuses["convene-strategy-discussion"] == "overlap"  # PC103
    assert row(matrix, "convene-strategy-discussion").overlapping == (
        "northshire-cs",
        "northshire-police",
    )
    assert {d for d, s in statuses.items() if s != "ok"} == {
        "arrange-rapid-review",
        "report-allegation-to-lado",
        "convene-strategy-discussion",
    }
    assert matrix.notes == ()


def test_a_timeframe_longer_than_the_duty_allows_is_too_slow() -> None:
    """As PC104 finds it: Riverside Surgery's `1 working day` (96 hours at
    worst) against the duty's `24 hours`; `24 hours` and `immediately` are not."""
    matrix = build_matrix(load_model([], cwd=EXAMPLES))
    refer = row(matrix, "refer-to-childrens-social-care")
    assert refer.too_slow == ("riverside-surgery",)
    (cell,) = [c for c in refer.cells if c.organisation == "riverside-surgery"]
    assert cell.too_slow and [e.too_slow for e in cell.entries] == [True]
    others = [e for c in refer.cells if c is not cell for e in c.entries]
    assert {e.within for e in others} >= {"24 hours", "immediately"}
    assert not any(e.too_slow for e in others)
    # the only such timeframe in the example, as the only PC104 finding
    assert [r.duty for r in matrix.rows if r.too_slow] == ["refer-to-childrens-social-care"]
    assert refer.status == "ok"  # not a gap or an overlap: marked beside them


# --- load_model ----------------------------------------------------------------------------


def test_load_model_pauses_the_cyclic_gc_and_restores_it(tmp_path: Path) -> None:
    import gc

    seen: list[bool] = []
    assert gc.isenabled()
    model = load_model(
        [], cwd=small_repo(tmp_path / "repo"), progress=lambda *_: seen.append(gc.isenabled())
    )
    assert seen == [False, False, False]
    assert gc.isenabled()
    assert [org.id for org in model.organisations] == ["alpha", "beta", "delta"]


def test_load_model_without_a_partnership_file_raises(tmp_path: Path) -> None:
    from policycoord.core.errors import PolicycoordError

    with pytest.raises(PolicycoordError, match=r"partnership\.yaml"):
        load_model([], cwd=make_repo(tmp_path / "x", {"a.yaml": policy("a")}))


# --- the formats ---------------------------------------------------------------------------


def render(matrix: Matrix, fmt: str, width: int = 100) -> str:
    return MATRIX_FORMATS[fmt](matrix, RenderOptions(color=False, width=width))


def test_the_registry_has_the_four_formats() -> None:
    assert list(MATRIX_FORMATS) == ["terminal", "markdown", "csv", "json"]


@pytest.mark.parametrize("fmt", list(SUFFIXES))
def test_golden_examples(cli: CliRunner, fmt: str) -> None:
    code, out, err = cli("matrix", "--today", TODAY, "-f", fmt, "--no-color", cwd=EXAMPLES)
    assert (code, err) == (0, "")
    assert str(EXAMPLES) not in out
    compare_golden(f"matrix.{SUFFIXES[fmt]}", out)


@pytest.mark.parametrize("fmt", list(SUFFIXES))
def test_golden_small_repository(cli: CliRunner, tmp_path: Path, fmt: str) -> None:
    repo = small_repo(tmp_path / "repo")
    code, out, err = cli("matrix", "-f", fmt, "--no-color", cwd=repo)
    assert (code, err) == (0, "")
    assert str(tmp_path) not in out
    compare_golden(f"matrix-small.{SUFFIXES[fmt]}", out)


def test_terminal_marks_gaps_and_overlaps_in_words(tmp_path: Path) -> None:
    text = render(small_matrix(tmp_path / "repo"), "terminal")
    assert "GAP" in text and "OVERLAP" in text and "n/a" in text
    assert "A nurs? (1 working day)" in text or "A nurs?" in text
    assert "Key: R responsible, A accountable" in text
    assert "4 duties x 3 organisations: 2 gaps, 2 overlaps." in text
    assert "\x1b" not in text


def test_terminal_never_cuts_text_short_and_splits_wide_matrices() -> None:
    matrix = build_matrix(load_model([], cwd=EXAMPLES))
    for width in (60, 100, 300):
        text = render(matrix, "terminal", width)
        assert "…" not in text
        assert max(len(line) for line in text.splitlines() if line[:1] in "┏│┗└") <= width
        for column in matrix.columns:  # every organisation's column is somewhere
            assert column.label.split()[0] in text
    assert "Table 1 of" in render(matrix, "terminal", 100)
    assert "Table 1 of" not in render(matrix, "terminal", 300)


def test_terminal_in_colour_still_says_gap_in_words(tmp_path: Path) -> None:
    matrix = small_matrix(tmp_path / "repo")
    coloured = MATRIX_FORMATS["terminal"](matrix, RenderOptions(color=True, width=100))
    assert "\x1b[" in coloured
    plain = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert "GAP" in plain and "OVERLAP" in plain


def test_markdown_table_shape(tmp_path: Path) -> None:
    text = render(small_matrix(tmp_path / "repo"), "markdown")
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert table[0] == "| Duty | Alpha School | Beta Health | Delta FC | Status |"
    assert table[1] == "|---|---|---|---|---|"
    assert len(table) == 2 + 4
    assert all(len(_gfm_cells(line)) == 5 for line in table)
    assert "⚠ GAP" in text and "⚠ OVERLAP" in text
    assert "**A dsl (24 hours)**" in text
    assert "- Beta Health: nurse: Named Nurse; nurs: not a role in its file" in text


def test_csv_parses_back_with_a_header_row(tmp_path: Path) -> None:
    text = render(small_matrix(tmp_path / "repo"), "csv")
    assert not text.startswith("\ufeff")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == [
        "duty",
        "title",
        "scope",
        "Alpha School",
        "Beta Health",
        "Delta FC",
        "status",
    ]
    assert [r[0] for r in rows[1:]] == ["lead-partnership", "train-staff", "refer", "review-cases"]
    by_duty = {r[0]: r for r in rows[1:]}
    assert by_duty["lead-partnership"][3:] == [
        "A dsl (24 hours); OVERLAP",
        "A nurse; OVERLAP",
        "",
        "overlap",
    ]
    assert by_duty["refer"][3:] == [
        "R dsl; GAP",
        "A nurs? (1 working day)",
        "A coach; n/a",
        "gap",
    ]
    assert by_duty["train-staff"][4] == "n/a"
    assert by_duty["review-cases"][-1] == "gap"


def test_json_document(tmp_path: Path) -> None:
    text = render(small_matrix(tmp_path / "repo"), "json")
    document = json.loads(text)
    assert list(document) == [
        "version",
        "partnership",
        "summary",
        "notes",
        "organisations",
        "duties",
        "cells",
    ]
    assert document["version"] == 1
    assert document["partnership"] == {"id": "small", "name": "Small Partnership"}
    assert document["summary"] == {"duties": 4, "organisations": 3, "gaps": 2, "overlaps": 2}
    assert [o["id"] for o in document["organisations"]] == ["alpha", "beta", "delta"]
    assert list(document["organisations"][0]) == ["id", "name", "label", "sector", "member", "path"]
    assert document["organisations"][2]["member"] is False
    refer = document["duties"][2]
    assert list(refer) == [
        "id",
        "title",
        "scope",
        "applies_to",
        "max_within",
        "status",
        "gap",
        "overlap",
        "missing",
        "overlapping",
    ]
    assert (refer["id"], refer["status"], refer["missing"]) == ("refer", "gap", ["alpha"])
    assert document["duties"][1]["applies_to"] == ["education"]
    assert list(document["cells"]) == [d["id"] for d in document["duties"]]
    assert list(document["cells"]["refer"]) == ["alpha", "beta", "delta"]
    assert document["cells"]["refer"]["beta"] == {
        "applicable": True,
        "missing": False,
        "overlap": False,
        "entries": [
            {
                "raci": "accountable",
                "letter": "A",
                "role": "nurs",
                "role_title": None,
                "within": "1 working day",
            }
        ],
    }
    assert document["cells"]["refer"]["delta"]["applicable"] is False


# --- hostile text --------------------------------------------------------------------------

HOSTILE_NAME = "Evil | <script>alert(1)</script> [x](http://evil) @team #12 `code` \\ *b* &amp;"


def hostile_repo(root: Path, name: str = HOSTILE_NAME, title: str = "Refer") -> Path:
    partnership_text = SMALL_PARTNERSHIP.replace(
        "title: Refer to children's social care", f"title: {json.dumps(title)}"
    ).replace("members: [alpha, beta, gamma]", "members: [alpha, evil]")
    return make_repo(
        root,
        {
            "partnership.yaml": partnership_text,
            "orgs/alpha.yaml": SMALL_FILES["orgs/alpha.yaml"],
            "orgs/evil.yaml": policy(
                "evil",
                json.dumps(name),
                "education",
                """\
                roles: [{id: dsl, title: "<img src=x onerror=alert(1)> | [y](javascript:z)"}]
                responsibilities: [{duty: refer, role: dsl, raci: accountable}]
                """,
            ),
        },
    )


def _gfm_cells(line: str) -> list[str]:
    """The cells of a GitHub table row, split where GFM splits: at `|` not escaped."""
    assert line.startswith("|") and line.endswith("|")
    return re.split(r"(?<!\\)\|", line[1:-1])


def test_markdown_escapes_a_hostile_organisation_name(tmp_path: Path) -> None:
    text = render(build_matrix(load_model([], cwd=hostile_repo(tmp_path / "r"))), "markdown")
    table = [line for line in text.splitlines() if line.startswith("|")]
    header = _gfm_cells(table[0])
    assert len(header) == 4  # Duty, Alpha School, the hostile name, Status
    assert all(len(_gfm_cells(line)) == 4 for line in table)
    for forbidden in ("<script", "<img", "[x]", "[y]", "@team", "#12", "http://", "`"):
        assert forbidden not in text, forbidden
    assert not re.search(r"(?<!\\)[\[\]]", text.split("Key:")[0])  # every bracket escaped
    assert "<" not in text.replace("<br>", "")
    hostile = header[2].strip()
    assert hostile.startswith("Evil \\| &lt;script&gt;alert(1)&lt;/script&gt; \\[x\\]")
    assert "@&#8203;team" in hostile and "#&#8203;12" in hostile
    assert "http:&#8203;//evil" in hostile
    assert "&#96;code&#96;" in hostile and "\\\\" in hostile and "\\*b\\*" in hostile
    assert "&amp;amp;" in hostile  # an entity written by the user is shown, not decoded


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain St Mary's", "plain St Mary's"),
        ("a | b", "a \\| b"),
        ("two\nlines\r\nthree", "two lines three"),
        ("#1 @all", "#&#8203;1 @&#8203;all"),
        ("www.evil.example", "www&#8203;.evil.example"),
        ("\u202eevil \x1b[31m", "&lt;U+202E&gt;evil \\\\x1b\\[31m"),
        ("a_b ~c~", "a\\_b \\~c\\~"),
    ],
)
def test_markdown_cell(text: str, escaped: str) -> None:
    assert markdown_cell(text) == escaped


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_csv_formula_injection_guard(value: str) -> None:
    assert csv_cell(value).startswith("'")
    assert csv_cell("A dsl (24 hours)") == "A dsl (24 hours)"
    assert csv_cell("Mum & Dad = carers") == "Mum & Dad = carers"


def test_csv_guards_every_cell_against_formulas(tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path / "r", name='=HYPERLINK("http://evil","x")', title="-1+1")
    text = render(build_matrix(load_model([], cwd=repo)), "csv")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert '\'=HYPERLINK("http://evil","x")' in rows[0]
    refer = next(r for r in rows if r[0] == "refer")
    assert refer[1] == "'-1+1"
    for cells in rows:
        for value in cells:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_terminal_and_csv_show_controls_and_markup_as_written(tmp_path: Path) -> None:
    name = "[bold red]X[/] \x1b[31mred \u202eevil"
    repo = hostile_repo(tmp_path / "r", name=name, title="line\nbreak")
    matrix = build_matrix(load_model([], cwd=repo))
    terminal = render(matrix, "terminal", 300)
    assert "[bold" in terminal and "red]X[/]" in terminal  # the header wraps at the space
    assert "\\x1b[31mred" in terminal and "<U+202E>evil" in terminal
    assert raw_controls(terminal) == []
    table = render(matrix, "csv")
    assert raw_controls(table.replace("\r\n", "")) == []
    assert "line break" in table
    document = render(matrix, "json")
    assert "\\u202e" in document and raw_controls(document.replace("\n", "")) == []
    organisations = {o["id"]: o for o in json.loads(document)["organisations"]}
    assert organisations["evil"]["name"] == name


# --- determinism ---------------------------------------------------------------------------


def test_output_is_deterministic_across_hash_seeds_and_file_names(tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "repo")
    outputs = {
        seed: run_cli("matrix", "-f", "json", cwd=repo, env={"PYTHONHASHSEED": seed})
        for seed in ("1", "2")
    }
    assert outputs["1"] == outputs["2"]
    assert outputs["1"][0] == 0
    before = {fmt: render(small_matrix(tmp_path / "again"), fmt) for fmt in SUFFIXES}
    assert before == {fmt: render(small_matrix(tmp_path / "again"), fmt) for fmt in SUFFIXES}
    # other file names (so another reading order): the same matrix but for the paths
    renamed = tmp_path / "renamed"
    shutil.copytree(repo, renamed)
    (renamed / "orgs" / "alpha.yaml").rename(renamed / "orgs" / "z-alpha.yaml")
    (renamed / "orgs" / "delta.yaml").rename(renamed / "orgs" / "a-delta.yaml")
    after = build_matrix(load_model([], cwd=renamed))
    for fmt in ("terminal", "markdown", "csv"):
        assert render(after, fmt) == before[fmt]


# --- the command line ----------------------------------------------------------------------


def test_matrix_exits_0_and_prints_the_terminal_table(cli: CliRunner) -> None:
    code, out, err = cli("matrix", "--no-color", cwd=EXAMPLES)
    assert (code, err) == (0, "")
    assert out.startswith("Responsibility matrix: Northshire Safeguarding Children Partnership")
    assert "\x1b" not in out


def test_matrix_of_given_paths_and_partnership_option(cli: CliRunner, tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "repo")
    code, out, _ = cli("matrix", "repo", "-f", "csv", cwd=tmp_path)
    assert code == 0
    assert out.startswith("duty,title,scope,Alpha School,Beta Health,Delta FC,status\r\n")
    code, out, _ = cli(
        "matrix", "--partnership", repo / "partnership.yaml", "-f", "json", cwd=tmp_path
    )
    assert code == 0
    assert json.loads(out)["summary"]["organisations"] == 3


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("out.md", "markdown"),
        ("out.MARKDOWN", "markdown"),
        ("out.csv", "csv"),
        ("out.json", "json"),
        ("out.txt", "terminal"),
        ("out", "terminal"),
    ],
)
def test_output_format_is_inferred_from_the_extension(
    cli: CliRunner, tmp_path: Path, name: str, fmt: str
) -> None:
    repo = small_repo(tmp_path / "repo")
    target = tmp_path / name
    code, out, err = cli("matrix", "-o", target, cwd=repo)
    assert (code, out, err) == (0, "", "")
    written = target.read_bytes().decode("utf-8")
    assert written == render(small_matrix(tmp_path / "same"), fmt)
    assert format_for("matrix", target) == fmt


def test_format_option_wins_over_the_extension(cli: CliRunner, tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "repo")
    code, _, _ = cli("matrix", "-o", tmp_path / "out.md", "-f", "json", cwd=repo)
    assert code == 0
    assert json.loads((tmp_path / "out.md").read_text(encoding="utf-8"))["version"] == 1


def test_no_partnership_file_exits_2(cli: CliRunner, tmp_path: Path) -> None:
    folder = make_repo(tmp_path / "not-a-repo", {"orgs/alpha.yaml": policy("alpha")})
    code, out, err = cli("matrix", cwd=folder)
    assert (code, out) == (2, "")
    assert err.startswith("policycoord: ") and "partnership.yaml" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ("-f", "html"),
        ("--today", "tomorrow"),
        ("--fail-on", "error"),
        ("--partnership", "nope.yaml"),
        ("no/such/folder",),
    ],
)
def test_usage_errors_exit_2(cli: CliRunner, tmp_path: Path, args: tuple[str, ...]) -> None:
    repo = small_repo(tmp_path / "repo")
    code, out, err = cli("matrix", *args, cwd=repo)
    assert (code, out) == (2, "")
    assert "Traceback" not in err and err


def test_output_into_a_missing_folder_exits_2(cli: CliRunner, tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "repo")
    code, _, err = cli("matrix", "-o", tmp_path / "nope" / "m.csv", cwd=repo)
    assert code == 2
    assert "does not exist" in err


def test_matrix_help_lists_the_formats(cli: CliRunner) -> None:
    code, out, _ = cli("matrix", "--help")
    assert code == 0
    for word in ("terminal", "markdown", "csv", "json", "--output", "--partnership", "--today"):
        assert word in out


# -- the matrix and the rules tell the same story --------------------------------


def _rule_case_repositories() -> list[Any]:
    import yaml as _yaml

    cases_dir = CASES
    params = []
    for code in ("PC101", "PC102", "PC103"):
        document = _yaml.safe_load((cases_dir / f"{code}.yaml").read_text(encoding="utf-8"))
        for case in document["cases"]:
            if "paths" not in case:
                params.append(pytest.param(case["files"], id=f"{code}::{case['id']}"))
    return params


@pytest.mark.parametrize("files", _rule_case_repositories())
def test_matrix_marks_what_pc101_pc102_pc103_report(tmp_path: Path, files: dict[str, str]) -> None:
    """Every gap and overlap the rules find is marked in the matrix, and
    nothing else is: the board reads the same story in both."""
    from policycoord.workflows.pipeline import Options, check, load_model

    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    findings = check([str(tmp_path)], options=Options(today=datetime.date(2026, 11, 24))).findings
    matrix = build_matrix(load_model([str(tmp_path)]))
    unowned = {f.subject for f in findings if f.code == "PC101"}
    not_covered = {(f.subject, f.organisation) for f in findings if f.code == "PC102"}
    overlaps = {f.subject for f in findings if f.code == "PC103"}
    rows = {row.duty: row for row in matrix.rows}
    assert {d for d, r in rows.items() if r.gap and r.scope == "partnership"} == unowned
    assert {(d, org) for d, r in rows.items() for org in r.missing} == not_covered
    assert {d for d, r in rows.items() if r.overlap} == overlaps
