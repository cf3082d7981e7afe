"""The browser workspace's flows, in-process: a finding linked to its field,
a fix saved with the file's other bytes kept and the finding gone, a save
with no change, a file changed on disk while the form was open, a list
button, a new organisation, the workshop's commitments and pack."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from .serving import example_repo, forms_of, replace, serve_repo

SURGERY = "orgs/riverside-surgery.yaml"
WITHIN = "/responsibilities/0/within"


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    return serve_repo(example_repo(tmp_path))


def _form(served, path):
    page = served.client.get(path)
    assert page.status_code == 200, page.text[-400:]
    return next(f for f in forms_of(page.text) if "/edit/" in f["action"]), page.text


def test_the_dashboard_links_each_finding_to_the_field_behind_it(served):
    html = served.client.get("/").text
    assert "Responsibility matrix" in html and "Escalation paths" in html and "<svg" in html
    href = f"/org/riverside-surgery/edit/responsibilities#field-{WITHIN}"
    assert f'href="{href}"' in html
    page = served.client.get(href.partition("#")[0]).text
    assert f'id="field-{WITHIN}"' in page
    assert "PC104" in page  # the finding is shown on the form's page too


def test_a_fix_saved_through_the_form_goes_and_keeps_every_other_byte(served):
    before = (served.repo / SURGERY).read_text(encoding="utf-8")
    form, _ = _form(served, "/org/riverside-surgery/edit/responsibilities")
    assert (WITHIN, "1 working day") in form["fields"]
    answer = served.post(form["action"], replace(form["fields"], WITHIN, "24 hours"))
    assert answer.status_code == 200
    text = answer.text
    assert "Fixed by this change" in text and "PC104" in text.split("Fixed by this change")[1]
    after = (served.repo / SURGERY).read_text(encoding="utf-8")
    old_lines, new_lines = before.splitlines(), after.splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert changed == [("    within: 1 working day", "    within: 24 hours")]
    assert old_lines[0].startswith("# yaml-language-server")  # the comment kept
    dashboard = served.client.get("/").text
    assert "orgs/riverside-surgery.yaml:23" not in dashboard


def test_a_save_with_no_change_writes_nothing(served):
    file = served.repo / SURGERY
    before, stamp = file.read_bytes(), file.stat().st_mtime_ns
    form, _ = _form(served, "/org/riverside-surgery/edit/responsibilities")
    answer = served.post(form["action"], form["fields"])
    assert answer.status_code == 200 and "Nothing changed" in answer.text
    assert file.read_bytes() == before and file.stat().st_mtime_ns == stamp


def test_a_file_changed_on_disk_while_the_form_was_open_is_not_written_over(served):
    file = served.repo / SURGERY
    form, _ = _form(served, "/org/riverside-surgery/edit/responsibilities")
    theirs = file.read_text(encoding="utf-8").replace("summary:", "# pulled from git\nsummary:", 1)
    file.write_text(theirs, encoding="utf-8")
    answer = served.post(form["action"], replace(form["fields"], WITHIN, "12 hours"))
    assert answer.status_code == 409
    assert "changed while this page was open" in answer.text
    assert file.read_text(encoding="utf-8") == theirs  # nothing lost of theirs
    assert 'value="12 hours"' in answer.text  # nor of yours: the form shows it again
    assert "12 hours" in answer.text.split("What you wrote")[1]
    again = next(f for f in forms_of(answer.text) if "/edit/" in f["action"])
    assert served.post(again["action"], again["fields"]).status_code == 200  # saved now
    assert "within: 12 hours" in file.read_text(encoding="utf-8")
    assert "# pulled from git" in file.read_text(encoding="utf-8")


def test_a_list_button_shows_the_form_again_and_saves_nothing(served):
    file = served.repo / SURGERY
    before = file.read_bytes()
    form, _ = _form(served, "/org/riverside-surgery/edit/responsibilities")
    add = [b for b in form["buttons"] if "add" in b[1]]
    assert add, form["buttons"]
    answer = served.post(form["action"], [*form["fields"], add[0]])
    assert answer.status_code == 200
    assert file.read_bytes() == before
    rows = len(re.findall(r'name="/responsibilities/\d+/duty"', answer.text))
    assert (
        rows
        == len(
            re.findall(
                r'name="/responsibilities/\d+/duty"',
                _form(served, "/org/riverside-surgery/edit/responsibilities")[1],
            )
        )
        + 1
    )


def test_a_new_organisation_gets_its_file_where_the_patterns_look(served):
    fields = {
        "csrf_token": served.secrets.csrf,
        "id": "oak-nursery",
        "name": "Oak Nursery",
        "sector": "early-years",
    }
    answer = served.post("/new", fields)
    assert answer.status_code == 201, answer.text[-500:]
    made = served.repo / "orgs/oak-nursery.yaml"
    assert made.read_text(encoding="utf-8") == (
        "policycoord: 1\norganisation:\n  id: oak-nursery\n  name: Oak Nursery\n"
        "  sector: early-years\n"
    )
    assert "Created orgs/oak-nursery.yaml" in answer.text
    assert "PC007" in answer.text  # not ticked: it is not among the members
    fields["id"], fields["name"], fields["member"] = "elm-club", "Elm Club", "yes"
    answer = served.post("/new", fields)
    assert answer.status_code == 201 and "PC007" not in answer.text
    assert "Added elm-club to the partnership&#39;s members" in answer.text
    partnership = yaml.safe_load((served.repo / "partnership.yaml").read_text(encoding="utf-8"))
    assert partnership["partnership"]["members"][-1] == "elm-club"
    assert "oak-nursery" not in partnership["partnership"]["members"]
    assert "Oak Nursery" in served.client.get("/").text
    assert served.client.get("/org/oak-nursery").status_code == 200
    again = served.post("/new", fields)
    assert again.status_code == 422 and "is taken" in again.text


def test_the_workshop_saves_a_commitment_typed_in_the_room(served):
    file = served.repo / "orgs/riverside-fc.yaml"
    before = file.read_text(encoding="utf-8")
    page = served.client.get("/workshop/listen-to-children")
    assert page.status_code == 200
    form = next(f for f in forms_of(page.text) if f["action"].startswith("/workshop/"))
    typed = "We ask every young player, once a season, what would make the club safer."
    fields = replace(form["fields"], "new/riverside-fc", typed)
    answer = served.post(form["action"], fields)
    assert answer.status_code == 200
    after = file.read_text(encoding="utf-8")
    assert typed in after and after.startswith(before.split("commitments:")[0])
    assert typed in answer.text
    pack = served.client.get("/workshop/pack")
    assert pack.status_code == 200 and typed in pack.text


def test_the_workshop_keeps_what_was_typed_when_the_file_changed(served):
    file = served.repo / "orgs/riverside-fc.yaml"
    page = served.client.get("/workshop/listen-to-children")
    form = next(f for f in forms_of(page.text) if f["action"].startswith("/workshop/"))
    file.write_text(file.read_text(encoding="utf-8") + "# edited elsewhere\n", encoding="utf-8")
    answer = served.post(form["action"], replace(form["fields"], "new/riverside-fc", "Kept."))
    assert answer.status_code == 409
    assert ">Kept.</textarea>" in answer.text
    assert "Kept." not in file.read_text(encoding="utf-8")


def test_the_organisation_page_reads_as_a_policy_with_its_findings(served):
    html = served.client.get("/org/riverside-surgery").text
    for words in (
        "Roles and how to reach them",
        "Responsibilities",
        "Escalation paths",
        "Glossary",
        "Commitments to the joint mission",
    ):
        assert words in html
    assert "up to 96 hours over a bank-holiday weekend" in html
    assert "PC104" in html and "PC207" in html
    assert "<svg" in html


def test_the_timeframe_explains_itself(served):
    answer = served.client.get("/api/timeframe", params={"text": "1 working day"})
    assert answer.status_code == 200
    assert answer.text.startswith("1 working day: up to 96 hours")


def test_the_partnership_file_is_edited_too(served):
    form, _ = _form(served, "/partnership/edit/waivers")
    assert ("/waivers/1/expires", "2026-09-30") in form["fields"]
    answer = served.post(
        form["action"], replace(form["fields"], "/waivers/1/expires", "2027-09-30")
    )
    assert answer.status_code == 200
    assert "PC405" in answer.text.split("Fixed by this change")[1]
    assert "expires: 2027-09-30" in (served.repo / "partnership.yaml").read_text(encoding="utf-8")


def test_a_value_the_schema_refuses_is_shown_with_its_problem_and_not_saved(served):
    file = served.repo / SURGERY
    before = file.read_bytes()
    form, _ = _form(served, "/org/riverside-surgery/edit/roles")
    answer = served.post(form["action"], replace(form["fields"], "/roles/0/id", "Not An Id!"))
    assert answer.status_code == 200
    assert file.read_bytes() == before
    assert 'value="Not An Id!"' in answer.text
    assert 'aria-invalid="true"' in answer.text


def test_a_file_that_cannot_be_edited_safely_says_why(served):
    file = served.repo / SURGERY
    file.write_text(file.read_text(encoding="utf-8") + "summary: one\nsummary: two\n", "utf-8")
    answer = served.client.get("/org/riverside-surgery/edit/roles")
    assert answer.status_code == 409
    assert "cannot be edited here" in answer.text and "PC002" in answer.text
    assert served.client.get("/org/riverside-surgery").status_code == 200  # still readable


def test_a_change_made_on_disk_shows_on_the_next_page(served):
    file = served.repo / SURGERY
    assert "PC104" in served.client.get("/").text.split("riverside-surgery.yaml:23")[0][-3000:]
    file.write_text(
        file.read_text(encoding="utf-8").replace("within: 1 working day", "within: 24 hours", 1),
        encoding="utf-8",
    )
    assert "riverside-surgery.yaml:23" not in served.client.get("/").text


def test_a_new_organisation_goes_where_the_policies_patterns_say(tmp_path):
    from conftest import make_repo

    from .serving import serve_repo as serve

    repo = make_repo(
        tmp_path / "r",
        {
            "partnership.yaml": (
                "policycoord: 1\npartnership: {id: p, name: P, policies: ['members/**/*.yml']}\n"
            )
        },
    )
    served = serve(repo)
    fields = {"csrf_token": served.secrets.csrf, "id": "new-club", "name": "New Club"}
    answer = served.post("/new", {**fields, "sector": "sport"})
    assert answer.status_code == 201
    assert (repo / "members/new-club.yml").is_file()
    assert "members/new-club.yml" in served.client.get("/").text


def test_a_save_takes_the_file_its_form_opened_only_while_its_bytes_are_the_same(tmp_path):
    """A section's form page keeps the file it opened; the save of that form
    takes it (no second parse) when the file still holds the same bytes, with
    the file's status as it is now; otherwise the file is opened again."""
    import os

    from policycoord.editing import Document
    from policycoord.serve.security import Secrets
    from policycoord.serve.state import Served as State
    from policycoord.serve.writing import opened

    repo = example_repo(tmp_path)
    state = State(serve_repo(repo).workspace, Secrets(8000))
    target = state.target(state.workspace.check(), "riverside-surgery")
    assert target is not None
    shown = opened(state, target, keep=True)
    assert isinstance(shown, Document) and state.kept is shown
    file = repo / SURGERY
    os.chmod(file, 0o600)
    taken = opened(state, target)
    assert isinstance(taken, Document) and state.kept is None
    assert taken.spare is shown.spare and taken.raw == shown.raw  # not parsed again
    assert taken.snapshot.mode == 0o600 and taken.snapshot.sha256 == shown.snapshot.sha256
    shown = opened(state, target, keep=True)
    assert isinstance(shown, Document)
    file.write_bytes(file.read_bytes() + b"# a line added\n")
    fresh = opened(state, target)
    assert isinstance(fresh, Document) and fresh.spare is not shown.spare
    assert fresh.raw == file.read_bytes() and fresh.snapshot.sha256 != shown.snapshot.sha256
    assert opened(state, target) is not fresh  # nothing kept by a save's own opening


