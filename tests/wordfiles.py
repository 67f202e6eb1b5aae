"""Fictional Word files for the tests, made by python-docx (real WordprocessingML).

Takes what to put in; produces ``.docx`` bytes on disk. python-docx writes the body,
heading styles, tables, pictures, comments, headers and core properties; what it has no
API for (footnotes, endnotes, tracked changes, custom XML, app properties, embedded files)
is added as the XML Word itself writes, at the package level. Every name is invented.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement, parse_xml
from PIL import Image

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DATE = "2030-01-15T09:00:00Z"
AUTHOR = "Harriet Examplewood"  # a real-looking, invented author


def png(colour: str = "#1d70b8") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def _run(text: str, **rpr: str) -> str:
    props = "".join(f"<w:{k}/>" if v == "" else f'<w:{k} w:val="{v}"/>' for k, v in rpr.items())
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def tracked_insertion(paragraph, text: str, author: str = AUTHOR) -> None:
    paragraph._p.append(parse_xml(
        f'<w:ins xmlns:w="{W_NS}" w:id="901" w:author="{author}" w:date="{DATE}">'
        f"{_run(text)}</w:ins>"))


def tracked_deletion(paragraph, text: str, author: str = AUTHOR) -> None:
    paragraph._p.append(parse_xml(
        f'<w:del xmlns:w="{W_NS}" w:id="902" w:author="{author}" w:date="{DATE}">'
        f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'))


def note_reference(paragraph, kind: str, number: int) -> None:
    """A footnote or endnote mark; the note's text goes in with ``finish``."""
    run = OxmlElement("w:r")
    run.append(parse_xml(f'<w:{kind}Reference xmlns:w="{W_NS}" w:id="{number}"/>'))
    paragraph._p.append(run)


def hyperlink(paragraph, text: str, url: str) -> None:
    rid = paragraph.part.relate_to(url, docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK,
                                   is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink xmlns:w="{W_NS}" xmlns:r="{REL_NS}" r:id="{rid}">{_run(text)}'
        "</w:hyperlink>"))


def picture(document, alt: str | None, name: str = "picture.png") -> None:
    document.add_picture(io.BytesIO(png()), width=docx.shared.Cm(4))
    doc_pr = document.paragraphs[-1]._p.xpath(".//wp:docPr")[0]
    doc_pr.set("name", name)
    if alt is None:
        doc_pr.attrib.pop("descr", None)
    else:
        doc_pr.set("descr", alt)


def core(document, author: str = AUTHOR, last: str = AUTHOR, title: str = "Overview report"):
    props = document.core_properties
    props.author, props.last_modified_by, props.title = author, last, title
    props.comments = ""
    import datetime as dt

    stamp = dt.datetime(2030, 1, 15, 9, 0, 0)
    props.created = props.modified = stamp
    props.revision = 1


