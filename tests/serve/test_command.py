"""`policycoord serve` as a command: the errors it stops on (exit status 2,
one line, no traceback), --open, and the address it prints."""

from __future__ import annotations

import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from conftest import PROJECT_ROOT, clean_env, run_cli

from .serving import example_repo


def test_a_host_other_than_loopback_needs_allow_remote(tmp_path):
    repo = example_repo(tmp_path)
    status, out, err = run_cli("serve", repo, "--host", "0.0.0.0", cwd=tmp_path)
    assert status == 2 and out == ""
    assert "--allow-remote" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_no_partnership_file_is_exit_status_2(tmp_path):
    status, out, err = run_cli("serve", tmp_path, cwd=tmp_path)
    assert status == 2 and out == "" and "partnership.yaml" in err and "Traceback" not in err


def test_a_port_in_use_is_exit_status_2(tmp_path):
    repo = example_repo(tmp_path)
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        port = str(taken.getsockname()[1])
        status, out, err = run_cli("serve", repo, "--port", port, cwd=tmp_path)
    finally:
        taken.close()
    assert status == 2 and out == "" and f"Port {port} is in use" in err
    assert "Traceback" not in err
    status, _, err = run_cli("serve", repo, "--port", "70000", cwd=tmp_path)
    assert status == 2 and "is not a port" in err


def test_open_hands_the_address_to_the_browser(tmp_path):
    repo = example_repo(tmp_path)
    opened = tmp_path / "opened"
    write = "import sys; open(sys.argv[1], 'w').write(sys.argv[2])"
    browser = f"{shlex.quote(sys.executable)} -c {shlex.quote(write)} {opened} %s"
    env = clean_env({"PYTHONPATH": str(PROJECT_ROOT / "src"), "BROWSER": browser})
    process = subprocess.Popen(
        [sys.executable, "-m", "policycoord", "serve", str(repo), "--open"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    address = process.stdout.readline().strip()
    deadline = time.monotonic() + 20
    while not opened.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert Path(opened).read_text() == address


def test_sigterm_stops_it_as_ctrl_c_does(tmp_path):
    repo = example_repo(tmp_path)
    env = clean_env({"PYTHONPATH": str(PROJECT_ROOT / "src")})
    process = subprocess.Popen(
        [sys.executable, "-m", "policycoord", "serve", str(repo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith("http://127.0.0.1:")
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "stopped" in err and "Traceback" not in err
