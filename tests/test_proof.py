"""The proof (``dhr proof``): every PDF page and every HTML screen as PNG with one contact
sheet; and golden page images of the example, so a layout change that moves text fails
here until someone has looked at it (``DHR_UPDATE_GOLDEN=1`` rewrites them)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, MINIMAL, ROOT, run
from PIL import Image, ImageChops
from pypdf import PdfReader

from pipeline.proof.sheet import WIDTHS, render_pages

GOLDEN = ROOT / "tests" / "golden" / "pages"
DPI = 40
# (file, page): the cover, the content note and Support box, numbered paragraphs, an
# action-plan page, the summary's recommendations, both briefing pages, the form.
PAGES = [("report.pdf", 1), ("report.pdf", 3), ("report.pdf", 5), ("action-plan.pdf", 2),
         ("summary.pdf", 9), ("briefing.pdf", 1), ("briefing.pdf", 2), ("form/form.pdf", 1)]
MEAN_LIMIT = 1.5  # mean grey-level difference, of 255
PIXEL_LIMIT = 0.005  # share of pixels more than 48 grey levels apart


def _golden_name(name: str, page: int) -> str:
    return f"{Path(name).stem}-{page}.png"


@pytest.mark.parametrize(("name", "page"), PAGES, ids=[f"{n}:{p}" for n, p in PAGES])
def test_page_matches_its_golden_image(example_build: Path, tmp_path: Path, name, page):
    [png] = render_pages(example_build / name, tmp_path, DPI, page, page)
    golden = GOLDEN / _golden_name(name, page)
    if os.environ.get("DHR_UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, golden)
    new = Image.open(png).convert("L")
    old = Image.open(golden).convert("L")
    assert new.size == old.size, (new.size, old.size)
    diff = ImageChops.difference(new, old)
    histogram = diff.histogram()
    total = new.size[0] * new.size[1]
    mean = sum(level * n for level, n in enumerate(histogram)) / total
    far = sum(histogram[49:]) / total
    if mean > MEAN_LIMIT or far > PIXEL_LIMIT:
        diff.point(lambda v: 255 - min(255, v * 4)).save(tmp_path / "diff.png")
    assert mean <= MEAN_LIMIT and far <= PIXEL_LIMIT, (
        f"{name} page {page} moved (mean {mean:.2f}, {far:.2%} of pixels): look at "
        f"{png} against {golden} ({tmp_path / 'diff.png'})")


def test_golden_images_are_small():
    files = list(GOLDEN.glob("*.png"))
    assert len(files) == len(PAGES)
    assert sum(f.stat().st_size for f in files) < 600_000


def test_proof_writes_every_page_and_screen_and_a_contact_sheet(example_build, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(example_build, out / example_build.name,
                    ignore=shutil.ignore_patterns("proof", "publish", "submit"))
    result = run("proof", EXAMPLE, "--out", out)
    assert result.exit_code == 0, result.output
    folder = out / example_build.name / "proof"
    index = (folder / "index.html").read_text(encoding="utf-8")
    pdfs = sorted(example_build.glob("*.pdf")) + sorted(example_build.glob("form/*.pdf"))
    assert len(pdfs) >= 6
    for pdf in pdfs:
        count = len(PdfReader(pdf).pages)
        pages = [p for p in (folder / "pages").glob(f"{pdf.stem}-*.png")
                 if re.fullmatch(rf"{re.escape(pdf.stem)}-\d+", p.stem)]
        assert len(pages) == count, pdf.name
        for number in range(1, count + 1):
            assert f"{pdf.name}, page {number}<" in index
    for page in sorted(example_build.glob("*.html")):
        for width in WIDTHS:
            shot = folder / "screens" / f"{page.stem}-{width}.png"
            assert Image.open(shot).size[0] == width, shot
            assert f'screens/{page.stem}-{width}.png"' in index
    srcs = re.findall(r'<img src="([^"]+)"', index)
    assert srcs and all((folder / s).is_file() for s in srcs)
    assert '<html lang="en-GB">' in index and index.count("<h1>") == 1


def test_proof_of_a_review_not_built_is_one_located_line(tmp_path):
    result = run("proof", MINIMAL, "--out", tmp_path)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "case.yaml" in lines[0] and "run `dhr build` first" in lines[0]
    assert "Traceback" not in result.output
