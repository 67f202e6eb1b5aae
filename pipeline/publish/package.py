"""The packager: the built publication set -> what each council uploads, and the bundles
for the Home Office and the Domestic Abuse Commissioner.

Takes a review folder (and the key, to pseudonymise and to gate with); checks the
statutory gates before release (``open_gates``); builds the set (``pipeline.build.stages``),
then writes, for every site profile in ``templates/sites/`` (Kent, Medway; a third
council is one more file):

- ``build/<id>/publish/<site>/``: the documents in HTML and tagged PDF named by the
  site's pattern (each PDF rendered once and copied), ``index.html`` (the page fragment
  to paste into the council's page) and ``manifest.json`` (every file's SHA-256 and size,
  tool and guidance versions, publication and review dates);
- ``build/<id>/publish/<site>.zip``: the same, reproducibly (sorted members, fixed
  timestamps and permissions), byte-identical on a rebuild;
- ``build/<id>/submit/home-office/`` and ``submit/da-commissioner/`` with manifests.

A draft package (``--draft``) has "DRAFT – NOT FOR PUBLICATION" on every page, in every
file name and in its manifests. Before the package is declared done, the redaction gate
runs on the finished zips, manifests and fragments; a blocking finding deletes what was
written and fails. A zip holds exactly the files its manifest lists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from pipeline import __version__
from pipeline.build.stages import Stamps, build_report
from pipeline.case.folder import Case, load_case, long_date
from pipeline.common.errors import CheckFailed, InputError, Problem
from pipeline.common.fsutil import digest_files, write_atomic
from pipeline.common.templates import home, jinja_env
from pipeline.publish.may_publish import (
    ACCEPTED_FIELD,
    MANIFEST_FIELD,
    accepted_findings,
    may_publish,
)

DRAFT_LABEL = "DRAFT – NOT FOR PUBLICATION"
DRAFT_MARKING = f"OFFICIAL-SENSITIVE – {DRAFT_LABEL}"
DRAFT_SUFFIX = "draft-not-for-publication"
GUIDANCE = ("Multi-agency Statutory Guidance for the Conduct of Domestic Homicide Reviews "
            "(Home Office, 2016)")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can record: no clock in the bytes

# document -> (title, short name for file names, [(built file, format)])
DOCUMENTS = {
    "report": ("Overview report", "overview-report",
               [("report.html", "HTML"), ("report.pdf", "PDF")]),
    "summary": ("Executive summary", "executive-summary",
                [("summary.html", "HTML"), ("summary.pdf", "PDF")]),
    "action-plan": ("Action plan", "action-plan",
                    [("action-plan.html", "HTML"), ("action-plan.pdf", "PDF"),
                     ("action-plan.csv", "CSV")]),
    "briefing": ("7-minute briefing", "7-minute-briefing",
                 [("briefing.html", "HTML"), ("briefing.pdf", "PDF")]),
    "form": ("Home Office data-collection form", "data-collection-form",
             [("form/form.pdf", "PDF")]),
}


@dataclass(frozen=True)
class Site:
    key: str
    name: str
    listing_title: str
    file_name: str
    documents: tuple[str, ...]
    content_warning: str
    signposting: tuple[str, ...]
    accessible_format: str
    branding: dict
    review_months: int


@cache
def load_sites() -> tuple[Site, ...]:
    sites = []
    for path in sorted((home() / "templates" / "sites").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        unknown = [d for d in data["documents"] if d not in DOCUMENTS]
        if unknown:
            raise InputError.at(path, None, f"unknown document(s) {unknown}; use: "
                                            f"{', '.join(DOCUMENTS)}")
        sites.append(Site(path.stem, data["name"], data["listing_title"], data["file_name"],
                          tuple(data["documents"]), data["content_warning"].strip(),
                          tuple(data["signposting"]), data["accessible_format"].strip(),
                          dict(data["branding"]), int(data["review_months"])))
    return tuple(sites)


# -- the gates before release ------------------------------------------------------------

def open_gates(case: Case) -> list[Problem]:
    """Each precondition of publication (domain notes §2) not yet recorded in case.yaml."""
    doc, data = case.doc, case.doc.data
    publication = data.get("publication", {})
    dates = case.dates
    gates = []

    def gate(where: tuple, message: str) -> None:
        gates.append(Problem(doc.path, doc.line(where), message))

    if publication.get("decision") != "publish":
        gate(("publication", "decision"), "the publication decision is not 'publish'")
    if case.status != "final":
        gate(("report", "status"), "the report is still a draft: set report.status: final")
    if dates.get("qa_approval") is None:
        gate(("dates",), "Home Office QA approval not recorded: add dates.qa_approval "
                         "(YYYY-MM-DD, the date of the approval letter)")
    for i, area in enumerate(publication.get("final_development", []) or []):
        if not area.get("resolved"):
            gate(("publication", "final_development", i),
                 f"area for final development not resolved: '{area.get('area')}'; record "
                 "its resolved date")
    proceedings = publication.get("criminal_proceedings")
    if proceedings not in ("concluded", "not-applicable") and not publication.get(
            "cps_agreement"):
        gate(("publication",), "criminal proceedings not concluded: set "
                               "publication.criminal_proceedings: concluded, or record the "
                               "CPS or police agreement date in publication.cps_agreement")
    if dates.get("family_informed") is None:
        gate(("dates",), "the family has not been told the publication date: add "
                         "dates.family_informed")
    if dates.get("publication") is None:
        gate(("dates",), "no publication date: add dates.publication")
    return gates


# -- packaging ------------------------------------------------------------------------

@dataclass
class Package:
    site: str
    folder: Path
    zip_path: Path
    files: list[dict] = field(default_factory=list)


@dataclass
class PackageResult:
    case: Case
    draft: bool
    packages: list[Package]
    bundles: list[Path]
    open_gates: list[Problem]
    gate_summary: str = ""


def package_case(case_dir: Path, out_root: Path = Path("build"), key_path: Path | None = None,
                 draft: bool = False, or_draft: bool = False,
                 reveal: bool = False) -> PackageResult:
    source = load_case(case_dir)
    gates = open_gates(source)
    if gates and not (draft or or_draft):
        raise CheckFailed([Problem(p.path, p.line, f"gate open: {p.message}")
                           for p in gates])
    draft = draft or bool(gates)
    out_dir = out_root / source.id
    build_root = out_dir / "draft-build" if draft else out_root
    built = build_report(case_dir, build_root, key_path=key_path, reveal=reveal,
                         marking=DRAFT_MARKING if draft else None)
    case = built.case
    set_dir = build_root / case.id
    _require(set_dir, {d for site in load_sites() for d in site.documents})

    stamps = Stamps(out_dir)
    digest = _package_digest(case_dir, set_dir, key_path, draft)
    stamp = stamps.get("package")
    if stamp.get("inputs") == digest and stamp.get("outputs") == _output_digests(
            stamp.get("outputs", {})):
        # Nothing changed since these packages were built and gated: keep them.
        packages = [_packaged(out_dir / "publish", site) for site in stamp["packages"]]
        result = PackageResult(case, draft, packages,
                               [out_dir / "submit" / b for b in stamp["bundles"]], gates)
        result.gate_summary = stamp["gate"] + " (unchanged since the last package)"
        return result
    packages = [_site_package(case, site, set_dir, out_dir / "publish", draft)
                for site in load_sites()]
    bundles = _bundles(case, set_dir, out_dir / "submit", draft)
    result = PackageResult(case, draft, packages, bundles, gates)
    result.gate_summary = _gate_what_ships(case_dir, key_path, result, reveal)
    outputs = _output_digests([str(p.zip_path) for p in packages]
                              + [str(b / "manifest.json") for b in bundles])
    stamps.put("package", inputs=digest, outputs=outputs, gate=result.gate_summary,
               packages=[p.site for p in packages],
               bundles=[b.name for b in bundles])
    return result


def _packaged(publish: Path, site: str) -> Package:
    """A package built before, as its zip's own manifest describes it."""
    zip_path = publish / f"{site}.zip"
    with zipfile.ZipFile(zip_path) as archive:
        files = json.loads(archive.read("manifest.json"))["files"]
    return Package(site, publish / site, zip_path, files)


