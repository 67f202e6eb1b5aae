"""Site packages, submission bundles and the gates before release, on the example."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, run
from pypdf import PdfReader

from pipeline.build.package import package_case
from pipeline.case.gates import DRAFT_LABEL
from pipeline.cli import main
from pipeline.gate.setup import gate_for
from pipeline.publish.package import DRAFT_SUFFIX, verify_zip

KEY = EXAMPLE / "key.example.yaml"
CLOSE_GATES = {
    "  status: draft": "  status: final",
    "  qa_approval: null": "  qa_approval: 2024-10-01",
    "  family_informed: null": "  family_informed: 2024-11-01",
    "  publication: null": "  publication: 2024-11-15",
}


def copy_example(tmp: Path, changes: dict[str, str] | None = None) -> Path:
    case = tmp / "case"
    shutil.copytree(EXAMPLE, case, ignore=shutil.ignore_patterns("key*.yaml"))
    text = (case / "case.yaml").read_text(encoding="utf-8")
    for old, new in (changes or {}).items():
        assert old in text, old
        text = text.replace(old, new, 1)
    (case / "case.yaml").write_text(text, encoding="utf-8")
    return case


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("draft-package")
    case = copy_example(tmp)
    out = tmp / "build"
    result = run("package", case, "--key", KEY, "--out", out, "--or-draft")
    assert result.exit_code == 0, result.output
    return case, out / "example-dhr-anna", result


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("release-package")
    case = copy_example(tmp, CLOSE_GATES)
    out = tmp / "build"
    result = run("package", case, "--out", out)
    assert result.exit_code == 0, result.output
    return case, out / "example-dhr-anna", result


def test_draft_packages_for_both_sites(draft):
    _, out, result = draft
    for site in ("kent", "medway"):
        assert (out / "publish" / f"{site}.zip").is_file()
        assert verify_zip(out / "publish" / f"{site}.zip") == []
    assert "DRAFT packages" in result.stdout and "for checking only" in result.stdout
    assert "gate open" in result.stderr


def test_manifest_verifies_against_the_files(draft):
    _, out, _ = draft
    folder = out / "publish" / "kent"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["pseudonym"] == "Anna" and manifest["year"] == 2023
    assert manifest["site"] == "kent" and manifest["status"] == DRAFT_LABEL
    import hashlib

    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["size"]
    with zipfile.ZipFile(out / "publish" / "kent.zip") as archive:
        assert sorted(archive.namelist()) == sorted(
            [f["name"] for f in manifest["files"]] + ["index.html", "manifest.json"])


def test_draft_marking_everywhere(draft):
    _, out, _ = draft
    with zipfile.ZipFile(out / "publish" / "medway.zip") as archive:
        for name in archive.namelist():
            if name in ("index.html", "manifest.json"):
                continue
            assert DRAFT_SUFFIX in name, name
            if name.endswith(".pdf"):
                import io

                for page in PdfReader(io.BytesIO(archive.read(name))).pages:
                    assert DRAFT_LABEL in " ".join((page.extract_text() or "").split())
        assert DRAFT_LABEL in archive.read("index.html").decode()
    for bundle in ("home-office", "da-commissioner"):
        manifest = json.loads((out / "submit" / bundle / "manifest.json").read_text())
        assert manifest["draft"] is True
        assert all(DRAFT_SUFFIX in f["name"] for f in manifest["files"])


def test_rebuild_is_byte_identical(draft):
    case, out, _ = draft
    before = {s: (out / "publish" / f"{s}.zip").read_bytes() for s in ("kent", "medway")}
    shutil.rmtree(out / "publish")
    (out / ".stamps" / "package.json").unlink()
    result = run("package", case, "--key", KEY, "--out", out.parent, "--or-draft")
    assert result.exit_code == 0, result.output
    for site, data in before.items():
        assert (out / "publish" / f"{site}.zip").read_bytes() == data


def test_unchanged_rebuild_is_skipped(draft):
    case, out, _ = draft
    result = run("package", case, "--key", KEY, "--out", out.parent, "--or-draft")
    assert "unchanged since the last package" in result.stdout


def test_zip_with_a_stray_key_or_draft_is_refused(draft, tmp_path):
    _, out, _ = draft
    for stray in ("site/key.yaml", "report-draft.docx", "report.md"):
        copy = tmp_path / f"kent-{Path(stray).suffix[1:]}.zip"
        shutil.copy(out / "publish" / "kent.zip", copy)
        with zipfile.ZipFile(copy, "a") as archive:
            archive.writestr(stray, b"people: []\n")
        assert any("not in the manifest" in p for p in verify_zip(copy))
        result = run("check", copy, "--no-ner", "--case", EXAMPLE, "--format", "json")
        assert result.exit_code == 1
        rules = {f["rule"] for f in json.loads(result.stdout)["findings"]
                 if f["path"].endswith(stray)}
        assert "forbidden-file" in rules


def test_bundles(draft):
    _, out, _ = draft
    home_office = json.loads((out / "submit" / "home-office" / "manifest.json").read_text())
    documents = {f["document"] for f in home_office["files"]}
    assert documents == {"report", "summary", "action-plan", "form",
                         "statement-of-independence"}
    commissioner = json.loads((out / "submit" / "da-commissioner" / "manifest.json")
                              .read_text())
    assert {f["document"] for f in commissioner["files"]} == {
        "report", "summary", "action-plan", "briefing"}


def test_each_open_gate_is_reported(tmp_path):
    case = copy_example(tmp_path, {
        "  criminal_proceedings: concluded": "  criminal_proceedings: ongoing\n"
                                             "  final_development:\n"
                                             "    - area: Strengthen the equality analysis\n"
                                             "      resolved: null",
        "decision: publish": "decision: undecided"})
    result = run("package", case, "--out", tmp_path / "out")
    assert result.exit_code == 1
    for words in ("publication decision is not 'publish'", "report is still a draft",
                  "QA approval not recorded", "area for final development not resolved",
                  "criminal proceedings not concluded", "family has not been told",
                  "no publication date"):
        assert words in result.stderr, words
    assert all(line.startswith(str(case / "case.yaml")) for line in
               result.stderr.splitlines()[:-1])
    assert not (tmp_path / "out").exists(), "a refused package builds nothing"


def test_release_packages(release):
    _, out, result = release
    assert "Release packages" in result.stdout and "upload this" in result.stdout
    manifest = json.loads((out / "publish" / "medway" / "manifest.json").read_text())
    assert manifest["status"] == "FINAL – FOR PUBLICATION"
    assert manifest["listing_title"] == "Case Anna/2023"
    assert manifest["review_page_by"] == "2025-11-15"
    names = [f["name"] for f in manifest["files"]]
    assert "medway-case-anna-2023-overview-report.pdf" in names
    assert all(DRAFT_SUFFIX not in n for n in names)
    reader = PdfReader(out / "publish" / "medway" / "medway-case-anna-2023-overview-report.pdf")
    assert all("OFFICIAL-SENSITIVE" not in (p.extract_text() or "") for p in reader.pages)
    fragment = (out / "publish" / "kent" / "index.html").read_text()
    assert "(PDF, " in fragment and " MB)" in fragment or " KB)" in fragment


def test_fragments_pass_axe(release, browser, tmp_path):
    from axe_playwright_python.sync_playwright import Axe
    from test_accessibility import TAGS

    _, out, _ = release
    for site in ("kent", "medway"):
        fragment = (out / "publish" / site / "index.html").read_text(encoding="utf-8")
        page_file = tmp_path / f"{site}.html"
        page_file.write_text('<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
                             f"<title>Reviews</title></head><body><main><h1>Reviews</h1>"
                             f"{fragment}</main></body></html>", encoding="utf-8")
        page = browser.new_page()
        page.goto(page_file.as_uri())
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
        page.close()
        assert results.violations_count == 0, results.generate_report()


def test_a_leak_in_what_ships_deletes_the_package(tmp_path):
    case = copy_example(tmp_path, CLOSE_GATES)
    report = case / "report.md"
    report.write_text(report.read_text().replace(
        "# Timescales\n", "# Timescales\n\nPC 4521 Tom Ashdown attended.\n", 1))
    out = tmp_path / "build"
    result = run("package", case, "--out", out)
    assert result.exit_code == 1
    assert "package deleted" in result.stderr and "title-and-name" in result.stderr
    assert "Ashdown" not in result.output
    assert not (out / "example-dhr-anna" / "publish" / "kent.zip").exists()
    assert not (out / "example-dhr-anna" / "publish" / "kent").exists()


def test_package_case_refuses_without_the_set(tmp_path):
    from pipeline.common.errors import CheckFailed

    case = copy_example(tmp_path)
    with pytest.raises(CheckFailed):
        package_case(case, tmp_path / "out")


def test_a_bad_site_profile_is_a_located_error(tmp_path, monkeypatch):
    from conftest import ROOT

    from pipeline.common.errors import InputError
    from pipeline.publish.sites import load_sites

    home = tmp_path / "home"
    shutil.copytree(ROOT / "templates", home / "templates")
    profile = home / "templates" / "sites" / "kent.yaml"
    profile.write_text(profile.read_text().replace("documents: [report,",
                                                   "documents: [reprot,"))
    monkeypatch.setenv("DHR_HOME", str(home))
    load_sites.cache_clear()
    try:
        with pytest.raises(InputError) as caught:
            load_sites()
        assert f"{profile}:11: unknown document 'reprot'" in str(caught.value)
    finally:
        monkeypatch.delenv("DHR_HOME")
        load_sites.cache_clear()


def test_a_site_profile_missing_a_field_is_file_line_and_exit_2(tmp_path, monkeypatch):
    from conftest import ROOT

    from pipeline.publish.sites import load_sites

    home = tmp_path / "home"
    shutil.copytree(ROOT / "templates", home / "templates")
    shutil.copytree(ROOT / "redaction_rules", home / "redaction_rules")
    profile = home / "templates" / "sites" / "medway.yaml"
    text = profile.read_text()
    start = text.index("content_warning:")
    end = text.index("\nsignposting:")
    profile.write_text(text[:start] + text[end + 1:])
    # a third council is one more file: it is read with the others
    shutil.copy(home / "templates" / "sites" / "kent.yaml",
                home / "templates" / "sites" / "swale.yaml")
    monkeypatch.setenv("DHR_HOME", str(home))
    load_sites.cache_clear()
    try:
        result = CliRunner().invoke(main, ["package", str(copy_example(tmp_path)), "--draft",
                                           "--out", str(tmp_path / "out")])
        assert result.exit_code == 2, result.output
        assert re.search(rf"^{re.escape(str(profile))}:\d+: missing required field "
                         "'content_warning'", result.stderr, re.M)
        assert "Traceback" not in result.output
    finally:
        monkeypatch.delenv("DHR_HOME")
        load_sites.cache_clear()


def test_a_package_checks_itself_with_no_case_and_no_key(draft):
    """A council web team runs `dhr check kent.zip` on what it received: the manifest's
    may_publish list and the chair's accepted findings travel with the package."""
    _, out, _ = draft
    manifest = json.loads((out / "publish" / "kent" / "manifest.json").read_text())
    assert {"Anna", "Kent Police"} <= set(manifest["may_publish"])
    assert [a["fingerprint"] for a in manifest["accepted_findings"]] == ["9311fd13df29d57c"]
    for site in ("kent", "medway"):
        result = run("check", out / "publish" / f"{site}.zip")
        assert result.exit_code == 0, result.stdout[-3000:]
        assert result.stdout.rstrip().splitlines()[-1].startswith("PASS: 0 blocking")


