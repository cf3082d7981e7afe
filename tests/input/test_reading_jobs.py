"""`--jobs`: files read by worker processes give the same report, byte for
byte, as files read in one process, broken files included (input/reading.py)."""

from __future__ import annotations

import datetime
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import EXAMPLES, PROJECT_ROOT, run_cli

from policycoord.checks import parallel
from policycoord.checks.rules import ALL_RULES
from policycoord.core.errors import PolicycoordError
from policycoord.core.findings import Report
from policycoord.input import reading
from policycoord.output.formats import RenderOptions, renderers
from policycoord.workflows.pipeline import Options, check, validate_files

TODAY = datetime.date(2026, 11, 24)

BROKEN = {
    "syntax.yaml": b"policycoord: 1\norganisation: [id: x\n",
    "duplicate-key.yaml": b"policycoord: 1\norganisation:\n  id: dup\n  id: dup2\n"
    b"  name: Dup\n  sector: sport\n",
    "schema.yaml": b"policycoord: 1\norganisation: {id: schema-org, name: S, sector: sport}\n"
    b"responsibilities:\n  - {duty: train-staff, role: x, raci: lead}\n",
    "invisible.yaml": 'policycoord: 1\norganisation: {id: inv, name: "In\u202evisible", '
    "sector: sport}\n".encode(),
    "latin-1.yaml": "policycoord: 1\norganisation: {id: caf\xe9}\n".encode("latin-1"),
    "bom.yaml": b"\xef\xbb\xbfpolicycoord: 1\norganisation: {id: bom, name: B, sector: sport}\n",
    "tag.yaml": b"policycoord: 1\norganisation: !!python/object:os.system {}\n",
    "twin.yaml": (EXAMPLES / "orgs" / "riverside-fc.yaml").read_bytes(),  # PC004
    "big.yaml": b"policycoord: 1\nsummary: " + b"x" * 40_000 + b"\n",  # over --max-file-size
    "list.yaml": b"- just\n- a list\n",
    "empty.yaml": b"",
}


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES, root)
    for name, content in BROKEN.items():
        (root / "orgs" / name).write_bytes(content)
    (root / "orgs" / "folder.yaml").mkdir()  # PC010
    return root


@pytest.fixture
def workers_for_any_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers even for a handful of files (the threshold is decided here,
    in the parent, whatever start method the workers use)."""
    monkeypatch.setattr(reading, "WORKERS_FROM_FILES", 1)
    monkeypatch.setattr(reading, "CHUNK_BOUNDS", (1, 3))
    monkeypatch.setattr(parallel, "FORK_RULES_FROM", 1)


def rendered(report: Report) -> dict[str, str]:
    options = RenderOptions(color=False, quiet=False, width=100)
    reporters = renderers("check")
    return {fmt: reporters[fmt](report, options) for fmt in ("json", "terminal", "sarif")}


def run_check(root: Path, jobs: int) -> dict[str, str]:
    options = Options(today=TODAY, jobs=jobs, max_file_size=30_000)
    return rendered(check([str(root)], options=options))


@pytest.mark.usefixtures("workers_for_any_number")
def test_check_reports_the_same_whatever_the_number_of_workers(repository: Path) -> None:
    one = run_check(repository, 1)
    codes = {finding["code"] for finding in _findings(one)}
    assert {"PC001", "PC002", "PC003", "PC004", "PC005", "PC009", "PC010"} <= codes
    assert run_check(repository, 2) == one
    assert run_check(repository, 3) == one


@pytest.mark.usefixtures("workers_for_any_number")
def test_validate_reports_the_same_whatever_the_number_of_workers(repository: Path) -> None:
    def run(jobs: int) -> dict[str, str]:
        options = Options(today=TODAY, jobs=jobs, max_file_size=30_000)
        return rendered(validate_files([str(repository)], cwd=repository, options=options))

    one = run(1)
    assert "partnership.yaml" not in {f["path"] for f in _findings(one)}
    assert run(2) == one


@pytest.mark.usefixtures("workers_for_any_number")
def test_workers_give_the_files_back_in_the_order_given(repository: Path) -> None:
    files = sorted((repository / "orgs").iterdir(), key=lambda f: f.name[::-1])
    pairs = [(file, f"shown/{file.name}") for file in files]
    kept = reading.read_files(
        pairs, each=lambda one: (one.loaded.path, one.kind), max_size=30_000, kind=None, jobs=3
    )
    assert kept == [(shown, "policy") for _, shown in pairs]


@pytest.mark.usefixtures("workers_for_any_number")
def test_workers_report_progress_in_order(repository: Path) -> None:
    seen: list[tuple[int, int]] = []
    check([str(repository)], options=Options(today=TODAY, jobs=2), progress=_record(seen))
    totals = {total for _, total in seen}
    assert len(totals) == 1
    done = [count for count, _ in seen]
    assert done == sorted(done) and done[-1] == totals.pop() and len(done) > 1


@pytest.mark.usefixtures("workers_for_any_number")
def test_spawned_workers_give_the_same_report(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where fork is not used (macOS, Windows, threads running) workers are
    spawned: fresh interpreters that import what they run."""
    one = run_check(repository, 1)
    import multiprocessing

    monkeypatch.setattr(reading, "_context", lambda: multiprocessing.get_context("spawn"))
    assert run_check(repository, 2) == one


