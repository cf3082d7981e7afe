"""docs/editors.md: each editor's set-up checked as tightly as this machine
allows, as the page's table says.

- Neovim 0.7: run as written in headless Neovim 0.7.2 (Debian 12's) with
  `policycoord` on the PATH; the findings Neovim shows are read.
- Neovim 0.8 and later: run as written in the same Neovim, with the three
  0.8 functions it uses (vim.fs.find, vim.fs.dirname, vim.lsp.start)
  supplied from 0.7's own (SHIM below).
- VS Code, Helix, Zed (not in Debian's or npm's registry, not run): every
  JSON and TOML block parses; the VS Code settings are those the extension
  declares (GLSPC_SETTINGS, from zsol/vscode-glspc's package.json, 0.2.0);
  the Helix keys are those Helix documents for languages.toml; the Zed
  manifests have the keys Zed's extension docs require, and src/lib.rs is
  compiled with rustc against the part of zed_extension_api 0.1 it uses
  (ZED_API: crates.io is out of reach); and the command each one names is
  started and answers `initialize` as a language server.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, PROJECT_ROOT

from tests.lsp.test_neovim import COLLECT, nvim_program

PAGE = (PROJECT_ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", PAGE, flags=re.S)
BIN = Path(sys.executable).parent


def _blocks(kind: str) -> list[str]:
    return [text for found, text in BLOCKS if found == kind]


def _section(title: str) -> str:
    start = PAGE.index(f"\n## {title}\n")
    end = PAGE.find("\n## ", start + 1)
    return PAGE[start : end if end != -1 else len(PAGE)]


def _section_blocks(title: str, kind: str) -> list[str]:
    return [
        text
        for found, text in re.findall(r"```(\w+)\n(.*?)```", _section(title), re.S)
        if found == kind
    ]


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }


def _needs_policycoord() -> None:
    if shutil.which("policycoord", path=str(BIN)) is None:
        pytest.skip("policycoord is not installed beside this Python (pip install -e .)")


def _frame(message: dict[str, Any]) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _bodies(stream: bytes) -> list[dict[str, Any]]:
    """The messages in a stream of Content-Length framed JSON-RPC."""
    found = []
    while (header_end := stream.find(b"\r\n\r\n")) != -1:
        length = re.search(rb"Content-Length: (\d+)", stream[:header_end])
        assert length is not None, stream[:200]
        start = header_end + 4
        found.append(json.loads(stream[start : start + int(length.group(1))]))
        stream = stream[start + int(length.group(1)) :]
    return found


def _answers_initialize(command: list[str], tmp_path: Path) -> None:
    """`command`, run on PATH as an editor would, answers initialize,
    shutdown and exit as a language server over standard input and output."""
    _needs_policycoord()
    repo = tmp_path / "policies"
    if not repo.exists():
        shutil.copytree(EXAMPLES, repo)
    messages = [
        {
            "id": 1,
            "method": "initialize",
            "params": {"processId": None, "rootUri": repo.as_uri(), "capabilities": {}},
        },
        {"method": "initialized", "params": {}},
        {"id": 2, "method": "shutdown", "params": None},
        {"method": "exit", "params": None},
    ]
    program = shutil.which(command[0], path=_env(tmp_path)["PATH"])
    assert program is not None, command
    done = subprocess.run(
        [program, *command[1:]],
        input=b"".join(_frame(m) for m in messages),
        cwd=repo,
        env=_env(tmp_path),
        capture_output=True,
        timeout=120,
        check=False,
    )
    bodies = _bodies(done.stdout)
    answers = {body.get("id"): body for body in bodies if "method" not in body}
    assert "capabilities" in answers[1]["result"], done.stderr.decode("utf-8", "replace")
    assert answers[2]["result"] is None and done.returncode == 0


def test_every_json_and_toml_snippet_parses() -> None:
    kinds = [kind for kind, _ in BLOCKS]
    assert kinds.count("json") == 2 and kinds.count("toml") == 3 and kinds.count("lua") == 2
    assert kinds.count("rust") == 1
    for text in _blocks("json"):
        json.loads(text)
    for text in _blocks("toml"):
        tomllib.loads(text)


# -- VS Code ------------------------------------------------------------------------------------

#: the settings "Generic LSP Client (v2)" (zsol.vscode-glspc 0.2.0) declares in its
#: package.json (contributes.configuration), as a JSON Schema of settings.json's keys
GLSPC_SETTINGS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["glspc.server.command", "glspc.server.languageId"],
    "properties": {
        "glspc.server.command": {"type": "string", "minLength": 1},
        "glspc.server.commandArguments": {"type": "array", "items": {"type": "string"}},
        "glspc.server.languageId": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "glspc.server.environmentVariables": {
            "type": "object",
            "additionalProperties": {"type": "string"},
        },
        "glspc.server.initializationOptions": {"type": "object"},
        "glspc.trace.server": {"enum": ["off", "messages", "compact", "verbose"]},
    },
}


def test_the_vs_code_settings_are_the_extensions_and_start_the_server(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    (text,) = _section_blocks("VS Code", "json")
    settings = json.loads(text)
    jsonschema.validate(settings, GLSPC_SETTINGS)
    assert settings["glspc.server.languageId"] == ["yaml"]  # VS Code's id for YAML files
    command = [settings["glspc.server.command"], *settings["glspc.server.commandArguments"]]
    assert command == ["policycoord", "lsp"]
    _answers_initialize(command, tmp_path)


# -- Helix --------------------------------------------------------------------------------------

#: languages.toml as Helix (23.10 and later) documents it, for what the page uses
HELIX: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "language-server": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["command"],
                "additionalProperties": False,
                "properties": {
                    "command": {"type": "string"},
                    "args": {"type": "array", "items": {"type": "string"}},
                    "environment": {"type": "object"},
                    "config": {},
                    "timeout": {"type": "integer"},
                    "required-root-patterns": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "language": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "language-servers": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


def test_the_helix_languages_toml_has_helixs_keys_and_starts_the_server(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    (text,) = _section_blocks("Helix", "toml")
    config = tomllib.loads(text)
    jsonschema.validate(config, HELIX)
    (yaml,) = config["language"]
    assert yaml["name"] == "yaml"  # Helix's name for YAML
    assert yaml["language-servers"] == ["yaml-language-server", "policycoord"]
    server = config["language-server"]["policycoord"]
    _answers_initialize([server["command"], *server["args"]], tmp_path)


# -- Zed ----------------------------------------------------------------------------------------

#: what src/lib.rs uses of zed_extension_api 0.1, with its types and signatures
ZED_API = r"""
pub type Result<T, E = String> = core::result::Result<T, E>;
pub type EnvVars = Vec<(String, String)>;
pub struct LanguageServerId(String);
pub struct Worktree(u32);
impl Worktree {
    pub fn which(&self, binary_name: &str) -> Option<String> { let _ = binary_name; None }
}
pub struct Command { pub command: String, pub args: Vec<String>, pub env: EnvVars }
pub trait Extension: Send + Sync {
    fn new() -> Self where Self: Sized;
    fn language_server_command(
        &mut self, _language_server_id: &LanguageServerId, _worktree: &Worktree,
    ) -> Result<Command> { Err("not implemented".into()) }
}
#[macro_export]
macro_rules! register_extension {
    ($extension_type:ty) => {
        pub fn init_extension() -> Box<dyn $crate::Extension> {
            Box::new(<$extension_type as $crate::Extension>::new())
        }
    };
}
"""


def test_the_zed_extension_has_zeds_keys_and_names_one_server() -> None:
    extension_toml, cargo_toml = (tomllib.loads(t) for t in _section_blocks("Zed", "toml"))
    for key in ("id", "name", "version", "schema_version", "authors", "description"):
        assert key in extension_toml, key
    assert extension_toml["schema_version"] == 1 and isinstance(extension_toml["authors"], list)
    assert extension_toml["language_servers"] == {
        "policycoord": {"name": "policycoord", "languages": ["YAML"]}
    }
    assert cargo_toml["lib"]["crate-type"] == ["cdylib"]
    assert cargo_toml["dependencies"]["zed_extension_api"].startswith("0.1")
    (settings,) = _section_blocks("Zed", "json")
    servers = json.loads(settings)["languages"]["YAML"]["language_servers"]
    assert servers == ["yaml-language-server", "policycoord"]


def test_the_zed_extension_compiles_against_the_api_and_starts_the_server(tmp_path: Path) -> None:
    (source,) = _section_blocks("Zed", "rust")
    assert re.search(r'\.which\("policycoord"\)', source)
    args = re.search(r"args: vec!\[(.*?)\]", source)
    assert args is not None
    command = ["policycoord", *re.findall(r'"([^"]*)"\.into\(\)', args.group(1))]
    assert command == ["policycoord", "lsp"]
    rustc = shutil.which("rustc")
    if rustc is None:
        pytest.skip("rustc is not installed: src/lib.rs is not compiled")
    (tmp_path / "api.rs").write_text(ZED_API, encoding="utf-8")
    (tmp_path / "lib.rs").write_text(source, encoding="utf-8")
    for args_ in (
        ["--crate-type", "lib", "--crate-name", "zed_extension_api", "--edition", "2021", "api.rs"],
        [
            "--crate-type",
            "lib",
            "--edition",
            "2021",
            "--extern",
            "zed_extension_api=libzed_extension_api.rlib",
            "lib.rs",
        ],
    ):
        done = subprocess.run(
            [rustc, *args_], cwd=tmp_path, capture_output=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    _answers_initialize(command, tmp_path)


# -- Neovim -------------------------------------------------------------------------------------

#: Neovim 0.8's vim.fs.find, vim.fs.dirname and vim.lsp.start, from 0.7's
#: own functions, only where they are missing; what vim.lsp.start was given
#: is written to $PC_CONFIG
SHIM = r"""
vim.fs = vim.fs or {}
vim.fs.dirname = vim.fs.dirname or function(path)
  if path == nil then return nil end
  return vim.fn.fnamemodify(path, ":h")