def test_a_new_organisation_in_a_partnership_kept_in_sector_folders(tmp_path):
    # `policies: ["orgs/*/*.yaml"]` (tests/acceptance/harbour): no file may go
    # straight into orgs/; the page offers the folders the policies are in,
    # the one where the sector's organisations are first, and a folder posted
    # that is not one of them is never used as a path
    from conftest import ACCEPTANCE

    from .serving import serve_repo as serve

    repo = tmp_path / "harbour"
    shutil.copytree(ACCEPTANCE / "harbour", repo)
    served = serve(repo)
    page = served.client.get("/new").text
    assert '<select id="new-folder" name="folder"' in page
    for folder in ("orgs/community", "orgs/education", "orgs/health", "orgs/statutory"):
        assert f'<option value="{folder}"' in page
    fields = {"csrf_token": served.secrets.csrf, "name": "Harbourne Sea Scouts", "sector": "sport"}
    answer = served.post("/new", {**fields, "id": "harbourne-sea-scouts"})
    assert answer.status_code == 201, answer.text[-800:]
    assert (repo / "orgs/community/harbourne-sea-scouts.yaml").is_file()  # beside the rowing club
    answer = served.post("/new", {**fields, "id": "harbourne-sea-cadets", "folder": "../../tmp"})
    assert answer.status_code == 201
    assert (repo / "orgs/community/harbourne-sea-cadets.yaml").is_file()
    chosen = {**fields, "id": "quay-nursery", "sector": "early-years", "folder": "orgs/health"}
    assert served.post("/new", chosen).status_code == 201
    assert (repo / "orgs/health/quay-nursery.yaml").is_file()  # the person's choice