def test_few_files_are_read_in_this_process(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_workers(*args: object, **kwargs: object) -> None:
        raise AssertionError("workers started for a handful of files")

    monkeypatch.setattr(reading, "_in_workers", no_workers)
    run_check(repository, 8)


@pytest.mark.usefixtures("workers_for_any_number")
def test_a_machine_without_worker_processes_reads_in_this_process(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    class NoProcesses:
        """A platform where processes cannot start (no sem_open, a sandbox)."""

        Pipe = staticmethod(multiprocessing.Pipe)

        def Process(self, *args: object, **kwargs: object) -> object:
            raise OSError(38, "Function not implemented")

    one = run_check(repository, 1)
    loads: list[object] = []
    real_load = reading.load_file

    def counted(*args: object, **kwargs: object) -> object:
        loads.append(args)
        return real_load(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reading, "_context", NoProcesses)
    monkeypatch.setattr("policycoord.workflows.pipeline.load_file", counted)
    assert run_check(repository, 2) == one
    assert len(loads) == len(list((repository / "orgs").iterdir())) + 1  # all read here


forked = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="workers are forked (see a stand-in) on Linux"
)


@forked
@pytest.mark.usefixtures("workers_for_any_number")
def test_a_worker_that_dies_stops_the_run_with_a_message(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    parent, real_read_file = os.getpid(), reading.read_file

    def die(*args: object, **kwargs: object) -> object:
        if os.getpid() == parent:  # this process reads chunks too
            return real_read_file(*args, **kwargs)  # type: ignore[arg-type]
        os._exit(9)

    monkeypatch.setattr(reading, "read_file", die)  # in the forked workers
    with pytest.raises(PolicycoordError, match="--jobs 1"):
        run_check(repository, 2)


@forked
@pytest.mark.usefixtures("workers_for_any_number")
def test_a_worker_that_fails_stops_the_run_with_what_failed(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    parent, real_read_file = os.getpid(), reading.read_file

    def fail(*args: object, **kwargs: object) -> object:
        if os.getpid() == parent:  # this process reads chunks too
            return real_read_file(*args, **kwargs)  # type: ignore[arg-type]
        raise ValueError("a bug")

    monkeypatch.setattr(reading, "read_file", fail)
    with pytest.raises(reading.WorkerError, match="ValueError: a bug"):
        run_check(repository, 2)


@forked
@pytest.mark.usefixtures("workers_for_any_number")
def test_the_rules_are_shared_with_a_forked_copy(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This process takes rules from the front of the queue (the jargon
    rules first), the copy from the back (the escalation rules first); each
    rule runs once, in one of them, and the report is the one of one job."""
    collected: list[object] = []
    real_collect = parallel._collect

    def collect(connection: object, process: object) -> object:
        found = real_collect(connection, process)
        collected.append(found)
        return found

    monkeypatch.setattr(parallel, "_collect", collect)
    one = run_check(repository, 1)
    assert collected == []
    assert run_check(repository, 2) == one
    (found,) = collected
    assert isinstance(found, list) and found  # (queue index, violations) for each rule it ran
    queue = parallel._queue([rule for rule in ALL_RULES if not hasattr(rule, "review")])
    assert queue[0].family == "jargon" and queue[-1].family == parallel.FORKED_FAMILY
    taken = [index for index, _ in found]
    assert taken == sorted(taken, reverse=True)  # from the back
    assert taken[0] == len(queue) - 1
    assert any(violations for _, violations in found)


def test_the_two_ends_of_the_queue_meet_once() -> None:
    ends = parallel._Ends(5)
    taken = [
        ends.claim(from_back=True, other=None),
        ends.claim(from_back=False, other=None),
        ends.claim(from_back=True, other=None),
        ends.claim(from_back=False, other=None),
        ends.claim(from_back=False, other=None),
        ends.claim(from_back=True, other=None),
        ends.claim(from_back=False, other=None),
    ]
    assert taken == [4, 0, 3, 1, 2, None, None]


def test_a_claim_is_not_held_up_by_a_copy_that_died_holding_the_lock() -> None:
    ends = parallel._Ends(3)
    assert ends._ends.get_lock().acquire()  # as a copy killed mid-claim leaves it
    assert ends.claim(from_back=False, other=None) == 0
    assert ends.claim(from_back=True, other=None) == 2


@forked
@pytest.mark.usefixtures("workers_for_any_number")
def test_rules_a_forked_copy_does_not_report_run_here(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def vanish(*args: object) -> None:
        import os

        os._exit(3)

    one = run_check(repository, 1)
    monkeypatch.setattr(parallel, "_observe_there", vanish)  # the copy dies at once
    assert run_check(repository, 2) == one


def test_command_line_jobs_give_the_same_report(tmp_path: Path) -> None:
    """End to end, with as many files as it takes for workers to start."""
    sys.path.insert(0, str(PROJECT_ROOT))
    try:
        from benchmarks.generate import generate
    finally:
        sys.path.remove(str(PROJECT_ROOT))
    root = tmp_path / "repo"
    generate(root, reading.WORKERS_FROM_FILES, terms=100)
    runs = {
        jobs: run_cli(
            "check", root, "--today", TODAY.isoformat(), "-f", "json", "--jobs", jobs, cwd=tmp_path
        )
        for jobs in ("1", "2")
    }
    assert runs["1"] == runs["2"]
    assert runs["1"][0] == 1 and '"PC202"' in runs["1"][1]
    code, _, err = run_cli("check", root, "--jobs", "0", cwd=tmp_path)
    assert code == 2 and "--jobs" in err


def _findings(out: dict[str, str]) -> list[dict[str, object]]:
    import json

    findings: list[dict[str, object]] = json.loads(out["json"])["findings"]
    return findings


def _record(seen: list[tuple[int, int]]) -> Callable[[int, int], None]:
    def progress(done: int, total: int) -> None:
        seen.append((done, total))

    return progress


#: The real entry point, with each worker stopping at its first file until
#: the test has sent Ctrl-C (as a terminal does: to the whole process group).
STOP_IN_A_WORKER = """
import os, sys, time
from pathlib import Path

marker, *arguments = sys.argv[1:]
from policycoord.checks import parallel
from policycoord.input import reading

parent, real_read_file = os.getpid(), reading.read_file

def read_file(*args, **kwargs):
    if os.getpid() == parent:  # the partnership file
        return real_read_file(*args, **kwargs)
    stat = Path(f"/proc/{os.getpid()}/stat").read_text(encoding="utf-8")
    started = stat.rsplit(")", 1)[1].split()[19]  # when it started: a reused pid differs
    Path(marker, str(os.getpid())).write_text(started, encoding="utf-8")
    time.sleep(300)

reading.read_file = read_file  # what the forked workers call
from policycoord.__main__ import main
sys.argv = ["policycoord", *arguments]
main()
"""


@forked
def test_ctrl_c_while_workers_read_exits_130_and_leaves_no_process(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import time

    from conftest import clean_env, make_repo, partnership, policy

    repo = make_repo(tmp_path / "repo", {"partnership.yaml": partnership()})
    for number in range(reading.WORKERS_FROM_FILES):
        make_repo(repo, {f"orgs/org-{number:04d}.yaml": policy(f"org-{number:04d}")})
    script = tmp_path / "stop.py"
    script.write_text(STOP_IN_A_WORKER, encoding="utf-8")
    markers = tmp_path / "reading"
    markers.mkdir()
    process = subprocess.Popen(
        [sys.executable, str(script), str(markers), "check", "--jobs", "3", "-o", "out.json"],
        cwd=repo,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, default signal handling
    )
    deadline = time.monotonic() + 120  # a hang, not a timing assertion
    while len([m for m in markers.iterdir() if m.read_text(encoding="utf-8")]) < 2:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the workers never started reading"
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert (process.returncode, out, err) == (130, "", "policycoord: interrupted.\n")
    assert not (repo / "out.json").exists()
    for worker in markers.iterdir():  # ended with the run, not left reading
        assert not _still_reading(worker.name, worker.read_text(encoding="utf-8"))


def _still_reading(pid: str, started: str) -> bool:
    """Whether the worker `pid` that started at `started` is still there and
    not a zombie (a process that has since taken the same pid is not it)."""
    try:
        fields = Path("/proc", pid, "stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
    except FileNotFoundError:  # gone (and reaped)
        return False
    return fields[19] == started and fields[0] != "Z"