def finish(document, path: Path, footnotes: dict[int, str] | None = None,
           endnotes: dict[int, str] | None = None, custom_xml: str | None = None,
           company: str | None = None, embedded: dict[str, bytes] | None = None) -> Path:
    """Save, then add the parts python-docx has no API for."""
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    parts = {info.filename: source.read(info) for info in source.infolist()}
    types = parts["[Content_Types].xml"].decode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    extra_types, extra_rels = [], []
    for kind, notes in (("footnote", footnotes), ("endnote", endnotes)):
        if not notes:
            continue
        body = "".join(
            f'<w:{kind} w:id="{n}"><w:p>'
            f'<w:r><w:{kind}Ref/></w:r>{_run(" " + text)}</w:p></w:{kind}>'
            for n, text in notes.items())
        parts[f"word/{kind}s.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:{kind}s xmlns:w="{W_NS}">'
            f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            f'</w:{kind}><w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
            f"<w:continuationSeparator/></w:r></w:p></w:{kind}>{body}</w:{kind}s>").encode()
        extra_types.append(
            f'<Override PartName="/word/{kind}s.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"/>')
        extra_rels.append(
            f'<Relationship Id="rIdX{kind}" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/{kind}s" Target="{kind}s.xml"/>')
    if custom_xml is not None:  # python-docx's template already relates customXml/item1.xml
        parts["customXml/item1.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><review><owner>{custom_xml}</owner>'
            "</review>").encode()
    if "word/comments.xml" in parts:  # python-docx stamps comments with the clock
        parts["word/comments.xml"] = re.sub(rb'w:date="[^"]*"', f'w:date="{DATE}"'.encode(),
                                            parts["word/comments.xml"])
    for name, data in (embedded or {}).items():
        parts[f"word/embeddings/{name}"] = data
        extra_types.append(f'<Override PartName="/word/embeddings/{name}" '
                           'ContentType="application/octet-stream"/>')
    if company is not None:
        parts["docProps/app.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="'
            'http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>Microsoft Office Word</Application><Company>{company}</Company>"
            "</Properties>").encode()
        if "docProps/app.xml" not in types:
            extra_types.append(
                '<Override PartName="/docProps/app.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.extended-properties+xml"/>')
    parts["[Content_Types].xml"] = types.replace("</Types>", "".join(extra_types)
                                                 + "</Types>").encode()
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>", "".join(extra_rels) + "</Relationships>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(parts, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=(2030, 1, 15, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, parts[name])
    path.write_bytes(out.getvalue())
    return path


# -- the chair's draft -----------------------------------------------------------------------

CHRONOLOGY = [("Date", "Agency", "Event"),
              ("March 2028", "Kent Police", "Call to the home; no offence recorded."),
              ("June 2028", "GP surgery", "Zoe attended with anxiety.")]

SECTIONS = [
    ("1. Introduction", ["1.1 This review examines the death of Zoe in January 2029.",
                         "1.2 The panel offers its condolences to her family."]),
    ("2. Timescales", ["2.1 The review began in February 2029."]),
    ("3. Confidentiality", ["The pseudonyms were chosen by the chair, as the family asked."]),
    ("4. Terms of Reference", ["@list What did agencies know?", "@list What did they do?"]),
    ("5. Methodology", ["Agencies wrote IMRs."]),
    ("6. Family Involvement", ["Zoe's mother met the chair."]),
    ("7. Contributors to the Review", ["Kent Police gave an IMR and a chronology."]),
    ("8. The Review Panel", ["The panel met once."]),
    ("9. Chair and Author of the Overview Report", ["The chair is independent."]),
    ("10. Parallel Reviews", ["There was a criminal trial."]),
    ("11. Equality and Diversity", [
        "Age, disability, gender reassignment, marriage and civil partnership, pregnancy "
        "and maternity, race, religion or belief, sex and sexual orientation were all "
        "considered."]),
    ("12. Dissemination", ["The report goes to every agency."]),
    ("13. Background Information", ["@tracked Zoe lived in a town in Kent."]),
    ("14. Chronology", ["@table"]),
    ("15. Overview", ["@picture An overview.", "@comment The agencies met in 2028."]),
    ("16. Analysis", ["@h2 16.1 Term 1", "a) Analysis of term 1.@footnote"]),
    ("17. Conclusions", ["Zoe's death was not predictable."]),
    ("18. Lessons to be Learned", ["Agencies must share information."]),
    ("19. Recommendations", ["@list Kent Police should review its training."]),
]


def chair_draft(path: Path, changes: bool = True, comment: bool = True) -> Path:
    """A fictional chair's overview report in Word: heading styles with typed numbers,
    typed paragraph numbers, Word lists, a captioned chronology table, a footnote, a
    picture with alt text, a comment, a tracked insertion and deletion, a header, and
    core properties naming an author."""
    document = docx.Document()
    core(document)
    document.sections[0].header.paragraphs[0].text = "OFFICIAL-SENSITIVE: draft overview report"
    for heading, paragraphs in SECTIONS:
        document.add_heading(heading, level=1)
        for text in paragraphs:
            if text.startswith("@list "):
                document.add_paragraph(text[6:], style="List Number")
            elif text.startswith("@h2 "):
                document.add_heading(text[4:], level=2)
            elif text == "@table":
                document.add_paragraph("Table 1: Combined chronology", style="Caption")
                table = document.add_table(rows=0, cols=3)
                table.style = "Table Grid"
                for row in CHRONOLOGY:
                    cells = table.add_row().cells
                    for cell, value in zip(cells, row, strict=True):
                        cell.text = value
            elif text.startswith("@picture "):
                document.add_paragraph(text[9:])
                picture(document, "A map of the county, with no places marked")
            elif text.startswith("@comment "):
                paragraph = document.add_paragraph(text[9:])
                if comment:
                    document.add_comment(paragraph.runs, text="Check this date with the police",
                                         author=AUTHOR, initials="HE")
            elif text.startswith("@tracked "):
                paragraph = document.add_paragraph(text[9:])
                if changes:
                    tracked_insertion(paragraph, " She worked in a shop.")
                    tracked_deletion(paragraph, " She had no family nearby.")
            elif text.endswith("@footnote"):
                paragraph = document.add_paragraph(text[:-9])
                note_reference(paragraph, "footnote", 1)
            else:
                document.add_paragraph(text)
    return finish(document, path, footnotes={1: "Kent Police IMR, paragraph 4."})


def planted(path: Path, place: str, name: str) -> Path:
    """A one-page Word file that is clean except for ``name`` in one ``place``; with
    ``place`` "none", clean throughout."""
    document = docx.Document()
    core(document, author="Records Office" if place != "author" else name,
         last="Records Office" if place != "last_modified_by" else name)
    if place == "title":
        document.core_properties.title = f"Review of {name}"
    header = document.sections[0].header.paragraphs[0]
    header.text = f"Draft for {name}" if place == "header" else "OFFICIAL-SENSITIVE"
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = f"Prepared by {name}" if place == "footer" else "Page footer"
    document.add_heading("Introduction", level=1)
    body = document.add_paragraph("This review examines the death of Zoe.")
    if place == "body":
        body.add_run(f" She was known as {name}.")
    if place == "hidden":
        run = body.add_run(f" {name}")
        run.font.hidden = True
    if place == "highlight":
        run = body.add_run(f" {name}")
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    if place == "insertion":
        tracked_insertion(body, f" Her sister was {name}.")
    if place == "deletion":
        tracked_deletion(body, f" Her sister was {name}.")
    if place == "insertion_author":
        tracked_insertion(body, " It was winter.", author=name)
    if place in ("comment", "comment_author"):
        document.add_comment(body.runs[0], author=name if place == "comment_author" else "Chair",
                             text=f"Ask {name}" if place == "comment" else "Check the date",
                             initials="XY")
    if place == "footnote":
        note_reference(body, "footnote", 1)
    if place == "endnote":
        note_reference(body, "endnote", 1)
    if place == "hyperlink":
        hyperlink(body, "the newspaper report",
                  f"https://news.example.org/{name.lower().replace(' ', '-')}")
    if place == "alt_text":
        picture(document, f"A photograph of {name}")
    elif place == "image_name":
        picture(document, "A photograph of a garden", name=f"{name}.png")
    else:
        picture(document, "A map of the county")
    return finish(
        document, path,
        footnotes={1: f"Interview with {name}."} if place == "footnote" else None,
        endnotes={1: f"Letter from {name}."} if place == "endnote" else None,
        custom_xml=name if place == "custom_xml" else None,
        company=name if place == "company" else "Example Council",
        embedded=({f"{name.replace(' ', '_')}_notes.txt": b"notes"} if place == "embedded_name"
                  else {"notes.txt": f"Notes about {name}".encode()}
                  if place == "embedded_content" else None),
    )


def headed(path: Path, headings: list[str], merged: bool = False, alt: str | None = "A map",
           cover: bool = False) -> Path:
    """A short draft with the given level-1 headings, one paragraph under each; with
    ``merged`` a table with merged cells, with ``alt=None`` a picture without alt text, with
    ``cover`` a title and contents before the first heading."""
    document = docx.Document()
    core(document, author="Records Office", last="Records Office")
    if cover:
        document.add_paragraph("Overview report into the death of Zoe", style="Title")
        document.add_paragraph("Contents")
    for heading in headings:
        document.add_heading(heading, level=1)
        document.add_paragraph(f"Text under {heading.lower()}.")
    if merged:
        table = document.add_table(rows=3, cols=3)
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                cell.text = f"r{r}c{c}"
        table.cell(1, 0).merge(table.cell(1, 1))
    picture(document, alt)
    return finish(document, path)