def _output_digests(paths) -> dict[str, str]:
    """What was shipped, so a package changed by hand since is never taken as built."""
    out = {}
    for path in paths:
        try:
            out[path] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except FileNotFoundError:
            out[path] = "missing"
    return out


def _package_digest(case_dir: Path, set_dir: Path, key_path: Path | None,
                    draft: bool) -> str:
    """Everything a package depends on: the built set, the site profiles and templates,
    the review's accepted findings, the key, the packager and the gate's rules."""
    from pipeline.build.stages import PACKAGE_DIR

    files = [(f"set/{p.relative_to(set_dir).as_posix()}", p)
             for p in set_dir.rglob("*") if p.is_file() and ".stamps" not in p.parts]
    files += [(f"sites/{p.name}", p) for p in (home() / "templates" / "sites").glob("*")]
    files += [(f"rules/{p.name}", p) for p in (home() / "redaction_rules").glob("*")]
    files += [(f"pipeline/{p.name}", p) for p in PACKAGE_DIR.rglob("*.py")]
    files.append(("accepted", Path(case_dir) / "gate-accepted.yaml"))
    if key_path:
        files.append(("key", key_path))
    return digest_files(files, __version__, str(draft))


def _require(set_dir: Path, documents: set[str]) -> None:
    missing = [f for d in sorted(documents) for f, _ in DOCUMENTS[d][2]
               if not (set_dir / f).is_file()]
    if missing:
        raise InputError(f"{set_dir}: the built set lacks {', '.join(missing)} (does "
                         "case.yaml have the form: and briefing: sections?)")


