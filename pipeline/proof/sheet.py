"""The proof: a built review -> build/<id>/proof/, every page as the reader sees it.

Takes ``build/<id>/`` as ``dhr build`` left it; writes ``proof/pages/`` (every page of
every PDF as PNG, by poppler's ``pdftoppm``), ``proof/screens/`` (every HTML file in
Debian's Chromium through Playwright, the whole page at 1280 and at 320 CSS pixels wide)
and ``proof/index.html``, one contact sheet linking them all, so the officer looks at each
page before anything is published. Nothing here changes a document; the proof is never
published. Tools missing or nothing built yet is an InputError (exit 2).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.common.errors import InputError
from pipeline.common.fsutil import write_atomic

PAGE_DPI = 50
WIDTHS = (1280, 320)
CHROMIUM = Path("/usr/bin/chromium")
# Chromium otherwise keeps calling Google's hosts, which a closed network refuses; none of
# these changes what a page renders.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"]


@dataclass
class Proof:
    folder: Path
    index: Path
    pages: dict[str, list[Path]] = field(default_factory=dict)  # PDF name -> page PNGs
    screens: dict[str, list[Path]] = field(default_factory=dict)  # HTML name -> PNGs


def documents(out_dir: Path) -> tuple[list[Path], list[Path]]:
    """The PDFs and HTML files a build wrote: the publication set and the form."""
    pdfs = sorted(out_dir.glob("*.pdf")) + sorted((out_dir / "form").glob("*.pdf"))
    return pdfs, sorted(out_dir.glob("*.html"))


def render_pages(pdf: Path, target: Path, dpi: int = PAGE_DPI,
                 first: int | None = None, last: int | None = None) -> list[Path]:
    """Pages of ``pdf`` as ``target/<stem>-N.png`` (pdftoppm numbers them)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise InputError("pdftoppm not found; run `make deps` (installs poppler-utils)")
    target.mkdir(parents=True, exist_ok=True)
    args = [tool, "-r", str(dpi), "-png"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    subprocess.run([*args, str(pdf), str(target / pdf.stem)], check=True,
                   capture_output=True)
    # briefing-*.png would also match briefing-action-plan-1.png
    own = re.compile(rf"{re.escape(pdf.stem)}-\d+")
    return sorted((p for p in target.glob(f"{pdf.stem}-*.png") if own.fullmatch(p.stem)),
                  key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def screenshots(pages: list[Path], target: Path, widths=WIDTHS) -> dict[str, list[Path]]:
    """Each HTML file, whole page, at each width. Run in a thread of its own: Playwright
    allows one sync session per thread, and the caller may hold one already."""
    if not CHROMIUM.exists():
        raise InputError(f"{CHROMIUM} not found; run `make deps` (installs Debian's chromium)")
    target.mkdir(parents=True, exist_ok=True)
    out: dict[str, list[Path]] = {}
    failure: list[BaseException] = []

    def work() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                     args=CHROMIUM_FLAGS)
                try:
                    for page_path in pages:
                        shots = []
                        for width in widths:
                            page = browser.new_page(viewport={"width": width, "height": 900})
                            page.goto(page_path.resolve().as_uri(), wait_until="load")
                            shot = target / f"{page_path.stem}-{width}.png"
                            page.screenshot(path=str(shot), full_page=True)
                            page.close()
                            shots.append(shot)
                        out[page_path.name] = shots
                finally:
                    browser.close()
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=work, name="proof-screenshots")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return out


def make_proof(out_dir: Path, source: Path) -> Proof:
    """The whole proof of one built review; ``source`` (case.yaml) names it in errors."""
    pdfs, pages = documents(out_dir)
    if not pdfs and not pages:
        raise InputError.at(source, None, f"nothing built in {out_dir} yet; run "
                            "`dhr build` first")
    folder = out_dir / "proof"
    if folder.exists():
        shutil.rmtree(folder)  # a page a document no longer has must not linger
    proof = Proof(folder, folder / "index.html")
    for pdf in pdfs:
        proof.pages[pdf.name] = render_pages(pdf, folder / "pages")
    proof.screens = screenshots(pages, folder / "screens")
    write_atomic(proof.index, contact_sheet(proof, out_dir.name))
    return proof


def contact_sheet(proof: Proof, review_id: str) -> str:
    """index.html: one section per document, every page or screen as a linked thumbnail."""
    def figure(path: Path, caption: str, kind: str) -> str:
        rel = path.relative_to(proof.folder).as_posix()
        return (f'<figure class="{kind}"><a href="{html.escape(rel)}"><img src="'
                f'{html.escape(rel)}" alt="{html.escape(caption)}" loading="lazy"></a>'
                f"<figcaption>{html.escape(caption)}</figcaption></figure>")

    sections = []
    for name, shots in proof.pages.items():
        figures = "".join(figure(p, f"{name}, page {i}", "page")
                          for i, p in enumerate(shots, start=1))
        count = f"{len(shots)} page" + ("" if len(shots) == 1 else "s")
        sections.append(f"<section><h2>{html.escape(name)} ({count})</h2>"
                        f'<div class="grid">{figures}</div></section>')
    for name, shots in proof.screens.items():
        figures = "".join(figure(p, f"{name} at {w} pixels wide", f"screen w{w}")
                          for p, w in zip(shots, WIDTHS, strict=True))
        sections.append(f'<section><h2>{html.escape(name)} in Chromium</h2>'
                        f'<div class="grid">{figures}</div></section>')
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Proof of {html.escape(review_id)}: every page before publishing</title>
<style>
body {{ font-family: "Liberation Sans", Arial, sans-serif; margin: 1rem; color: #1b1b1b; }}
.grid {{ display: flex; flex-wrap: wrap; gap: .8rem; align-items: flex-start; }}
figure {{ margin: 0; font-size: .85rem; }}
figure img {{ border: 1px solid #6b6b6b; display: block; max-height: 16rem; width: auto; }}
figure.w320 img {{ max-height: 24rem; }}
a:focus img {{ outline: 3px solid #1d4f76; }}
</style>
</head>
<body>
<main>
<h1>Proof of {html.escape(review_id)}</h1>
<p>Every page of every PDF ({PAGE_DPI} dpi) and every HTML file at {" and ".join(
        str(w) for w in WIDTHS)} pixels wide, as a reader sees them. Look at each before
publishing; select a page to see it larger.</p>
{"".join(sections)}
</main>
</body>
</html>
"""
