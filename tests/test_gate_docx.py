"""`dhr check` on Word files: a key name planted in each place Word keeps text is found
(one test per place), a clean file passes, a zip holding a .docx is read and refused, and
a file that is not a Word document is bad input. The files are made by python-docx."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from conftest import run
from wordfiles import planted

NAME = "Sarah Whitfield"
KEY = """people:
  - real: "Sarah Whitfield"
    aliases: []
    pseudonym: "Zoe"
    role: victim
"""
# place -> the words a finding gives for where it was found
PLACES = {
    "body": "Word body", "header": "Word header", "footer": "Word footer",
    "footnote": "Word footnote", "endnote": "Word endnote", "comment": "Word comment",
    "comment_author": "Word comment: author", "insertion": "tracked insertion",
    "deletion": "tracked deletion", "insertion_author": "Word body: author",
    "hidden": "hidden text", "alt_text": "alt text", "image_name": "image name",
    "hyperlink": "hyperlink target", "custom_xml": "Word custom XML",
    "author": "core property creator", "last_modified_by": "core property lastModifiedBy",
    "title": "core property title", "company": "app property Company",
    "embedded_name": "file name", "embedded_content": "word/embeddings/notes.txt",
}


@pytest.fixture(scope="module")
def key(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("key") / "key.yaml"
    path.write_text(KEY, encoding="utf-8")
    return path


def findings(path: Path, key: Path, *extra: str) -> tuple[int, list[dict]]:
    result = run("check", path, "--key", key, "--format", "json", "--no-ner", *extra)
    return result.exit_code, json.loads(result.stdout)["findings"]


@pytest.mark.parametrize("place", sorted(PLACES))
def test_a_key_name_in_each_place_is_found(tmp_path, key, place):
    docx = planted(tmp_path / "draft.docx", place, NAME)
    code, found = findings(docx, key)
    names = [f for f in found if f["rule"] == "key-name" and f["severity"] == "block"]
    assert code == 1
    assert any(PLACES[place] in f["message"] + f["path"] for f in names), found


def test_a_deleted_name_is_found_although_no_reader_sees_it(tmp_path, key):
    docx = planted(tmp_path / "draft.docx", "deletion", NAME)
    _, found = findings(docx, key)
    names = [f for f in found if f["rule"] == "key-name"]
    assert [f["message"] for f in names] == [
        "real name from the key (victim; variant: full), in Word body: tracked deletion "
        "[score 1.00]"]
    assert [f["line"] for f in names] == [2]  # the paragraph it was deleted from
    assert "Sarah" not in json.dumps(found)  # masked


def test_a_clean_word_file_passes_with_name_recognition_on(tmp_path, key):
    docx = planted(tmp_path / "clean.docx", "none", NAME)
    result = run("check", docx, "--key", key, "--format", "json")
    assert result.exit_code == 0, result.stdout
    blocking = [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "block"]
    assert blocking == []


def test_a_zip_holding_a_word_file_is_read_and_refused(tmp_path, key):
    docx = planted(tmp_path / "draft.docx", "comment", NAME)
    package = tmp_path / "package.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.write(docx, "draft.docx")
    code, found = findings(package, key)
    assert code == 1
    rules = {(f["rule"], f["path"]) for f in found}
    assert ("forbidden-file", f"{package}!draft.docx") in rules
    assert ("key-name", f"{package}!draft.docx") in rules


@pytest.mark.parametrize("content, message", [
    (b"not a Word file", "named .docx but is not a Word document"),
    (None, "not a Word document (no word/document.xml)"),
])
def test_a_file_that_is_not_a_word_document_blocks_as_unreadable(tmp_path, content,
                                                                 message):
    """The gate fails closed: a file it cannot read is a blocking finding in a complete
    report (exit 1), never a pass and never an aborted run."""
    path = tmp_path / "draft.docx"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("notes.txt", "hello")
    else:
        path.write_bytes(content)
    result = run("check", path, "--no-ner", "--format", "json")
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["rule"] == "unreadable" and finding["severity"] == "block"
    assert finding["message"].endswith(message)
    assert "Traceback" not in result.output