def _year(case: Case) -> int:
    return case.dates["death"].year


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def _file_name(site_pattern: str, case: Case, document: str, suffix: str,
               draft: bool) -> str:
    name = site_pattern.format(review_type=case.review_type, pseudonym=case.victim,
                               year=_year(case), document=DOCUMENTS[document][1])
    return _slug(name) + (f"-{DRAFT_SUFFIX}" if draft else "") + suffix


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def _dates(case: Case, months: int) -> tuple[str, str]:
    published = case.dates.get("publication") or case.date
    total = published.month - 1 + months
    review = published.replace(year=published.year + total // 12, month=total % 12 + 1,
                               day=min(published.day, 28))
    return published.isoformat(), review.isoformat()


def _site_package(case: Case, site: Site, set_dir: Path, publish: Path,
                  draft: bool) -> Package:
    folder = publish / site.key
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    files: list[dict] = []
    for document in site.documents:
        title, _, outputs = DOCUMENTS[document]
        for built, kind in outputs:
            data = (set_dir / built).read_bytes()
            name = _file_name(site.file_name, case, document, Path(built).suffix, draft)
            write_atomic(folder / name, data)
            files.append({"name": name, "document": document, "title": title,
                          "format": kind, "size": len(data),
                          "sha256": hashlib.sha256(data).hexdigest()})
    published, review = _dates(case, site.review_months)
    listing = site.listing_title.format(review_name=case.review_name,
                                        review_type=case.review_type,
                                        pseudonym=case.victim, year=_year(case))
    fragment = _jinja().get_template("fragment.html.j2").render(
        site=site, draft=draft, draft_label=DRAFT_LABEL, slug=_slug(listing),
        listing_title=listing + (f" ({DRAFT_LABEL})" if draft else ""),
        summary=_listing_summary(case),
        documents=[dict(f, size_text=_size_text(f["size"])) for f in files
                   if f["format"] in ("HTML", "PDF", "CSV")],
        publication_date=long_date(dt.date.fromisoformat(published)),
        review_date=long_date(dt.date.fromisoformat(review)))
    write_atomic(folder / "index.html", fragment)
    manifest = _manifest(case, site.key, files, published, review, draft, listing)
    write_atomic(folder / "manifest.json", manifest)
    zip_path = publish / f"{site.key}.zip"
    write_atomic(zip_path, _zip(folder, [f["name"] for f in files]
                                + ["index.html", "manifest.json"]))
    return Package(site.key, folder, zip_path, files)


def _listing_summary(case: Case) -> str:
    return (f"The {case.review_name} into the death of {case.victim}, commissioned by "
            f"{' and '.join(case.partnerships)}. The overview report, executive summary, "
            "action plan and 7-minute briefing set out what agencies knew, what they did, "
            "and what must change.")