end
vim.fs.find = vim.fs.find or function(name, opts)
  assert(opts.upward == true)
  local found = vim.fn.findfile(name, vim.fn.fnamemodify(opts.path, ":p") .. ";")
  if found == "" then return {} end
  return { vim.fn.fnamemodify(found, ":p") }
end
if vim.lsp.start == nil then
  vim.lsp.start = function(config)
    vim.fn.writefile({ table.concat(config.cmd, " "), config.root_dir }, os.getenv("PC_CONFIG"))
    local id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(0, id)
    return id
  end
end
"""


def _run_neovim(tmp_path: Path, snippet: str, *, shim: str = "") -> tuple[list[str], str]:
    nvim = nvim_program()
    _needs_policycoord()
    repo = tmp_path / "policies"
    shutil.copytree(EXAMPLES, repo)
    (tmp_path / "snippet.lua").write_text(shim + snippet, encoding="utf-8")
    (tmp_path / "collect.lua").write_text(COLLECT, encoding="utf-8")
    out = tmp_path / "diagnostics.tsv"
    env = {**_env(tmp_path), "PC_OUT": str(out), "PC_CONFIG": str(tmp_path / "config.txt")}
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
    return codes, str(repo)


def test_the_neovim_0_7_snippet_runs_as_written(tmp_path: Path) -> None:
    snippet = _blocks("lua")[1]  # "Neovim 0.7 (Debian 12's)"
    assert "start_client" in snippet
    codes, _ = _run_neovim(tmp_path, snippet)
    assert "PC104" in codes, codes  # the example's `1 working day` against 24 hours


def test_the_neovim_0_8_snippet_runs_as_written_with_0_8s_functions(tmp_path: Path) -> None:
    snippet = _blocks("lua")[0]  # "Neovim 0.8 and later"
    assert "vim.lsp.start(" in snippet and "start_client" not in snippet
    codes, repo = _run_neovim(tmp_path, snippet, shim=SHIM)
    assert "PC104" in codes, codes
    command, root = (tmp_path / "config.txt").read_text(encoding="utf-8").splitlines()
    assert command == "policycoord lsp"
    assert Path(root).resolve() == Path(repo).resolve()
