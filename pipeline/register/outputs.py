"""Everything ``build/register/`` holds besides the database.

Takes the refreshed register connection, the profile, the output folder and the as-of
day; writes ``dashboard.html``, ``actions.csv``, ``actions.xlsx``, ``annual-report.html``,
``annual-report.pdf`` and ``national.json``. A file whose bytes would not change is not
written again, and the PDF is not rendered again while the print HTML it comes from is
unchanged (its digest is kept in ``.cache/``), so a small change costs little.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

from ..fsutil import write_atomic
from . import annual, dashboard, views
from .charts import Charts
from .national import national
from .profile import Profile
from .tables import to_csv, to_xlsx


def write_outputs(conn: sqlite3.Connection, profile: Profile, out: Path, as_of: dt.date,
                  result, pdf: bool = True) -> None:
    cache = out / ".cache"
    charts = Charts(cache / "charts")

    def put(name: str, data: bytes | str) -> None:
        path = out / name
        data = data.encode("utf-8") if isinstance(data, str) else data
        if path.is_file() and path.read_bytes() == data:
            result.unchanged.append(path)
            return
        write_atomic(path, data)
        result.written.append(path)

    put("dashboard.html", dashboard.render(dashboard.context(conn, profile, as_of, charts)))
    ordered = views.actions_in_order(conn)
    put("actions.csv", to_csv(ordered))
    put("actions.xlsx", to_xlsx(ordered, as_of, f"{profile.partnership}: actions"))
    ctx = annual.context(conn, profile, as_of)
    put("annual-report.html", annual.render(ctx, "web"))
    put("national.json", national(conn, as_of, profile.partnership))
    if not pdf:
        return
    html = annual.render(ctx, "print")
    digest = hashlib.sha256(html.encode()).hexdigest()
    stamp = cache / "annual-report.pdf.sha256"
    target = out / "annual-report.pdf"
    if target.is_file() and stamp.is_file() and stamp.read_text() == digest:
        result.unchanged.append(target)
        return
    from ..pdf import html_to_pdf

    write_atomic(target, html_to_pdf(html, out, target))
    write_atomic(stamp, digest)
    result.written.append(target)