def _manifest(case: Case, target: str, files: list[dict], published: str, review: str,
              draft: bool, listing: str | None = None) -> str:
    doc = {
        "review_id": case.id,
        "review_type": case.review_type,
        "pseudonym": case.victim,
        "year": _year(case),
        "site": target,
        "listing_title": listing,
        "status": DRAFT_LABEL if draft else "FINAL – FOR PUBLICATION",
        "draft": draft,
        "files": [{k: f[k] for k in ("name", "document", "format", "size", "sha256")}
                  for f in files],
        "tool": f"dhr {__version__}",
        "guidance": GUIDANCE,
        "publication_date": published,
        "review_page_by": review,
        MANIFEST_FIELD: may_publish(case),
        ACCEPTED_FIELD: accepted_findings(case),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _zip(folder: Path, names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(names):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            archive.writestr(info, (folder / name).read_bytes(), compresslevel=9)
    return out.getvalue()


def _bundles(case: Case, set_dir: Path, submit: Path, draft: bool) -> list[Path]:
    """The Home Office QA submission and the Domestic Abuse Commissioner's copy."""
    published, review = _dates(case, 12)
    statement = (f"Statement of independence\n\n{case.title}\n\nIndependent chair and "
                 f"author: {case.chair_name}\n\n{case.chair_statement}\n")
    contents = {
        "home-office": (["report", "summary", "action-plan", "form"], statement),
        "da-commissioner": (["report", "summary", "action-plan", "briefing"], None),
    }
    pattern = "{review_type}-{pseudonym}-{year}-{document}"
    folders = []
    for target, (documents, extra) in contents.items():
        folder = submit / target
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        files = []
        for document in documents:
            for built, kind in DOCUMENTS[document][2]:
                if kind == "HTML" and target == "home-office":
                    continue  # the QA panel reads the PDFs
                data = (set_dir / built).read_bytes()
                name = _file_name(pattern, case, document, Path(built).suffix, draft)
                write_atomic(folder / name, data)
                files.append({"name": name, "document": document, "format": kind,
                              "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        if extra:
            name = _file_name(pattern, case, "report", ".txt", draft).replace(
                "overview-report", "statement-of-independence")
            data = extra.encode("utf-8")
            write_atomic(folder / name, data)
            files.append({"name": name, "document": "statement-of-independence",
                          "format": "TXT", "size": len(data),
                          "sha256": hashlib.sha256(data).hexdigest()})
        write_atomic(folder / "manifest.json",
                     _manifest(case, target, files, published, review, draft))
        folders.append(folder)
    return folders


# -- checks on what ships ---------------------------------------------------------------

def verify_zip(path: Path) -> list[str]:
    """Problems with a package zip: members other than those its manifest lists (and the
    fragment), or files whose size or SHA-256 differ from the manifest."""
    problems = []
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "manifest.json" not in names:
            return [f"{path}: no manifest.json"]
        manifest = json.loads(archive.read("manifest.json"))
        listed = {f["name"]: f for f in manifest["files"]}
        for stray in sorted(names - set(listed) - {"manifest.json", "index.html"}):
            problems.append(f"{path}!{stray}: not in the manifest; nothing unlisted may ship")
        for name, entry in listed.items():
            if name not in names:
                problems.append(f"{path}!{name}: listed in the manifest but missing")
                continue
            data = archive.read(name)
            if len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != \
                    entry["sha256"]:
                problems.append(f"{path}!{name}: size or SHA-256 differs from the manifest")
    return problems


def _gate_what_ships(case_dir: Path, key_path: Path | None, result: PackageResult,
                     reveal: bool) -> str:
    from pipeline.case.key import load_key
    from pipeline.gate.engine import ACCEPTED_FILE, Gate, load_accepted, review_allow
    from pipeline.gate.ner import NerCache, default_cache_path
    from pipeline.gate.output import summary, text

    problems = [p for package in result.packages for p in verify_zip(package.zip_path)]
    key = load_key(key_path) if key_path else None
    accepted_file = Path(case_dir) / ACCEPTED_FILE
    accepted = load_accepted(accepted_file) if accepted_file.is_file() else {}
    cache = NerCache(default_cache_path())
    gate = Gate(key, review_allow(Path(case_dir)), ner_cache=cache)
    paths = [p.zip_path for p in result.packages] + [
        p.folder / name for p in result.packages for name in ("manifest.json", "index.html")]
    paths += result.bundles
    checked = gate.check(paths, accepted)
    cache.save()
    if problems or checked.blocking:
        for package in result.packages:
            shutil.rmtree(package.folder, ignore_errors=True)
            package.zip_path.unlink(missing_ok=True)
        for bundle in result.bundles:
            shutil.rmtree(bundle, ignore_errors=True)
        lines = problems + [line for line in text(checked, reveal).splitlines()
                            if not line.startswith("#")]
        raise CheckFailed([Problem(None, None, "package deleted: " + lines[0])]
                          + [Problem(None, None, line) for line in lines[1:]])
    return summary(checked)


def _jinja():
    return jinja_env(home() / "templates" / "sites")
