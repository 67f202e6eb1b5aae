"""The register's SQLite database: schema by migrations, rows from ``Record``s.

Takes the database path, the records of reviews that changed and the ids of reviews
that went; produces ``register.sqlite`` with foreign keys on. The schema is the SQL in
``migrations/`` applied in order (``PRAGMA user_version`` says how far a file has got).
The file is written by ``VACUUM INTO`` a temporary file and a rename: a reader never sees
half a build, and the same rows give the same bytes whatever builds came before.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from importlib import resources
from pathlib import Path

from pipeline.common.errors import InputError
from pipeline.register.profile import Profile
from pipeline.register.reviews import Record
from pipeline.register.status import action_status, stage, timescale
from pipeline.register.themes import Match

REVIEW_DATES = ("notification", "decision", "home_office_notified", "chair_appointed",
                "first_panel", "submission", "qa_approval", "family_informed", "publication")


def migrations() -> list[tuple[int, str]]:
    folder = resources.files("pipeline.register").joinpath("migrations")
    found = []
    for item in folder.iterdir():
        if item.name.endswith(".sql"):
            found.append((int(item.name.split("_", 1)[0]), item.read_text(encoding="utf-8")))
    return sorted(found)


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = MEMORY")  # no -journal file beside the output
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number, sql in migrations():
        if number > version:
            conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")
    conn.execute("PRAGMA foreign_keys = ON")  # executescript's COMMIT keeps it, be sure
    return conn


def meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


def stored(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """folder -> (review id, digest) of what the database holds."""
    return {folder: (rid, digest) for rid, folder, digest in
            conn.execute("SELECT id, folder, digest FROM reviews")}


def delete(conn: sqlite3.Connection, review_id: str) -> None:
    # Links from later reviews to this one go by cascade, as do its own rows.
    conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))


def store(conn: sqlite3.Connection, r: Record, matches: list[Match]) -> bool:
    """Replace the review's rows; True when its recommendations (or its place in time)
    changed, so the similarity links must be worked out again. When they did not, the
    links to and from it are put back as they were."""
    before = _linkable(conn, r.id)
    links = conn.execute("SELECT * FROM recommendation_links WHERE review_id = ? OR "
                         "earlier_review_id = ?", (r.id, r.id)).fetchall()
    exists = conn.execute("SELECT folder FROM reviews WHERE id = ?", (r.id,)).fetchone()
    if exists and exists[0] != r.folder:
        raise InputError.at(Path(r.folder) / "case.yaml", None,
                            f"review id '{r.id}' is also used by {exists[0]}; ids must be "
                            "unique across the register")
    delete(conn, r.id)
    dates = [r.dates.get(k) for k in REVIEW_DATES]
    death = r.dates.get("death")
    conn.execute(
        "INSERT INTO reviews (id, folder, digest, review_type, category, district, "
        "partnership, region, victim, report_status, publication_decision, stage, death, "
        f"{', '.join(REVIEW_DATES)}, latest_date, lessons) "
        f"VALUES ({', '.join('?' * (15 + len(REVIEW_DATES)))})",
        (r.id, r.folder, r.digest, r.review_type, r.category, r.district, r.partnership,
         r.region, r.victim, r.report_status, r.publication_decision, "notification",
         death[:7] if death else None, *dates, latest_date(r), r.lessons))
    conn.executemany(
        "INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(r.id, i, p["role"], p["age_band"], p["sex"], p["ethnicity"], p["relationship"])
         for i, p in enumerate(r.people, start=1)])
    conn.executemany(
        "INSERT INTO recommendations VALUES (?, ?, ?, ?, ?)",
        [(r.id, x["number"], x["text"], x["agency"], x["line"]) for x in r.recommendations])
    conn.executemany(
        "INSERT INTO actions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(r.id, a["position"], a["recommendation"], a["scope"], a["action"],
          a["lead_agency"], a["milestones"], a["target_date"], a["completion"],
          a["completed"], a["given_status"], "not-started", a["line"]) for a in r.actions])
    conn.executemany("INSERT INTO theme_matches VALUES (?, ?, ?, ?, ?)",
                     [(r.id, m.source, m.number, m.theme, m.words) for m in matches])
    if before is not None and before == _linkable(conn, r.id):
        conn.executemany("INSERT INTO recommendation_links VALUES (?, ?, ?, ?, ?)", links)
        return False
    return True


def _linkable(conn: sqlite3.Connection, review_id: str) -> tuple | None:
    """What the links depend on for one review: its recommendations and its date."""
    row = conn.execute("SELECT coalesce(decision, notification) FROM reviews WHERE id = ?",
                       (review_id,)).fetchone()
    if row is None:
        return None
    texts = conn.execute("SELECT number, text FROM recommendations WHERE review_id = ? "
                         "ORDER BY number", (review_id,)).fetchall()
    return (row[0], tuple(texts))


def latest_date(r: Record) -> str | None:
    values = [v for v in r.dates.values() if v]
    return max(values) if values else None


def set_themes(conn: sqlite3.Connection, themes: list[tuple[str, str]]) -> None:
    # Insert new keys and retitle old ones; a key no longer in the library goes when no
    # match refers to it (every match is redone when the library changes).
    conn.executemany("INSERT INTO themes VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                     "title = excluded.title", themes)
    keys = [k for k, _ in themes]
    conn.execute(f"DELETE FROM themes WHERE key NOT IN ({', '.join('?' * len(keys))}) AND "
                 "key NOT IN (SELECT theme FROM theme_matches)", keys)


def set_links(conn: sqlite3.Connection, rows: list[tuple[str, int, str, int, float]]) -> None:
    conn.execute("DELETE FROM recommendation_links")
    conn.executemany("INSERT INTO recommendation_links VALUES (?, ?, ?, ?, ?)", rows)


def default_as_of(conn: sqlite3.Connection) -> dt.date | None:
    value = conn.execute("SELECT max(latest_date) FROM reviews").fetchone()[0]
    return dt.date.fromisoformat(value) if value else None


def refresh(conn: sqlite3.Connection, profile: Profile, as_of: dt.date) -> None:
    """Stages, timescales and action statuses for the as-of day (cheap: every row)."""
    columns = ", ".join(REVIEW_DATES)
    stages, scales = [], []
    for row in conn.execute(f"SELECT id, {columns} FROM reviews").fetchall():
        dates = dict(zip(REVIEW_DATES, row[1:], strict=True))
        stages.append((stage(dates, as_of), row[0]))
        for scale in profile.timescales:
            t = timescale(scale, dates, as_of)
            scales.append((row[0], t.key, t.status, t.due, t.done, t.days_late))
    conn.executemany("UPDATE reviews SET stage = ? WHERE id = ?", stages)
    conn.execute("DELETE FROM timescales")
    conn.executemany("INSERT INTO timescales VALUES (?, ?, ?, ?, ?, ?)", scales)
    updates = []
    for rid, pos, target, completion, given in conn.execute(
            "SELECT review_id, position, target_date, completion, given_status FROM actions"
    ).fetchall():
        status = action_status({"target_date": target, "completion": completion,
                                "given_status": given}, as_of)
        updates.append((status, rid, pos))
    conn.executemany("UPDATE actions SET status = ? WHERE review_id = ? AND position = ?",
                     updates)
    set_meta(conn, "as_of", as_of.isoformat())


def publish(conn: sqlite3.Connection, path: Path) -> None:
    """Write the database compactly to ``path`` (temporary file, then rename)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    conn.execute("VACUUM INTO ?", (str(tmp),))
    # VACUUM INTO carries the schema cookie on, one more each build; a fixed one keeps the
    # bytes the same whatever came before. Safe here: no one has the new file open.
    out = sqlite3.connect(tmp)
    try:
        out.execute("PRAGMA schema_version = 100")
    finally:
        out.close()
    os.replace(tmp, path)
