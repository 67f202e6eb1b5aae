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
