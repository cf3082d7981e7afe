"""Guards for the fast path: these fail when a change silently falls back to
slow machinery (speed itself is measured by the benchmark, never timed here)."""

from __future__ import annotations

import yaml

from policycoord import loading


def test_loader_uses_libyaml_c_parser() -> None:
    assert yaml.__with_libyaml__, "PyYAML was installed without libyaml"
    assert loading.HAVE_LIBYAML
    assert loading._Parser is yaml.cyaml.CParser  # type: ignore[attr-defined]
