"""Leaking and hostile artefacts for the gate, made on the fly (nothing binary in git).

``build_artefacts(folder)`` writes one file per kind of leak the gate must catch in what
is shipped (PDF text drawn invisibly, tiny or off the page; PDF metadata, XMP, bookmarks,
annotations, form fields, attachments; HTML title, meta, attributes, comments; file names
and forbidden files inside a zip) and per kind of hostile input (a zip member escaping
the archive, a zip bomb, an encrypted or corrupt PDF, a file that is not what its name
says). It returns ``[(kind, path, rule_expected)]``. Used by the tests and `make eval`.
All names are the evaluation key's invented ones.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

NAME = "Bethany Carrow"  # the evaluation key's victim, invented
PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title>
<style>@page {{ size: A5; margin: 15mm }} body {{ font-family: "Liberation Sans" }}</style>
</head><body><h1>Overview report</h1><p>Clara was supported by the IDVA.</p>{extra}</body></html>"""


def _pdf(extra: str = "", title: str = "Overview report") -> bytes:
    import weasyprint

    return weasyprint.HTML(string=PAGE.format(title=title, extra=extra)).write_pdf()


def _pikepdf(edit) -> bytes:
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(_pdf()))
    edit(pdf, pikepdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _metadata(pdf, pikepdf) -> None:
    pdf.docinfo["/Author"] = NAME


def _xmp(pdf, pikepdf) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [NAME]


def _bookmark(pdf, pikepdf) -> None:
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem(f"Interview with {NAME}", 0))


def _annotation(pdf, pikepdf) -> None:
    annot = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text,
                               Rect=[10, 10, 30, 30],
                               Contents=pikepdf.String(f"Check with {NAME} first"))
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([annot]))


def _attachment(pdf, pikepdf) -> None:
    spec = pikepdf.AttachedFileSpec(pdf, f"Notes on {NAME}.".encode(), mime_type="text/plain")
    pdf.attachments["interview-notes.txt"] = spec


def _encrypted() -> bytes:
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(_pdf()))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user="user"))
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _zip_escape() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("../../outside.txt"), b"escaped")
    return out.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.txt", b"\0" * (300 * 1024 * 1024))
    return out.getvalue()


def build_artefacts(folder: Path) -> list[tuple[str, Path, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    clean_html = PAGE.format(title="Overview report", extra="").encode()
    made = {
        # PDF: the text layer, including text nobody sees
        "pdf-text": ("page.pdf", lambda: _pdf(f"<p>{NAME} moved house.</p>"), "key-name"),
        "pdf-white-text": ("white.pdf", lambda: _pdf(f'<p style="color:white">{NAME}</p>'),
                           "key-name"),
        "pdf-tiny-text": ("tiny.pdf", lambda: _pdf(f'<p style="font-size:0.5pt">{NAME}</p>'),
                          "key-name"),
        "pdf-off-page-text": ("offpage.pdf", lambda: _pdf(
            f'<p style="position:absolute; left:-200mm; top:10mm">{NAME}</p>'), "key-name"),
        "pdf-metadata": ("metadata.pdf", lambda: _pikepdf(_metadata), "key-name"),
        "pdf-title-metadata": ("title.pdf", lambda: _pdf(title=f"Review: {NAME}"), "key-name"),
        "pdf-xmp": ("xmp.pdf", lambda: _pikepdf(_xmp), "key-name"),
        "pdf-bookmark": ("bookmark.pdf", lambda: _pikepdf(_bookmark), "key-name"),
        "pdf-annotation": ("annotation.pdf", lambda: _pikepdf(_annotation), "key-name"),
        "pdf-form-field": ("form.pdf", lambda: _pdf_form(), "key-name"),
        "pdf-attachment": ("attachment.pdf", lambda: _pikepdf(_attachment), "key-name"),
        # HTML: what is not on the screen
        "html-title": ("title.html", lambda: PAGE.format(title=NAME, extra="").encode(),
                       "key-name"),
        "html-meta": ("meta.html", lambda: clean_html.replace(
            b"<title>", f'<meta name="author" content="{NAME}"><title>'.encode()), "key-name"),
        "html-alt": ("alt.html", lambda: PAGE.format(
            title="t", extra=f'<img src="x.png" alt="Photo of {NAME}">').encode(), "key-name"),
        "html-href": ("href.html", lambda: PAGE.format(
            title="t", extra='<a href="https://example.org/bethany-carrow">link</a>').encode(),
                      "key-name"),
        "html-data-attribute": ("data.html", lambda: PAGE.format(
            title="t", extra=f'<p data-person="{NAME}">x</p>').encode(), "key-name"),
        "html-comment": ("comment.html", lambda: PAGE.format(
            title="t", extra=f"<!-- ask {NAME} -->").encode(), "key-name"),
        # packages
        "zip-member-name": ("name.zip", lambda: _zip({"bethany-carrow-notes.html":
                                                      clean_html}), "key-name"),
        "zip-nested-pdf": ("nested.zip", lambda: _zip({"inner.zip": _zip(
            {"r.pdf": _pdf(f"<p>{NAME}</p>")})}), "key-name"),
        "zip-key-file": ("key.zip", lambda: _zip({"site/key.yaml": b"people: []\n"}),
                         "forbidden-file"),
        "zip-docx-draft": ("docx.zip", lambda: _zip({"draft.docx": b"PK\x03\x04"}),
                           "forbidden-file"),
        "zip-markdown-draft": ("md.zip", lambda: _zip({"report.md": b"# Preface\n"}),
                               "forbidden-file"),
        "zip-revealed-report": ("revealed.zip", lambda: _zip({"gate.txt":
                                b"# dhr-check-revealed-output: x\n"}), "forbidden-file"),
        # hostile or broken input inside a package
        "zip-path-escape": ("escape.zip", _zip_escape, "unreadable"),
        "zip-bomb": ("bomb.zip", _zip_bomb, "unreadable"),
        "zip-encrypted-pdf": ("enc.zip", lambda: _zip({"r.pdf": _encrypted()}), "unreadable"),
        "zip-corrupt-pdf": ("corrupt.zip", lambda: _zip({"r.pdf": b"%PDF-1.7\ngarbage"}),
                            "unreadable"),
        "zip-wrong-type": ("wrong.zip", lambda: _zip({"r.pdf": b"<html>not a pdf</html>"}),
                           "unreadable"),
    }
    out = []
    for kind, (name, make, rule) in made.items():
        path = folder / name
        if not path.exists():
            path.write_bytes(make())
        out.append((kind, path, rule))
    return out


def _pdf_form() -> bytes:
    import weasyprint

    html = PAGE.format(title="t", extra=f'<form><input name="contact" value="{NAME}"></form>')
    return weasyprint.HTML(string=html).write_pdf(pdf_forms=True)


def hostile_top_level(folder: Path) -> list[tuple[str, Path]]:
    """Files that, given directly to `dhr check`, must each be one blocking "unreadable"
    finding (exit 1), with the other paths still checked."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "encrypted.pdf": _encrypted(),
        "corrupt.zip": b"PK\x03\x04 this is not really a zip",
        "fake.pdf": b"<html>not a pdf</html>",
        "notes.unknown": b"hello",
        "latin1.md": "Zo\xe9".encode("latin-1"),
    }
    out = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        out.append((name, path))
    return out
