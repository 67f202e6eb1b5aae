"""People of every origin and the place policy, on small invented texts, with the real
spaCy model where NER matters. Structured identifiers are tested by their own examples
in redaction_rules/patterns.yaml (tests/test_gate_rules.py)."""

from __future__ import annotations

import pytest

from pipeline.case.key import Key, KeyPerson
from pipeline.gate.engine import Gate
from pipeline.gate.extract import Extraction, Segment


def blocking(text: str, gate: Gate) -> list[str]:
    out = Extraction(segments=[Segment("t.md", text, "text", line=1,
                                       line_starts=[0] + [i + 1 for i, c in enumerate(text)
                                                          if c == "\n"])])
    return [f.text for f in gate.check_extraction(out) if f.blocking]


@pytest.fixture(scope="module")
def rules_gate() -> Gate:
    key = Key(path=None, people=[KeyPerson("Quentin Madeup-Person", "Anna", "victim")])
    return Gate(key, ner=False)


@pytest.fixture(scope="module")
def full_gate() -> Gate:
    return Gate(None, ["Anna"])


@pytest.mark.parametrize(("text", "name"), [
    ("A friend, Kofi, said he saw her.", "Kofi"),
    ("Her neighbour Małgorzata Wiśniewska called.", "Małgorzata Wiśniewska"),
    ("Seán Ó Briain gave a statement.", "Seán Ó Briain"),
    ("It was Françoise De la Cruz who rang.", "Françoise De la Cruz"),
    ("She met Tariq El-Sayed at work.", "Tariq El-Sayed"),
    ("The health visitor, Ngozi, visited.", "Ngozi"),
    ("Statements came from Oluwaseun Adeyemi.", "Oluwaseun Adeyemi"),
    ("- Chidi Nwosu, a colleague", "Chidi Nwosu"),
    ("She told Wei Zhang about it.", "Wei Zhang"),
    ("Rhiannon Pugh ran the salon.", "Rhiannon Pugh"),
    ("A neighbour (Q.X.) heard shouting.", "Q.X."),
    ("She saw Kasimir, Lee, Anna and others.", "Lee"),
], ids=["role-first-name", "polish", "irish-particle", "french-particles", "arabic-hyphen",
        "nigerian-after-role", "yoruba", "list-start", "chinese", "welsh", "initials",
        "word-name-in-list"])
def test_a_person_of_any_origin_blocks_without_ner(rules_gate, text, name):
    assert name in blocking(text, rules_gate)


def test_a_pseudonym_followed_by_an_unknown_surname_blocks(rules_gate):
    """Only "Anna" is a pseudonym: "Whitfield" is very likely the real surname."""
    assert blocking("Anna Whitfield was there.", rules_gate) == ["Whitfield"]
    assert blocking("Anna Told the panel. Anna and Kent Police met.", rules_gate) == []


@pytest.mark.parametrize("text", [
    "Anna spoke to Kent Police and Cafcass in January and June.",
    "She was a Christian; her mother was Muslim and Roma.",
    "Research by Benbow and Kingston[^9] helped.",
    "Mr B agreed. The GP and Police Officer 1 attended.",
])
def test_ordinary_texts_do_not_block(rules_gate, text):
    assert blocking(text, rules_gate) == []


PLACES = """The review drew on practice in Cheshire, the Wirral and Sefton, and on work by
Avon and Somerset Police, Greater Manchester Police and Cheshire Constabulary.

Reviews from Luton, Wrexham, Hastings, Newcastle upon Tyne and Kingston upon Hull were
read, with the Leeds Teaching Hospitals NHS Trust, NHS Cheshire and Merseyside Integrated
Care Board, Betsi Cadwaladr University Health Board and Merseyside Fire and Rescue Service.

Wirral Council, Sefton Council, Luton Borough Council and Wrexham County Borough Council
took part, as did Bedfordshire Police, South Wales Police and Cyngor Gwynedd. She spoke
Yoruba and Polish and had lived in Nigeria and Cardiganshire."""


def test_counties_authorities_forces_and_large_towns_may_be_published(full_gate):
    assert blocking(PLACES, full_gate) == []


@pytest.mark.parametrize(("text", "found"), [
    ("She moved to Lower Thrindle, a hamlet.", "Lower Thrindle"),
    ("She worked at Fernleigh Care Home.", "Fernleigh Care Home"),
    ("The children went to Sunflower Day Nursery.", "Sunflower Day Nursery"),
    ("They lived at Rose Cottage with the dog.", "Rose Cottage"),
    ("She lived on Quillon Street.", "Quillon Street"),
])
def test_small_places_and_named_premises_still_block(full_gate, text, found):
    assert found in blocking(text, full_gate)


def test_the_partnerships_own_towns_are_not_cleared_by_the_place_policy():
    from pipeline.gate.places import PlacePolicy

    policy = PlacePolicy.load()
    text = "Luton, Wrexham, Sittingbourne and Margate"
    assert [text[a:b] for a, b in policy.spans(text)] == ["Luton", "Wrexham"]


@pytest.mark.parametrize(("text", "leak"), [
    ("In Plymouth Anna worked at the hospital.", None),
    ("In Swansea Anna saw her GP twice.", None),
    ("Anna Hastings was there.", "Hastings"),  # a town's name after a pseudonym: a surname
], ids=["place-then-pseudonym", "city-then-pseudonym", "pseudonym-then-town"])
def test_a_publishable_place_run_into_a_pseudonym(full_gate, text, leak):
    """The model may call "Plymouth Anna" one place: a publishable area and then only
    allowed words is not a leak; the other way round it may be a real surname."""
    found = blocking(text, full_gate)
    if leak is None:
        assert found == []
    else:
        assert any(leak in f for f in found), found


@pytest.mark.parametrize("text", [
    "The contact lead was Faith Idowu.",
    "Policy updated; contact lead Faith Idowu",
])
def test_a_person_the_model_takes_for_an_organisation_blocks(full_gate, text):
    assert "Faith Idowu" in blocking(text, full_gate)


@pytest.mark.parametrize("text", [
    "Harbour Support Services updated the policy.",
    "The referral went to Kent Police and the Probation Service.",
])
def test_an_organisation_is_not_taken_for_a_person(full_gate, text):
    assert blocking(text, full_gate) == []
