"""``dhr register``: every review folder -> ``build/register/``.

Takes the folders to search, the output root and an optional as-of day; produces
``register.sqlite`` (rebuilt incrementally: a review whose files did not change is not
read again), then the dashboard, the action lists (CSV, XLSX), the annual report (HTML,
PDF) and ``national.json`` from it. The as-of day defaults to the newest date any review
records, never the clock, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__
from pipeline.common.errors import InputError
from pipeline.common.workers import Workers
from pipeline.register import db
from pipeline.register.profile import Profile, load_profile
from pipeline.register.reviews import RECORD_VERSION, find_reviews, fingerprint, read_review
from pipeline.register.similar import Item, links
from pipeline.register.themes import library, library_digest, match_record

OUT_DIR = "register"


@dataclass
class Result:
    out: Path
    reviews: int = 0
    read: list[str] = field(default_factory=list)  # review ids read again
    removed: list[str] = field(default_factory=list)  # review ids no longer found
    deleted: list[Path] = field(default_factory=list)  # outputs out of date, not rebuilt
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    as_of: dt.date | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step, for bench

    def timed(self, step: str, since: float) -> float:
        now = time.perf_counter()
        self.timings[step] = self.timings.get(step, 0.0) + now - since
        return now


def build_register(roots: list[Path], out_root: Path, as_of: dt.date | None = None,
                   profile: Profile | None = None, pdf: bool = True) -> Result:
    profile = profile or load_profile()
    out = out_root / OUT_DIR
    out.mkdir(parents=True, exist_ok=True)
    result = Result(out)
    started = time.perf_counter()
    folders = find_reviews(roots)
    if not folders:
        raise InputError.at(roots[0] if roots else None, None,
                            "no review folders (with case.yaml) found")
    path = out / "register.sqlite"
    conn = db.connect(path)
    workers = Workers()  # shut down before the database closes, by the finally below

    def changed() -> None:
        # Something will be made again: WeasyPrint is imported on the other core
        # meanwhile (the PDF's inputs are known only later). matplotlib is not: warming
        # it for a change that redraws no chart cost a recommendation change more than
        # importing it when a chart is due costs an action plan change.
        if pdf:
            workers.warm("pdf", "pipeline.report.pdf_tags")
        workers.warm("other", "xlsxwriter")

    try:
        _sync(conn, folders, profile, result, changed)
        started = result.timed("read and store changed reviews, links", started)
        when = as_of or db.default_as_of(conn)
        if when is None:
            raise InputError.at(folders[0] / "case.yaml", None, "no review records a date")
        result.as_of = when
        conn.execute("BEGIN")
        db.refresh(conn, profile, when)
        conn.execute("COMMIT")
        db.publish(conn, path)
        result.written.append(path)
        result.timed("statuses as of, write the database", started)
        from pipeline.register.outputs import write_outputs

        write_outputs(conn, profile, out, when, result, workers, pdf=pdf)
    finally:
        started = time.perf_counter()
        workers.close()
        result.timed("workers finish", started)
        conn.close()
    return result


def _sync(conn, folders: list[Path], profile: Profile, result: Result,
          changed: Callable[[], None]) -> None:
    """Bring the database's reviews in line with the folders, reading only changed ones;
    ``changed`` is called first when any did."""
    # Everything derived from the library, the profile or the code version is redone when
    # one of them changes; otherwise a review's rows depend only on its own files.
    basis = hashlib.sha256(f"{__version__} {RECORD_VERSION} {library_digest()} "
                           f"{profile.similarity}".encode()).hexdigest()
    conn.execute("BEGIN")
    try:
        if db.meta(conn, "basis") != basis:
            for (rid, _digest) in db.stored(conn).values():
                db.delete(conn, rid)
        # Matched by where the folder really is, however the command line spelt it.
        held = {str(Path(k).resolve()): v for k, v in db.stored(conn).items()}
        wanted = {str(f.resolve()): f for f in folders}
        for folder_key, (rid, _digest) in sorted(held.items()):
            if folder_key not in wanted:
                db.delete(conn, rid)
                result.removed.append(rid)
        db.set_themes(conn, [(t.key, t.title) for t in library().themes])
        seen: dict[str, str] = {}
        digests = {key: fingerprint(folder) for key, folder in wanted.items()}
        stale = {key for key, digest in digests.items()
                 if held.get(key, (None, None))[1] != digest}
        relink = bool(result.removed)
        if relink or stale:
            changed()
        for key, folder in wanted.items():
            if key not in stale:
                seen[held[key][0]] = key
                continue
            record = read_review(folder, digests[key])
            if record.id in seen:
                raise InputError.at(folder / "case.yaml", None,
                                    f"review id '{record.id}' is also used by "
                                    f"{seen[record.id]}; ids must be unique")
            seen[record.id] = key
            relink = db.store(conn, record, match_record(record)) or relink
            result.read.append(record.id)
        result.reviews = len(seen)
        if relink or db.meta(conn, "basis") != basis:
            _relink(conn, profile)
        db.set_meta(conn, "basis", basis)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _relink(conn, profile: Profile) -> None:
    """Links between similar recommendations, over the whole register: TF-IDF weights
    depend on every text, so one changed review can move any score."""
    rows = conn.execute(
        "SELECT r.review_id, r.number, r.text, coalesce(v.decision, v.notification, ''), "
        "v.id FROM recommendations r JOIN reviews v ON v.id = r.review_id "
        "ORDER BY r.review_id, r.number").fetchall()
    items = [Item(rid, number, (when, vid), text) for rid, number, text, when, vid in rows]
    found = links(items, profile.similarity)
    db.set_links(conn, [(a.review, a.number, b.review, b.number, score)
                        for a, b, score in found])
