"""`policycoord lsp` with a real editor's client: Neovim from Debian
(package `neovim`, 0.7.2 there), headless, with its built-in LSP client.
It opens a policy file of a partnership where the school escalates to a
team the council does not have, and a Lua timer writes the diagnostics
Neovim holds to a file and quits. Skipped where `nvim` is absent, except
under CI (`CI` set), where .ci/run installs it and its absence fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.lsp.client import SRC

SCHOOL = "orgs/st-marys-primary.yaml"

#: Waits (up to a minute) for the current buffer's diagnostics, writes them
#: to $PC_OUT a line each (code, line, column, message, tab-separated), quits.
COLLECT = r"""
local out = os.getenv("PC_OUT")
local started = vim.loop.now()
local timer = vim.loop.new_timer()
timer:start(200, 200, vim.schedule_wrap(function()
  local found = vim.diagnostic.get(0)
  if #found == 0 and vim.loop.now() - started < 60000 then
    return
  end
  timer:stop()
  local lines = {}
  for _, d in ipairs(found) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then
      code = d.user_data.lsp.code
    end
    table.insert(lines, string.format("%s\t%d\t%d\t%s", tostring(code), d.lnum, d.col,
      (d.message:gsub("\n", " "))))
  end
  vim.fn.writefile(lines, out)
  vim.cmd("qa!")
end))
"""

# vim.lsp.start does not exist in 0.7: start_client + buf_attach_client
SCRIPT = (
    r"""
local root = os.getenv("PC_ROOT")
local id = vim.lsp.start_client({
  name = "policycoord",
  cmd = { os.getenv("PC_PYTHON"), "-m", "policycoord", "lsp" },
  cmd_env = { PYTHONPATH = os.getenv("PC_SRC") },
  root_dir = root,
})
vim.cmd("edit " .. vim.fn.fnameescape(root .. "/orgs/st-marys-primary.yaml"))
vim.lsp.buf_attach_client(0, id)
"""
    + COLLECT
)


def nvim_program() -> str:
    found = shutil.which("nvim")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("nvim is not installed; .ci/run installs it (Debian: neovim)")
        pytest.skip("nvim is not installed (Debian: apt-get install neovim)")
    return found


def test_neovim_shows_the_partnerships_findings(tmp_path: Path) -> None:
    nvim = nvim_program()
    repo = tmp_path / "policies"
    shutil.copytree(EXAMPLES, repo)
    school = repo / SCHOOL
    text = school.read_text(encoding="utf-8")
    school.write_text(
        text.replace("to: northshire-cs/mash", "to: northshire-cs/front-door", 1), encoding="utf-8"
    )
    script = tmp_path / "check.lua"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "diagnostics.tsv"
    env = {
        **os.environ,
        "PC_ROOT": str(repo),
        "PC_OUT": str(out),
        "PC_PYTHON": sys.executable,
        "PC_SRC": str(SRC),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    done = subprocess.run(
        [nvim, "--headless", "--clean", "-c", f"luafile {script}"],
        cwd=repo,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert out.exists(), done.stderr.decode("utf-8", "replace")
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    codes = [row[0] for row in rows]
    assert "PC201" in codes, rows
    broken = school.read_text(encoding="utf-8")
    line = broken[: broken.index("northshire-cs/front-door")].count("\n")
    pc201 = next(row for row in rows if row[0] == "PC201")
    assert int(pc201[1]) == line and "front-door" in pc201[3]
