"""Messages read as a safeguarding lead reads them (issue 19): whole words in
quotes, dates in sentences, names once, no internal keys. The rule cases
(cases/PCnnn.yaml) pin whole messages; these pin the helpers behind them
over many inputs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import make_repo
from hypothesis import given, settings
from hypothesis import strategies as st

from policycoord.checks.rules.pc303_avoided_term import _quote
from policycoord.checks.wording import subject_in_words
from policycoord.core.findings import fingerprint
from policycoord.workflows.pipeline import check

WORDS = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz,.'-", min_size=1, max_size=14).filter(
        lambda word: not re.search(r"[.]", word)  # no sentence ends inside the quote
    ),
    min_size=1,
    max_size=80,
)


@settings(max_examples=200, deadline=None)
@given(before=WORDS, after=WORDS, spaces=st.sampled_from([" ", "  ", " \t"]))
def test_pc303_quotes_whole_words_only(before: list[str], after: list[str], spaces: str) -> None:
    term = "child prostitution"
    text = spaces.join([*before, term, *after])
    start = text.index(term, len(spaces.join(before)))
    quote = _quote(text, start, start + len(term))
    assert term in quote
    inner = quote.removeprefix("…").removesuffix("…")
    assert len(inner) <= 160
    words, shown = text.split(), inner.split()
    # the words shown are a run of whole words of the text (none cut), with
    # an ellipsis exactly where words were left out
    assert any(
        words[i : i + len(shown)] == shown
        and quote.startswith("…") == (i > 0)
        and quote.endswith("…") == (i + len(shown) < len(words))
        for i in range(len(words))
    ), quote


def test_pc303_short_sentence_is_quoted_whole() -> None:
    text = "Staff are trained. We report child prostitution at once. Then we rest."
    start = text.index("child")
    assert _quote(text, start, start + len("child prostitution")) == (
        "We report child prostitution at once."
    )


def test_pc303_a_word_longer_than_the_quote_keeps_the_term() -> None:
    text = "x" * 400 + " child prostitution " + "y" * 400
    start = text.index("child")
    assert _quote(text, start, start + len("child prostitution")) == "…child prostitution…"


@pytest.mark.parametrize(
    ("subject", "words"),
    [
        ("edt", "`edt`"),
        ("significant-harm:northshire-cs/mash", "`significant-harm` at `northshire-cs/mash`"),
        ("significant-harm:out-of-hours", "`significant-harm` out of hours"),
        ("role:dls", "the role `dls`"),
        ("duty:refer", "the duty `refer`"),
        ("deputy:dsl", "the deputy of `dsl`"),
        (
            "significant-harm:a/dsl,b/dso",
            "`significant-harm` between `a/dsl` and `b/dso`",
        ),
        ("/roles/0/title:type", "the value at `/roles/0/title`"),
    ],
)
def test_subjects_in_words_show_every_id_and_no_key(subject: str, words: str) -> None:
    assert subject_in_words(subject) == words
    assert subject not in words or ":" not in subject


def test_pc102_fingerprint_is_the_one_it_had_at_the_responsibilities_key(tmp_path: Path) -> None:
    """PC102 moved from the `responsibilities:` key to the organisation's
    entry for the duty (or its id): baselines written before still match."""
    make_repo(
        tmp_path,
        {
            "partnership.yaml": """\
                policycoord: 1
                partnership: {id: north, name: North}
                duties:
                  - {id: safer-recruitment, title: Recruit safely, scope: each-member}
                  - {id: train-staff, title: Train staff, scope: each-member}
                """,
            "orgs/a.yaml": """\
                policycoord: 1
                organisation: {id: a, name: Alpha School, sector: education}
                roles: [{id: dsl, title: Designated Safeguarding Lead}]
                responsibilities:
                  - {duty: train-staff, role: dsl, raci: accountable}
                  - {duty: safer-recruitment, role: dsl, raci: consulted}
                """,
        },
    )
    (found,) = [f for f in check([str(tmp_path)]).findings if f.code == "PC102"]
    assert (found.location.line, found.location.pointer) == (6, "/responsibilities/1/duty")
    assert found.fingerprint == fingerprint(
        code="PC102",
        organisation="a",
        pointer="/responsibilities",
        subject="safer-recruitment",
        path="orgs/a.yaml",
    )
