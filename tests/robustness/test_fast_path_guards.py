"""Guards for the fast path: these fail when a change silently falls back to
slow machinery (speed itself is measured by the benchmark, never timed here)."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from policycoord.input.loading import yaml_parser


def test_loader_uses_libyaml_c_parser() -> None:
    assert yaml.__with_libyaml__, "PyYAML was installed without libyaml"
    assert yaml_parser.HAVE_LIBYAML
    assert yaml_parser.Parser is yaml.cyaml.CParser  # type: ignore[attr-defined]


def test_check_pauses_the_cyclic_gc_and_restores_it(tmp_path: Path) -> None:
    import gc

    from policycoord.workflows import pipeline

    (tmp_path / "partnership.yaml").write_text(
        "policycoord: 1\npartnership: {id: p, name: P}\n", encoding="utf-8"
    )
    (tmp_path / "a.yaml").write_text(
        "policycoord: 1\norganisation: {id: a, name: A, sector: other}\n", encoding="utf-8"
    )
    seen: list[bool] = []
    assert gc.isenabled()
    pipeline.check(
        [str(tmp_path)],
        options=pipeline.Options(today=datetime.date(2026, 11, 24)),
        progress=lambda *_: seen.append(gc.isenabled()),
    )
    assert seen == [False]
    assert gc.isenabled()
