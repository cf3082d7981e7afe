"""The forms as HTML (output/forms.py, templates/html/forms.html.j2): every
section of every example organisation and of the partnership file drawn,
every control labelled, help and problems tied to their controls, list
buttons named after their item, ids unique and derived from pointers, no
inline script or style (the workspace's Content-Security-Policy forbids
them), and the Nu HTML Checker finding no error in a page of them."""

from __future__ import annotations

import datetime
import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, PROJECT_ROOT, TODAY
from views.form_submission import parse, unlabelled

from output.reporters.test_html_in_browser import TIMEOUT, vnu  # noqa: F401  (a fixture)
from policycoord.input.loading import load_file
from policycoord.output.forms import FORMS_SCRIPT, FORMS_STYLESHEET, render_form_html
from policycoord.output.reporters.html_page import asset
from policycoord.views.choices import Choices, choices_for
from policycoord.views.forms import Form, form_for, sections
from policycoord.workflows.pipeline import Options, load_model


@functools.cache
def choices() -> Choices:
    model = load_model([str(EXAMPLES)], options=Options(today=datetime.date.fromisoformat(TODAY)))
    return choices_for(model)


FILES = [EXAMPLES / "partnership.yaml", *sorted((EXAMPLES / "orgs").glob("*.yaml"))]


def forms_of(path: Path) -> list[Form]:
    data = load_file(path, str(path)).data
    assert isinstance(data, dict)
    kind = "partnership" if "partnership" in data else "policy"
    organisation = data["organisation"]["id"] if kind == "policy" else None
    return [
        form_for(kind, section, data.get(section), choices(), organisation)
        for section in sections(kind)
    ]


def html_of(path: Path) -> str:
    return "\n".join(render_form_html(form, "token", "/save") for form in forms_of(path))


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_control_has_a_label_and_every_reference_an_element(path: Path) -> None:
    html = html_of(path)
    assert unlabelled(html) == []
    parser = parse(html)
    ids = set(parser.ids)
    for tag, attributes in parser.tags:
        for token in attributes.get("aria-describedby", "").split():
            assert token in ids, f"<{tag}> is described by a missing #{token}"
        if tag == "input" and "list" in attributes:
            assert attributes["list"] in ids
        if tag == "input" and attributes.get("type") not in ("hidden", "checkbox"):
            assert attributes.get("id", "").startswith("field-/")


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_ids_are_unique_and_there_is_no_inline_script_or_style(path: Path) -> None:
    for form in forms_of(path):
        html = render_form_html(form, "token", "/save")
        parser = parse(html)
        assert len(parser.ids) == len(set(parser.ids)), form.section
        for tag, attributes in parser.tags:
            assert tag not in ("script", "style"), form.section
            assert "style" not in attributes, form.section
            assert not any(name.startswith("on") for name in attributes), form.section


def test_fields_link_from_a_findings_pointer_and_show_it_beside_the_control() -> None:
    form = forms_of(EXAMPLES / "orgs" / "st-marys-primary.yaml")[3]  # responsibilities
    assert form.section == "responsibilities"
    html = render_form_html(
        form,
        "token",
        "/save",
        {"/responsibilities/0/within": ["Longer than the partnership allows <b>"]},
        problems=[("/responsibilities/1/role", "Fill in your role: it is needed.")],
    )
    control = re.search(r'<input type="text" id="field-/responsibilities/0/within"[^>]*>', html)
    assert control is not None
    described = re.search(r'aria-describedby="([^"]*)"', control.group())
    assert described is not None
    assert "field-/responsibilities/0/within-problem" in described.group(1).split()
    assert 'aria-invalid="true"' in control.group()
    assert "Longer than the partnership allows &lt;b&gt;" in html
    assert '<ul class="pc-problems" id="field-/responsibilities/1/role-problem">' in html
    assert "Fill in your role: it is needed." in html


