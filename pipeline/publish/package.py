"""The packager: the built publication set -> what each council uploads, and the bundles
for the Home Office and the Domestic Abuse Commissioner.

Takes the built set in ``build/<id>/`` and the site profiles (``pipeline.publish.sites``);
writes, for every site:

- ``build/<id>/publish/<site>/``: the documents (``pipeline.common.documents``) in HTML
  and tagged PDF named by the site's pattern (each file copied, never rendered again),
  ``index.html`` (the page fragment to paste into the council's page) and
  ``manifest.json`` (every file's SHA-256 and size, tool and guidance versions,
  publication and review dates, and what the package may publish);
- ``build/<id>/publish/<site>.zip``: the same, reproducibly (sorted members, fixed
  timestamps and permissions), byte-identical on a rebuild;

and ``build/<id>/submit/home-office/`` and ``submit/da-commissioner/`` with manifests.
A draft package has "DRAFT – NOT FOR PUBLICATION" in every file name and in its
manifests (the build already put it on every page). ``verify_zip`` checks that a zip
holds exactly what its manifest lists. ``pipeline.build.package`` chains the build, this
and the redaction gate on what ships.
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
from pathlib import Path

from pipeline import __version__
from pipeline.case.folder import Case, long_date
from pipeline.case.gates import DRAFT_LABEL
from pipeline.common.documents import BUNDLE_FORMATS, DOCUMENTS
from pipeline.common.errors import InputError
from pipeline.common.fsutil import write_atomic
from pipeline.common.templates import jinja_env
from pipeline.publish.sites import Site, sites_dir

DRAFT_SUFFIX = "draft-not-for-publication"
GUIDANCE = ("Multi-agency Statutory Guidance for the Conduct of Domestic Homicide Reviews "
            "(Home Office, 2016)")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can record: no clock in the bytes


@dataclass
class Package:
    site: str
    folder: Path
    zip_path: Path
    files: list[dict] = field(default_factory=list)


def packaged(publish: Path, site: str) -> Package:
    """A package built before, as its zip's own manifest describes it."""
    zip_path = publish / f"{site}.zip"
    with zipfile.ZipFile(zip_path) as archive:
        files = json.loads(archive.read("manifest.json"))["files"]
    return Package(site, publish / site, zip_path, files)


def require(set_dir: Path, documents: set[str]) -> None:
    missing = [o.file for d in sorted(documents) for o in DOCUMENTS[d].outputs
               if not (set_dir / o.file).is_file()]
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
                               year=_year(case), document=DOCUMENTS[document].slug)
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


def site_package(case: Case, site: Site, set_dir: Path, publish: Path,
                  draft: bool) -> Package:
    folder = publish / site.key
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    files: list[dict] = []
    for document in site.documents:
        for output in DOCUMENTS[document].outputs:
            data = (set_dir / output.file).read_bytes()
            name = _file_name(site.file_name, case, document, output.suffix, draft)
            write_atomic(folder / name, data)
            files.append({"name": name, "document": document,
                          "title": DOCUMENTS[document].title, "format": output.format,
                          "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
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


def bundles(case: Case, set_dir: Path, submit: Path, draft: bool) -> list[Path]:
    """The Home Office QA submission and the Domestic Abuse Commissioner's copy."""
    published, review = _dates(case, 12)
    statement = (f"Statement of independence\n\n{case.title}\n\nIndependent chair and "
                 f"author: {case.chair_name}\n\n{case.chair_statement}\n")
    extras = {"home-office": statement}
    pattern = "{review_type}-{pseudonym}-{year}-{document}"
    folders = []
    for target, formats in BUNDLE_FORMATS.items():
        documents = [d for d in DOCUMENTS.values() if target in d.bundles]
        extra = extras.get(target)
        folder = submit / target
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        files = []
        for document in documents:
            for output in document.outputs:
                if output.format not in formats:
                    continue
                data = (set_dir / output.file).read_bytes()
                name = _file_name(pattern, case, document.key, output.suffix, draft)
                write_atomic(folder / name, data)
                files.append({"name": name, "document": document.key,
                              "format": output.format, "size": len(data),
                              "sha256": hashlib.sha256(data).hexdigest()})
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


def _jinja():
    return jinja_env(sites_dir())