def test_a_package_with_a_real_name_added_blocks_on_its_own(draft, tmp_path):
    _, out, _ = draft
    leaky = tmp_path / "kent.zip"
    with zipfile.ZipFile(out / "publish" / "kent.zip") as source, \
            zipfile.ZipFile(leaky, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("overview-report-draft-not-for-publication.html"):
                data = data.replace(b"<main", b"<p>Glenys Parfitt told the panel.</p><main", 1)
                assert b"Glenys" in data
            target.writestr(info, data)
    result = run("check", leaky, "--format", "json")
    assert result.exit_code == 1
    blocking = [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "block"]
    assert [f["entity_type"] for f in blocking] == ["PERSON"]
    assert blocking[0]["text"] == "G***** P******"


def test_manifest_names_are_allowed_only_inside_their_own_package(draft, tmp_path):
    _, out, _ = draft
    loose = tmp_path / "loose.md"
    loose.write_text("# Introduction\n\nDr Imogen Fairweather-Example chaired it.\n")
    result = run("check", out / "publish" / "kent.zip", loose, "--format", "json")
    blocking = {Path(f["path"]).name for f in json.loads(result.stdout)["findings"]
                if f["severity"] == "block"}
    assert blocking == {"loose.md"}




@pytest.mark.parametrize("one_run", [True, False], ids=["one check", "two checks"])
def test_a_finding_accepted_in_one_package_is_not_accepted_in_another(draft, tmp_path,
                                                                      one_run):
    """The gate remembers what it found in a text so as not to look again in every copy;
    the chair's acceptance inside kent.zip must not travel with that memory to the same
    page in a package whose manifest does not accept it, in the same check or a later
    one of the same gate (as the packager runs them)."""
    _, out, _ = draft
    kent = out / "publish" / "kent.zip"
    other = tmp_path / "other.zip"  # the same files; its manifest accepts nothing
    with zipfile.ZipFile(kent) as source, zipfile.ZipFile(other, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "manifest.json":
                manifest = json.loads(data)
                assert manifest["accepted_findings"]
                data = json.dumps({**manifest, "accepted_findings": []}).encode()
            target.writestr(info, data)
    gate = gate_for(out_root=tmp_path)
    if one_run:
        findings = gate.check([kent, other]).findings
    else:
        findings = gate.check([kent]).findings + gate.check([other]).findings
    accepted = [f for f in findings if f.fingerprint == "9311fd13df29d57c"]
    assert {f.path.split("!")[0] for f in accepted} == {str(kent), str(other)}
    assert all(bool(f.accepted) == f.path.startswith(str(kent)) for f in accepted)
