"""The browser workspace's save, at scale: in a partnership of N
organisations (benchmarks/generate.py), the server-side time of one save:
the POST of a section's form with one field changed, through the editing
layer (open, compare the SHA-256, edit, atomic write), the workspace's
re-check of the partnership (`Workspace.reread`: only the saved file is
read again) and the findings fixed and introduced, to the page answered.

The app runs in-process behind its Guard (Starlette's TestClient: no
network, so the time is the server's); each save alternates a role's title
between two values so that every save writes. Prints the times of the
saves (best, median, worst), of the re-check alone, and of a first check.

    python benchmarks/serve_save.py --orgs 1000
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import urlencode

from generate import ensure

from policycoord.serve.app import make_app
from policycoord.serve.security import Secrets
from policycoord.workflows.workspace import Workspace

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PORT = 8000
ORIGIN = f"http://127.0.0.1:{PORT}"


def _fields(html: str) -> list[tuple[str, str]]:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from serve.serving import forms_of

    form = next(f for f in forms_of(html) if "/edit/" in f["action"])
    return form["action"], form["fields"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        made = Path(scratch) / "made"
        ensure(made, args.orgs)
        repo = Path(scratch) / "repo"
        shutil.copytree(made, repo)
        started = time.perf_counter()
        workspace = Workspace(repo)
        first = workspace.check()
        first_check = time.perf_counter() - started
        inside: list[float] = []
        reread = workspace.reread

        def timed_reread(paths):  # type: ignore[no-untyped-def]
            began = time.perf_counter()
            try:
                return reread(paths)
            finally:
                inside.append(time.perf_counter() - began)

        workspace.reread = timed_reread  # type: ignore[method-assign]
        secrets = Secrets(PORT)
        client = TestClient(make_app(workspace, secrets, host="127.0.0.1"), base_url=ORIGIN)
        client.cookies.set(secrets.cookie, secrets.token)
        org = first.model.organisations[len(first.model.organisations) // 2]
        page = client.get(f"/org/{org.id}/edit/roles")
        action, fields = _fields(page.text)
        title = "/roles/0/title"
        original = dict(fields)[title]
        saves = []
        for number in range(args.saves):
            value = original if number % 2 else original + " (acting)"
            changed = [(n, value if n == title else v) for n, v in fields]
            body = urlencode(changed)
            headers = {"origin": ORIGIN, "content-type": "application/x-www-form-urlencoded"}
            began = time.perf_counter()
            answer = client.post(action, content=body, headers=headers)
            saves.append(time.perf_counter() - began)
            assert answer.status_code == 200 and "Saved" in answer.text, answer.text[-500:]
            action, fields = _fields(answer.text)
    ms = [s * 1000 for s in saves]
    rest = [(s - r) * 1000 for s, r in zip(saves, inside, strict=True)]
    print(f"organisations: {len(first.model.organisations)}; files: {len(first.files)}")
    print(f"first check: {first_check * 1000:.0f} ms")
    print(
        f"save (POST to page answered), {len(ms)} saves: best {min(ms):.0f} ms, "
        f"median {statistics.median(ms):.0f} ms, worst {max(ms):.0f} ms"
    )
    print(
        f"of which the re-check (Workspace.reread of the saved file): median "
        f"{statistics.median(inside) * 1000:.0f} ms; the rest (reading the form, opening, "
        f"editing and writing the file, the page): median {statistics.median(rest):.0f} ms"
    )
    print(f"target: 150 ms; median save / target: {statistics.median(ms) / 150:.2f}x")


if __name__ == "__main__":
    main()