def test_list_buttons_are_real_submit_buttons_named_after_their_item() -> None:
    form = forms_of(EXAMPLES / "orgs" / "st-marys-primary.yaml")[2]  # roles
    html = render_form_html(form, "token", "/save")
    buttons = [attributes for tag, attributes in parse(html).tags if tag == "button"]
    actions = {attributes.get("value") for attributes in buttons}
    assert {"add:/roles", "remove:/roles/1", "up:/roles/1", "down:/roles/1"} <= actions
    assert all(attributes["type"] == "submit" for attributes in buttons)
    text = re.sub(r"<[^>]+>", "", html)
    assert "Remove role 2: Deputy Designated Safeguarding Lead (Early Years Leader)" in text
    assert "Move up role 2: Deputy Designated Safeguarding Lead" in text
    assert "Add a role to roles" in text
    first_up = re.search(r'<button[^>]*value="up:/roles/0"[^>]*>', html)
    assert first_up is not None and "disabled" in first_up.group()
    assert html.index('name="csrf_token" value="token"') < html.index('name="action"')


def test_roles_are_grouped_by_organisation_and_choices_read_in_words() -> None:
    form = forms_of(EXAMPLES / "orgs" / "st-marys-primary.yaml")[4]  # escalations
    assert form.section == "escalations"
    html = render_form_html(form, "token", "/save")
    assert '<optgroup label="Northshire Council Children&#39;s Services">' in html
    assert "Multi-Agency Safeguarding Hub (office hours only)</option>" in html
    assert 'data-explain="field-/escalations/0/steps/0/within-explanation"' in html
    assert 'aria-live="polite">immediately: without any wait</p>' in html


def test_the_stylesheet_and_script_are_files_and_the_script_asks_the_documented_address() -> None:
    assert ".pc-visually-hidden" in asset(FORMS_STYLESHEET)
    script = asset(FORMS_SCRIPT)
    assert "/api/timeframe?text=" in script and "textContent" in script
    assert "innerHTML" not in script


