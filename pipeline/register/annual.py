"""The annual report to the council's cabinet committee: ``annual-report.html`` and
``.pdf``.

Takes the register, the profile and the as-of day (the period is the profile's
``period_months`` ending on it); produces the yearly update: reviews commissioned, in
progress, submitted and published in the period; all reviews by district and by type,
beside the Home Office's national figures; victims by sex and age band; the themes; the
repeated recommendations of published reviews; and progress of action plans. Every count
goes through ``suppress``: below the profile's threshold it reads "fewer than N", and
more are hidden where totals would give it away. Percentages are shown only beside counts
that are shown.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from pipeline import __version__
from pipeline.case.folder import long_date
from pipeline.common.templates import fonts, jinja_env
from pipeline.register import suppress, views
from pipeline.register.profile import Profile, templates_dir
from pipeline.register.status import ACTION_LABELS, ACTION_STATUSES, STAGE_LABELS, add_months

AGE_BANDS = ("16-19", "20-24", "25-34", "35-44", "45-54", "55-64", "65+", "Unknown")
MAX_REPEATS = 12
SEXES = (("female", "Female"), ("male", "Male"), ("other", "Other"), ("unknown", "Unknown"))


def period(profile: Profile, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the period ending on the as-of day."""
    return add_months(as_of, -profile.period_months) + dt.timedelta(days=1), as_of


def _in(value: str | None, start: dt.date, end: dt.date) -> bool:
    return bool(value) and start.isoformat() <= value <= end.isoformat()


def context(conn: sqlite3.Connection, profile: Profile, as_of: dt.date) -> dict:
    k = profile.threshold
    start, end = period(profile, as_of)
    reviews = views.reviews(conn)
    headline_rows = [
        ("Commissioned in the period (decision to review)",
         sum(_in(r["decision"], start, end) for r in reviews)),
        ("In progress at the end of the period",
         sum(bool(r["decision"]) and r["stage"] != "published" for r in reviews)),
        ("Submitted to the Home Office in the period",
         sum(_in(r["submission"], start, end) for r in reviews)),
        ("Published in the period", sum(_in(r["publication"], start, end) for r in reviews)),
    ]
    # Not a partition (a review can be in several rows): each count stands alone.
    headline = [(label, suppress.column([label], [n], k).cells[0][0].text(k))
                for label, n in headline_rows]

    total = len(reviews)
    districts = list(profile.districts) + sorted(
        {r["district"] for r in reviews} - set(profile.districts))
    district_counts = views.counts(reviews, "district", tuple(districts))
    listed = [(d, n) for d, n in zip(districts, district_counts, strict=True)
              if n or d in profile.districts]
    # The total is printed in the text above the tables: decide it once, for all of them.
    total_visible = total >= k
    by_district = suppress.column([d for d, _ in listed], [n for _, n in listed], k,
                                  total_visible)
    categories = [c for c in views.CATEGORIES
                  if c != "unknown" or any(r["category"] == c for r in reviews)]
    category_counts = views.counts(reviews, "category", tuple(categories))
    by_type = suppress.column([views.CATEGORY_LABELS[c] for c in categories],
                              category_counts, k, total_visible)
    national = profile.national.get("categories", {})
    type_rows = []
    for c, cell in zip(categories, by_type.cells, strict=True):
        share = None if cell[0].hidden or not total else round(100 * cell[0].value / total)
        type_rows.append({"label": views.CATEGORY_LABELS[c], "count": cell[0].text(k),
                          "share": share, "national": national.get(c)})

    victims = views.victims(conn)
    grid = [[sum(1 for v in victims if v["age_band"] == band and v["sex"] == sex)
             for sex, _ in SEXES] for band in AGE_BANDS]
    keep_rows = [i for i, row in enumerate(grid) if any(row)]
    keep_cols = [j for j in range(len(SEXES)) if any(row[j] for row in grid)]
    victim_table = suppress.table([AGE_BANDS[i] for i in keep_rows],
                                  [SEXES[j][1] for j in keep_cols],
                                  [[grid[i][j] for j in keep_cols] for i in keep_rows], k)

    themes = [t for t in views.themes(conn) if t["count"]]
    theme_rows = [{"title": t["title"], "count": suppress.column([t["title"]], [t["count"]],
                                                                 k).cells[0][0].text(k),
                   "words": t["words"]} for t in themes]

    # The year's published reviews beside the earlier published ones they repeat (the
    # public can read both); three at most each, to keep the update short.
    published = {r["id"] for r in reviews if r["stage"] == "published"}
    this_year = {r["id"] for r in reviews if _in(r["publication"], start, end)}
    repeats = views.repeats(conn, only=this_year, earlier_only=published, limit=3)
    repeated = len(repeats)
    # The most alike first, and only the first few: the dashboard lists them all.
    repeats = sorted(repeats, key=lambda r: -r["earlier"][0]["score"])[:MAX_REPEATS]
    recs_this_year = conn.execute(
        "SELECT count(*) FROM recommendations WHERE review_id IN "
        f"({', '.join('?' * len(this_year))})", tuple(this_year)).fetchone()[0]

    actions = views.actions(conn)
    action_table = suppress.column([ACTION_LABELS[s] for s in ACTION_STATUSES],
                                   views.counts(actions, "status", ACTION_STATUSES), k)
    title = (f"Domestic Homicide Reviews: annual update, {long_date(start)} to "
             f"{long_date(end)}")
    return {
        "title": title, "heading": "Domestic Homicide Reviews: annual update",
        "subtitle": f"For {profile.committee}: {long_date(start)} to {long_date(end)}",
        "description": "How many reviews there were, what they found, and how their "
                       "action plans are progressing",
        "contents": [("period", "Reviews in the period"), ("districts", "Reviews by district"),
                     ("types", "Reviews by type"), ("victims", "Victims by sex and age"),
                     ("themes", "Themes"), ("repeats", "Repeated recommendations"),
                     ("actions", "Progress of action plans"), ("notes", "About the figures")],
        "profile": profile, "tool_version": __version__, "as_of": as_of.isoformat(),
        "threshold": k, "hidden": f"fewer than {k}",
        "total": total if total_visible else None,
        "first_year": min((r["year"] for r in reviews if r["year"]), default=None),
        "headline": headline, "by_district": by_district, "type_rows": type_rows,
        "type_total": by_type.total.text(k), "victim_table": victim_table,
        "theme_rows": theme_rows, "repeats": repeats, "action_table": action_table,
        "recs_this_year": recs_this_year, "repeated": repeated,
        "national": profile.national, "stage_labels": STAGE_LABELS,
    }


def render(ctx: dict, media: str) -> str:
    env = jinja_env(templates_dir())
    return env.get_template("annual-report.html.j2").render(**ctx, media=media,
                                                            fonts=fonts())
