"""The language model's units: the same sentence is the same unit in every form of the
report (Markdown source, HTML paragraph, PDF page, table cell), so it is analysed once
and answered the same way everywhere."""

from __future__ import annotations

import pytest

from pipeline.gate.ner import analyse
from pipeline.gate.units import sentences

SAME = "The Panel met Anna Whitfield in March."


@pytest.mark.parametrize("text", [
    SAME,
    f"## {SAME}",
    f"16.51 {SAME}",
    f"1. {SAME}",
    f"- {SAME}",
    f"::: summary {SAME}",
    f"| 2022 | {SAME} |",
    f"  {SAME}   ",
    f"Earlier text ended here. {SAME} Later text follows.",
])
def test_a_sentence_is_one_unit_wherever_it_stands(text):
    units = list(sentences(text))
    assert SAME in [unit for _, unit in units]
    for start, unit in units:
        assert text[start:start + len(unit)] == unit  # a slice: findings map back


@pytest.mark.parametrize("text, pieces", [
    ("Mrs. Okafor met Prof. Lewandowska.", 1),  # titles do not end a sentence
    ("Kingston, P. (2019) Coercive control.", 1),  # nor an author's initial
    ("It was Anna. She left.", 2),
    ("Seen on 3.2.2023 by Dr Adebayo.", 1),
    ("no capital letters here at all.", 0),  # nothing a name could be
])
def test_sentence_ends(text, pieces):
    assert len(list(sentences(text))) == pieces


def test_white_space_is_read_as_one_space_and_hits_map_back():
    wrapped = "Mark met Sarah\n   Whitfield in\tLondon."
    flat = "Mark met Sarah Whitfield in London."
    a, b = analyse([wrapped, flat])
    assert [wrapped[h.start:h.end].split() for h in a] == \
        [flat[h.start:h.end].split() for h in b]
    assert ["Sarah", "Whitfield"] in [wrapped[h.start:h.end].split() for h in a]


def test_a_list_item_on_its_own_line_is_its_own_unit():
    text = "    - 2022: She was heard at MARAC.\n    - November 2022: Anna moved home."
    assert [u for _, u in sentences(text)] == ["2022: She was heard at MARAC.",
                                               "November 2022: Anna moved home."]


def test_a_heading_run_into_its_paragraph_on_a_pdf_page_is_its_own_unit():
    page = ("keep herself and her son safe, as the chair and the panel members agreed.\n"
            "In the family's words\n"
            "Anna was the brightest light in any room, and she loved long walks by the\n"
            "sea with Leo.\n"
            "3 Confidentiality\n"
            "3.1 The findings of a Domestic Homicide Review are confidential until the end.")
    units = [u for _, u in sentences(page)]
    assert "In the family's words" in units
    assert "Confidentiality" in units
    assert any(u.startswith("Anna was the brightest") for u in units)
    assert any(u.startswith("The findings of a Domestic") for u in units)


def test_a_wrapped_line_that_starts_with_a_name_is_not_cut():
    page = ("The panel heard from the family about the months before the move, and from\n"
            "Sarah Whitfield, who lived next door to them for many years in the same road.\n"
            "She was clear.")
    assert any("from Sarah Whitfield" in " ".join(u.split()) for _, u in sentences(page))


@pytest.mark.parametrize("text", [
    '{ "lessons": [ "The Panel met Anna Whitfield in March." ], "n": 2 }',
    '1,"The Panel met Anna Whitfield in March.",Local,"Kent Police"',
    '"The Panel met Anna Whitfield in March.",2',
])
def test_each_json_value_and_csv_cell_is_its_own_unit(text):
    assert SAME in [u for _, u in sentences(text)]


@pytest.mark.parametrize("form", [
    "The Panel met Anna Whitfield[^4] in March.",  # Markdown
    "The Panel met Anna Whitfield[4] in March.",  # HTML
    "The Panel met Anna Whitfield4 in March.",  # a PDF page's superscript
    "The Panel met **Anna Whitfield** in March.",
])
def test_a_footnote_call_or_bold_mark_reads_the_same_in_every_form(form):
    from pipeline.gate.ner import _squeeze

    text, where = _squeeze(form)
    assert text in ("The Panel met Anna Whitfield[^1] in March.",
                    "The Panel met Anna Whitfield in March.")
    assert len(where) == len(text)
    [hit] = [h for h in analyse([form])[0] if h.entity == "PERSON"]
    assert form[hit.start:hit.end].startswith("Anna")  # offsets map back to the form


def test_a_pdf_running_head_and_foot_are_units_of_their_own():
    from pipeline.gate.pdf_read import _apart

    pages = [f"text of page {n} ends mid\nReview into the death of Anna\nPage {n} of 9"
             for n in range(1, 10)]
    apart = _apart(pages)
    for n, page in enumerate(apart, start=1):
        units = [u for _, u in sentences(page)]
        assert "Review into the death of Anna" in units
        assert f"Page {n} of 9" in units
    assert _apart(pages[:2]) == pages[:2]  # two pages: nothing is "running"
