"""The HTML report in a real headless browser (Debian's chromium): its script
runs without breaking the page, its filter works, it loads nothing, and it
draws a screenshot with something on it and prints to A4 PDF pages.

Skipped with a reason when chromium is not installed, except under CI
(`CI` set), where .ci/run installs it and a missing browser is a failure.
Every browser run has a timeout and a fresh profile folder.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import EXAMPLES, TODAY, run_cli

#: How the browser is started: headless, no sandbox (CI runs as root), and
#: nothing that reaches out to the network on its own.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
TIMEOUT = 120  # seconds, per browser run


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run should have installed it")
        pytest.skip(
            "chromium is not installed (apt-get install -y --no-install-recommends chromium)"
        )
    return found


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("report") / "report.html"
    code, _, err = run_cli("check", "--today", TODAY, "-o", target, cwd=EXAMPLES)
    assert code == 1, err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    return target


def browse(chromium: str, profile: Path, page: Path, *action: str) -> str:
    """Run the browser once on `page` with `action` flags; its stdout."""
    completed = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *action, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


def test_script_runs_and_the_page_stays_whole(chromium: str, report: Path, tmp_path: Path) -> None:
    dom = browse(chromium, tmp_path / "profile", report, "--dump-dom")
    # the script ran to its end, and the stylesheet was applied (both are
    # allowed by the page's Content-Security-Policy hashes)
    assert re.search(r'<html lang="en" data-styled="yes" data-filters="ready">', dom), dom[:300]
    # it showed the filter form and counted the findings
    assert re.search(r'<form id="filters" class="filters">', dom)
    assert "Showing all 19 findings." in dom
    # the rest of the page is still there
    assert dom.count("<svg") == 4 and dom.count('data-severity="') == 19
    assert "</main>" in dom and "</footer>" in dom


def test_page_loads_nothing_from_the_network(chromium: str, report: Path, tmp_path: Path) -> None:
    dom = browse(chromium, tmp_path / "profile", report, "--dump-dom")
    (policy,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', dom)
    assert policy.startswith("default-src 'none'; ")
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", dom, re.I)
    assert not re.search(r"<(img|link|iframe|object|embed|audio|video|base)\b", dom)


def test_filter_hides_rows(chromium: str, report: Path, tmp_path: Path) -> None:
    """Untick warnings and info, pick the escalation family: only the
    escalation errors are left. (A copy of the page without its policy meta,
    so that the test's own script may run after the page's.)"""
    html = report.read_text(encoding="utf-8")
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', "", html)
    driver = """<script>
      for (const box of document.querySelectorAll("input[name=severity]")) {
        box.checked = box.value === "error";
      }
      document.getElementById("filter-family").value = "escalation";
      document.getElementById("filters").dispatchEvent(new Event("change"));
    </script>
    </body>"""
    copy = tmp_path / "filtered.html"
    copy.write_text(html.replace("</body>", driver), encoding="utf-8")
    dom = browse(chromium, tmp_path / "profile", copy, "--dump-dom")
    rows = re.findall(r"<tr class=\"finding [a-z]+\"([^>]*)>", dom)
    shown = [row for row in rows if " hidden" not in row]
    assert len(rows) == 19
    assert len(shown) == 5  # PC201, PC203, PC204, PC205, PC207
    for row in shown:
        assert 'data-severity="error"' in row and 'data-family="escalation"' in row
    assert "Showing 5 of 19 findings (filtered)." in dom


def png_rows(data: bytes, count: int) -> tuple[int, int, list[bytes]]:
    """Width, height and the first `count` rows of pixels of an 8-bit RGB or
    RGBA, non-interlaced PNG (what chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    assert (depth, interlace) == (8, 0) and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    compressed, at = b"", 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        if kind == b"IDAT":
            compressed += data[at + 8 : at + 8 + length]
        at += 12 + length
    stride = width * channels
    raw = zlib.decompressobj().decompress(compressed, (stride + 1) * count)
    rows: list[bytes] = []
    previous = bytes(stride)
    for number in range(count):
        line = raw[number * (stride + 1) : (number + 1) * (stride + 1)]
        kind, scan = line[0], bytearray(line[1:])
        for i in range(stride):
            left = scan[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                scan[i] = (scan[i] + left) & 0xFF
            elif kind == 2:
                scan[i] = (scan[i] + up) & 0xFF
            elif kind == 3:
                scan[i] = (scan[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                scan[i] = (scan[i] + predictor) & 0xFF
        previous = bytes(scan)
        rows.append(previous)
    return width, height, rows


def test_screenshot_shows_the_page(chromium: str, report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    browse(
        chromium,
        tmp_path / "profile",
        report,
        f"--screenshot={shot}",
        "--window-size=1280,2000",
    )
    data = shot.read_bytes()
    width, height, rows = png_rows(data, 300)  # the header: title, verdict, cards
    assert (width, height) == (1280, 2000)
    channels = len(rows[0]) // width
    colours = {row[i : i + 3] for row in rows for i in range(0, len(row), channels * 7)}
    assert len(colours) > 20, "the top of the page is not blank"
    # the verdict banner's pale red and the text's near-black are both there
    assert any(r > 240 and g < 240 and b < 240 for r, g, b in colours)
    assert any(max(c) < 60 for c in colours)
    assert len(data) > 50_000  # a blank page compresses to a few kilobytes


def test_prints_to_a4_pages(chromium: str, report: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    browse(
        chromium, tmp_path / "profile", report, f"--print-to-pdf={pdf}", "--no-pdf-header-footer"
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert len(boxes) > 1
    sizes = {(round(float(w)), round(float(h))) for w, h in boxes}
    # A4 portrait, and A4 landscape for the responsibility matrix
    assert sizes == {(595, 842), (842, 595)}
