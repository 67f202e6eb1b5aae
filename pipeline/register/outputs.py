"""Everything ``build/register/`` holds besides the database.

Takes the refreshed register connection, the profile, the output folder and the as-of
day; writes ``dashboard.html``, ``actions.csv``, ``actions.xlsx``, ``annual-report.html``,
``annual-report.pdf`` and ``national.json``. A file whose bytes would not change is not
written again, and the PDF is not rendered again while the print HTML it comes from is
unchanged (its digest is kept in ``.cache/``), so a small change costs little. What must
be made again with WeasyPrint or matplotlib (a second of imports between them), and the
workbook when no chart is drawn, is made in worker processes (``workers``) while this
one writes the rest. A PDF out of date is removed before it is rendered again, or when
``--no-pdf`` leaves it out, never left beside a newer HTML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import time
from pathlib import Path

from pipeline.common.fsutil import write_atomic
from pipeline.common.workers import Workers
from pipeline.register import annual, dashboard, views
from pipeline.register.charts import Charts, draw
from pipeline.register.national import national
from pipeline.register.profile import Profile
from pipeline.register.tables import to_csv, to_xlsx


def write_outputs(conn: sqlite3.Connection, profile: Profile, out: Path, as_of: dt.date,
                  result, workers: Workers, pdf: bool = True) -> None:
    cache = out / ".cache"
    charts = Charts(cache / "charts")
    # Every output is a function of the database, the as-of day, the templates and this
    # code: when none of them changed, nothing needs writing.
    basis = _basis(out / "register.sqlite", as_of, pdf)
    stamp_all = cache / "outputs.sha256"
    if stamp_all.is_file() and stamp_all.read_text() == basis and \
            all((out / name).is_file() for name in _names(pdf)):
        result.unchanged += [out / name for name in _names(pdf)]
        return
    # Gone until everything below is written: a failure part way leaves no claim that
    # the outputs are current.
    stamp_all.unlink(missing_ok=True)

    def put(name: str, data: bytes | str) -> None:
        path = out / name
        data = data.encode("utf-8") if isinstance(data, str) else data
        if path.is_file() and path.read_bytes() == data:
            result.unchanged.append(path)
            return
        write_atomic(path, data)
        result.written.append(path)

    started = time.perf_counter()
    ctx = annual.context(conn, profile, as_of)
    rendering = _pdf(ctx, out, cache, result, workers, render=pdf)
    started = result.timed("annual report context, PDF sent to render", started)
    page = dashboard.context(conn, profile, as_of, charts)
    drawing = workers.run("other", draw, dict(charts.missing)) if charts.missing else None
    started = result.timed("dashboard context, charts sent to draw", started)
    ordered = views.actions_in_order(conn)
    title = f"{profile.partnership}: actions"
    # Thousands of cells are a third of a second of XlsxWriter: written by the other
    # worker when it has no charts to draw, here when it has.
    workbook = None if drawing else workers.run("other", to_xlsx, ordered, as_of, title)
    put("actions.csv", to_csv(ordered))
    if drawing:
        put("actions.xlsx", to_xlsx(ordered, as_of, title))
    started = result.timed("actions.csv and .xlsx (or sent to write)", started)
    put("annual-report.html", annual.render(ctx, "web"))
    put("national.json", national(conn, as_of, profile.partnership))
    started = result.timed("annual report HTML, national.json", started)
    if drawing:
        charts.fill(drawing.get())
        started = result.timed("waiting for the charts", started)
    put("dashboard.html", dashboard.render(page))
    started = result.timed("dashboard HTML", started)
    if workbook:
        put("actions.xlsx", workbook.get())
        started = result.timed("waiting for actions.xlsx", started)
    if rendering:
        rendering()
        result.timed("waiting for the annual report PDF", started)
    write_atomic(stamp_all, basis)


def _pdf(ctx: dict, out: Path, cache: Path, result, workers: Workers, render: bool):
    """The annual report's PDF, kept while its print HTML is unchanged; otherwise the old
    one is removed and, unless ``--no-pdf`` (``render`` False), sent to render. Gives what
    to call to finish it (None when there is nothing to wait for)."""
    html = annual.render(ctx, "print")
    digest = hashlib.sha256(html.encode()).hexdigest()
    stamp = cache / "annual-report.pdf.sha256"
    target = out / "annual-report.pdf"
    if target.is_file() and stamp.is_file() and stamp.read_text() == digest:
        if render:
            result.unchanged.append(target)
        return None
    if target.is_file() and not render:
        result.deleted.append(target)
    stamp.unlink(missing_ok=True)
    target.unlink(missing_ok=True)
    if not render:
        return None
    from pipeline.report.pdf import html_to_pdf

    job = workers.run("pdf", html_to_pdf, html, out, target)

    def finish() -> None:
        write_atomic(target, job.get())
        write_atomic(stamp, digest)
        result.written.append(target)

    return finish


NAMES = ("dashboard.html", "actions.csv", "actions.xlsx", "annual-report.html",
         "national.json")


def _names(pdf: bool) -> tuple[str, ...]:
    return (*NAMES, "annual-report.pdf") if pdf else NAMES


def _basis(database: Path, as_of: dt.date, pdf: bool) -> str:
    from pipeline import __version__
    from pipeline.common.templates import home
    from pipeline.register.profile import templates_dir

    sha = hashlib.sha256(f"{__version__} {as_of.isoformat()} {pdf}\n".encode())
    sha.update(database.read_bytes())
    code = Path(__file__).resolve().parent
    for path in sorted([*templates_dir().iterdir(), *code.glob("*.py"),
                        home() / "templates" / "briefing" / "themes.yaml"]):
        if path.is_file():
            sha.update(path.name.encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()