def _page(body: str, title: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<link rel="stylesheet" href="/static/forms.css">\n'
        '<script src="/static/forms.js" defer></script>\n'
        f"</head>\n<body>\n<main>\n<h1>{title}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )


def test_nu_html_checker_finds_no_error_in_the_forms(
    vnu: tuple[str, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    java, jar = vnu
    pages = []
    for path in FILES:
        page = tmp_path / f"{path.stem}.html"
        page.write_text(_page(html_of(path), f"Edit {path.stem}"), encoding="utf-8")
        pages.append(str(page))
    roles = forms_of(EXAMPLES / "orgs" / "st-marys-primary.yaml")[2]
    with_problems = render_form_html(
        roles,
        "token",
        "/save",
        {"/roles/0/title": ["A finding"], "/roles": ["Another"]},
        problems=[("/roles/1/id", "Write a role id"), ("/roles/0/contact", "Fill in")],
    )
    page = tmp_path / "problems.html"
    page.write_text(_page(with_problems, "Problems"), encoding="utf-8")
    pages.append(str(page))
    completed = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )
    result: dict[str, Any] = json.loads(completed.stderr or completed.stdout)
    errors = [
        f"{Path(m.get('url', '')).name} line {m.get('lastLine')}: {m.get('message')} "
        f"[{m.get('extract', '')!r}]"
        for m in result["messages"]
    ]
    assert not errors, "\n".join(errors[:20])
    assert completed.returncode == 0


def test_a_finding_below_any_field_is_shown_at_the_nearest_field_above_it() -> None:
    form = forms_of(EXAMPLES / "orgs" / "st-marys-primary.yaml")[2]  # roles
    html = render_form_html(
        form,
        "token",
        "/save",
        {"/roles/1/pager": ["Unknown key pager"], "/glossary/0": ["Not this form"]},
    )
    assert '<ul class="pc-problems" id="field-/roles/1-problem">' in html
    assert "Unknown key pager" in html and "Not this form" not in html


_RENDER_ALL = """
import datetime, hashlib, sys
from policycoord.input.loading import load_file
from policycoord.output.forms import render_form_html
from policycoord.views.choices import choices_for
from policycoord.views.forms import form_for, sections
from policycoord.workflows.pipeline import Options, load_model
root = sys.argv[1]
model = load_model([root], options=Options(today=datetime.date(2026, 11, 24)))
choices = choices_for(model)
digest = hashlib.sha256()
files = (("partnership.yaml", None), ("orgs/st-marys-primary.yaml", "st-marys-primary"))
for name, organisation in files:
    data = load_file(f"{root}/{name}", name).data
    kind = "policy" if organisation else "partnership"
    for section in sections(kind):
        form = form_for(kind, section, data.get(section), choices, organisation)
        digest.update(render_form_html(form, "token", "/save").encode())
print(digest.hexdigest())
"""


def test_the_same_forms_whatever_the_hash_seed() -> None:
    outputs = set()
    for seed in ("1", "2"):
        completed = subprocess.run(
            [sys.executable, "-c", _RENDER_ALL, str(EXAMPLES)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(PROJECT_ROOT / "src")},
            timeout=TIMEOUT,
            check=True,
        )
        outputs.add(completed.stdout)
    assert len(outputs) == 1


def test_problems_that_stopped_a_save_are_summed_up_first_with_links() -> None:
    form = forms_of(EXAMPLES / "orgs" / "st-marys-primary.yaml")[2]  # roles
    problems = [("/roles/0/id", "Write a role id <now>"), ("/roles/1/zz", "Unknown")]
    html = render_form_html(form, "token", "/save", problems=problems)
    summary = html[html.index('<div class="pc-problem-summary"') : html.index("</div>")]
    assert "Nothing was saved: 2 things need changing" in summary
    assert '<a href="#field-/roles/0/id">Write a role id &lt;now&gt;</a>' in summary
    assert '<a href="#field-/roles/1">Unknown</a>' in summary
    assert html.index("pc-problem-summary") < html.index('name="csrf_token"')
    assert "pc-problem-summary" not in render_form_html(form, "token", "/save")


def test_a_selects_options_are_grouped_escaped_and_the_value_selected_once() -> None:
    from policycoord.output.form_options import select_options
    from policycoord.views.choices import Choice
    from policycoord.views.forms import Field

    offered = (
        Choice("dsl", "Designated <Lead>", "office hours only", "St Mary's"),
        Choice("a/mash", "A: MASH \u202e", "", "A & B"),
        Choice("a/edt", "A: EDT", "reachable 24/7", "A & B"),
    )
    field = Field(name="/x", key="x", label="X", kind="select", choices=offered, text="a/mash")
    html = str(select_options(field))
    assert html.count(" selected") == 1
    assert '<option value="a/mash" selected>A: MASH &lt;U+202E&gt;</option>' in html
    assert '<optgroup label="St Mary&#39;s">' in html and '<optgroup label="A &amp; B">' in html
    assert "Designated &lt;Lead&gt; (office hours only)" in html
    assert html.startswith('<option value="">Not given</option>')
    assert html.count("</optgroup>") == 2
    required = Field(name="/x", key="x", label="X", kind="select", choices=offered, required=True)
    assert str(select_options(required)).startswith('<option value="" selected>Choose one</option>')


def test_a_findings_backticked_ids_are_shown_as_code_as_in_the_report() -> None:
    form = forms_of(EXAMPLES / "orgs" / "st-marys-primary.yaml")[3]  # responsibilities
    message = "commits to `1 working day` on `refer-<x>`; an odd ` stays"
    html = render_form_html(form, "token", "/save", {"/responsibilities/0/within": [message]})
    assert "`" in html  # an unpaired backtick is shown as written
    paired = "commits to `1 working day` on `refer-<x>`"
    html = render_form_html(form, "token", "/save", {"/responsibilities/0/within": [paired]})
    assert "commits to <code>1 working day</code> on <code>refer-&lt;x&gt;</code>" in html
