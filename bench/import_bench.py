"""Benchmark for `make bench`: `dhr import` of a 30,000-word Word draft. Prints figures,
asserts nothing.

The draft is made here with python-docx (fictional text): the twenty Home Office
sections as Heading 1, typed paragraph numbers, a 60-row chronology table and a footnote
every tenth paragraph, so the converter and the writer see what a real report has. Each
run is `dhr import` in a fresh process, as the officer runs it.

    python bench/import_bench.py [WORDS]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
from wordfiles import finish, note_reference  # noqa: E402

from bench import DHR, measure  # noqa: E402
from pipeline.report.profile import load_profile  # noqa: E402

SENTENCE = ("The agency recorded the contact and shared it with the panel, which considered "
            "what was known about the risk at that time and what could have been done. ")


def draft(path: Path, words: int) -> int:
    document = docx.Document()
    sections = load_profile().sections
    per_section = words // len(sections)
    notes: dict[int, str] = {}
    written = 0
    for number, spec in enumerate(sections, start=1):
        document.add_heading(f"{number}. {spec.title}", level=1)
        if spec.key == "chronology":
            document.add_paragraph("Table 1: Combined chronology", style="Caption")
            table = document.add_table(rows=0, cols=3)
            for row in range(60):
                cells = table.add_row().cells
                for cell, text in zip(cells, (f"Month {row}", "Kent Police", SENTENCE),
                                      strict=True):
                    cell.text = text
                written += len(SENTENCE.split()) + 4
        paragraph_words = len(SENTENCE.split()) * 4
        for index in range(max(1, per_section // paragraph_words)):
            paragraph = document.add_paragraph(f"{number}.{index + 1} " + SENTENCE * 4)
            written += paragraph_words
            if index % 10 == 0:
                notes[len(notes) + 1] = "Agency IMR, paragraph 4."
                note_reference(paragraph, "footnote", len(notes))
    finish(document, path, footnotes=notes)
    return written


def main() -> None:
    words = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "draft.docx"
        written = draft(path, words)
        size = path.stat().st_size / 1024
        print(f"import: a {written:,}-word .docx ({size:.0f} KiB, 20 sections, 60-row table)")
        times = []
        for run in range(3):
            case = Path(tmp) / f"case-{run}"
            seconds, mib = measure([*DHR, "import", str(path), str(case)])
            times.append(seconds)
            print(f"  run {run + 1}: {seconds:.2f} s, peak {mib:.0f} MiB")
        report = (Path(tmp) / "case-0" / "report.md").read_text(encoding="utf-8")
        print(f"  best {min(times):.2f} s; report.md {len(report.split()):,} words")


if __name__ == "__main__":
    main()