def test_an_unexpected_error_in_the_pack_or_the_timeframe_help_is_a_page_not_a_traceback(
    served, monkeypatch, capfd
):
    import policycoord.serve.workshop as workshop
    import policycoord.views.choices as choices

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(workshop, "pack_html", broken)
    monkeypatch.setattr(choices, "timeframe_in_words", broken)
    pack = served.client.get("/workshop/pack")
    assert pack.status_code == 500 and "Something went wrong" in pack.text
    assert "RuntimeError" in pack.text and "Traceback" not in pack.text
    help_text = served.client.get("/api/timeframe?text=1%20day")
    assert help_text.status_code == 500 and help_text.text == ""
    assert "Traceback" not in capfd.readouterr().err


def test_a_new_organisation_the_patterns_would_not_read_makes_nothing(tmp_path):
    # `policies: ['policies/**']` lists folders only: the file would never be
    # read, so neither it nor its folder is made (the folder was made, and
    # left behind, before the patterns were asked)
    from conftest import make_repo

    from .serving import serve_repo as serve

    text = "policycoord: 1\npartnership: {id: p, name: P, policies: ['policies/**']}\n"
    repo = make_repo(tmp_path / "r", {"partnership.yaml": text})
    served = serve(repo)
    fields = {"csrf_token": served.secrets.csrf, "id": "new-club", "name": "New Club"}
    answer = served.post("/new", {**fields, "sector": "sport"})
    assert answer.status_code == 409
    assert "would not read policies/new-club.yaml" in answer.text
    assert sorted(p.name for p in repo.iterdir()) == ["partnership.yaml"]
