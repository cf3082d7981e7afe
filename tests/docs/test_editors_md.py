"""docs/editors.md: its snippets as written. Every JSON and TOML block
parses and starts `policycoord lsp`; the Neovim 0.7 snippet (Debian 12's
Neovim) runs verbatim in headless Neovim with `policycoord` on the PATH and
shows the partnership's findings. The VS Code, Helix and Zed set-ups are
checked as data only: those editors are not in Debian's or npm's registry
(the page says so)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import EXAMPLES, PROJECT_ROOT

from tests.lsp.test_neovim import COLLECT, nvim_program

PAGE = (PROJECT_ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", PAGE, flags=re.S)


def test_every_json_and_toml_snippet_parses_and_starts_the_server() -> None:
    kinds = [kind for kind, _ in BLOCKS]
    assert kinds.count("json") >= 2 and kinds.count("toml") >= 3 and kinds.count("lua") == 2
    for kind, text in BLOCKS:
        if kind == "json":
            json.loads(text)
        elif kind == "toml":
            tomllib.loads(text)
    vscode = json.loads(next(text for kind, text in BLOCKS if kind == "json"))
    assert (vscode["glspc.server.command"], vscode["glspc.server.commandArguments"]) == (
        "policycoord",
        ["lsp"],
    )
    helix = tomllib.loads(next(text for kind, text in BLOCKS if kind == "toml"))
    assert helix["language-server"]["policycoord"] == {"command": "policycoord", "args": ["lsp"]}


def test_the_neovim_0_7_snippet_runs_as_written(tmp_path: Path) -> None:
    nvim = nvim_program()
    if shutil.which("policycoord", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("policycoord is not installed beside this Python (pip install -e .)")
    snippet = [text for kind, text in BLOCKS if kind == "lua"][1]  # "Neovim 0.7 (Debian 12's)"
    assert "start_client" in snippet
    repo = tmp_path / "policies"
    shutil.copytree(EXAMPLES, repo)
    (tmp_path / "snippet.lua").write_text(snippet, encoding="utf-8")
    (tmp_path / "collect.lua").write_text(COLLECT, encoding="utf-8")
    out = tmp_path / "diagnostics.tsv"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PC_OUT": str(out),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    done = subprocess.run(
        [
            nvim,
            "--headless",
            "--clean",
            "-c",
            f"luafile {tmp_path / 'snippet.lua'}",
            "-c",
            "edit orgs/riverside-surgery.yaml",
            "-c",
            f"luafile {tmp_path / 'collect.lua'}",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert out.exists(), done.stderr.decode("utf-8", "replace")
    codes = [line.split("\t")[0] for line in out.read_text(encoding="utf-8").splitlines()]
    assert "PC104" in codes, codes  # the example's `1 working day` against 24 hours
