"""The benchmark's synthetic partnership (benchmarks/generate.py): the same
seed writes the same bytes, and a check finds exactly the defects it planted,
every family of them, and nothing else."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT_ROOT

from policycoord.workflows.pipeline import Options, check

if str(PROJECT_ROOT) not in sys.path:  # `pytest` (not `python -m pytest`) from anywhere
    sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks import generate

TODAY = datetime.date(2026, 11, 24)
ORGS = 60


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def found(root: Path) -> tuple[list[list[str | None]], list[str]]:
    report = check([str(root)], options=Options(today=TODAY))
    pairs = sorted({(f.code, f.organisation) for f in report.findings}, key=_order)
    waived = sorted(f"{s.finding.code} {s.finding.organisation}" for s in report.suppressed)
    return [list(pair) for pair in pairs], waived


def shared_glossary(root: Path) -> list[object]:
    data = yaml.safe_load((root / "partnership.yaml").read_text(encoding="utf-8"))
    glossary: list[object] = data["glossary"]
    return glossary


def _order(pair: tuple[str, str | None]) -> tuple[str, str]:
    return pair[0], pair[1] or ""


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generate.main(["--orgs", str(ORGS), "--out", str(tmp_path / "a"), "--seed", "7"])
    generate.main(["--orgs", str(ORGS), "--out", str(tmp_path / "b"), "--seed", "7"])
    generate.main(["--orgs", str(ORGS), "--out", str(tmp_path / "c"), "--seed", "8"])
    first = tree(tmp_path / "a")
    assert len([name for name in first if name.startswith("orgs/")]) == ORGS
    assert first == tree(tmp_path / "b")
    assert first != tree(tmp_path / "c")


def test_policy_files_are_of_realistic_size(tmp_path: Path) -> None:
    generate.generate(tmp_path, ORGS)
    sizes = [len(text) for name, text in tree(tmp_path).items() if name.startswith("orgs/")]
    typical = sorted(sizes)[len(sizes) // 2]
    assert 7000 <= typical <= 8500, typical
    assert len(shared_glossary(tmp_path)) == 1000


def test_check_finds_exactly_the_planted_defects(tmp_path: Path) -> None:
    manifest = generate.generate(tmp_path, ORGS, seed=3)
    pairs, waived = found(tmp_path)
    assert pairs == manifest["expected"]
    families = {code[:3] for code, _ in pairs}
    assert {"PC0", "PC1", "PC2", "PC3", "PC4"} <= families
    # no schema or YAML noise: the only file-level finding is the planted duplicate key
    assert [code for code, _ in pairs if code <= "PC005"] == ["PC002"]
    assert waived == [f"PC401 {manifest['waived']['PC401']}"]


def test_distinct_texts_differ_and_find_the_same_defects(tmp_path: Path) -> None:
    plain, distinct = tmp_path / "plain", tmp_path / "distinct"
    manifest = generate.generate(plain, ORGS, seed=3)
    assert (
        generate.generate(distinct, ORGS, seed=3, distinct=True)["expected"]
        == (manifest["expected"])
    )
    assert found(distinct) == found(plain)
    from policycoord.model.texts import free_texts
    from policycoord.workflows.pipeline import load_model

    def prose(root: Path) -> list[str]:
        model = load_model([str(root)], options=Options(today=generate.TODAY))
        kept = ("notes", "action", "purpose", "basis", "text", "definition", "summary")
        return [t.text for t in free_texts(model) if t.organisation and t.field in kept]

    plain_texts, distinct_texts = prose(plain), prose(distinct)
    assert len(plain_texts) == len(distinct_texts)
    assert len(set(plain_texts)) < len(plain_texts) // 10  # a few dozen sentences, repeated
    # (the county's own services and localities keep their texts: a few at scale)
    assert len(set(distinct_texts)) > len(distinct_texts) * 0.8


def test_long_cycle_and_small_glossary(tmp_path: Path) -> None:
    manifest = generate.generate(tmp_path, ORGS + 40, cycle=40, terms=50)
    pairs, _ = found(tmp_path)
    assert pairs == manifest["expected"]
    report = check([str(tmp_path)], options=Options(today=TODAY, select=("PC202",)))
    (cycle,) = report.findings
    assert "and 28 more → back to the start" in cycle.message  # 12 hops spelt out, of 40
    assert len(cycle.related) == 39  # every other organisation of the cycle
    assert len(shared_glossary(tmp_path)) == 50


def test_ensure_reuses_a_repository_made_with_the_same_arguments(tmp_path: Path) -> None:
    generate.generate(tmp_path, ORGS)
    marker = tmp_path / "orgs" / "untouched"
    marker.write_text("", encoding="utf-8")
    generate.ensure(tmp_path, ORGS)
    assert marker.exists()
    generate.ensure(tmp_path, ORGS, seed=2)
    assert not marker.exists()
    assert json.loads((tmp_path / generate.MARKER).read_text(encoding="utf-8"))["seed"] == 2


def test_too_few_organisations_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="--orgs must be at least"):
        generate.generate(tmp_path, 10)
