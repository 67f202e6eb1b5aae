"""``dashboard.html``: the Steering Group's view across every review.

Takes the register (read through ``views``), the profile and the as-of day; produces one
accessible HTML page: reviews by stage with the statutory timescales each met or missed,
actions by status and agency with the open ones listed overdue first, themes over time,
and each recommendation beside the earlier ones it repeats and whether those were
completed. Each chart has a table of the same numbers beside it. The dashboard is for the
Steering Group itself, so its counts are not suppressed (the annual report's are).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict

from pipeline import __version__
from pipeline.case.folder import long_date
from pipeline.common.templates import jinja_env
from pipeline.register import views
from pipeline.register.charts import STATUS_COLOURS, Charts
from pipeline.register.profile import Profile, templates_dir
from pipeline.register.status import (
    ACTION_LABELS,
    ACTION_STATUSES,
    STAGE_LABELS,
    STAGES,
    TimescaleResult,
    add_months,
)

MAX_THEME_LINES = 6  # more lines than this cannot be told apart; the table has them all


def context(conn: sqlite3.Connection, profile: Profile, as_of: dt.date,
            charts: Charts) -> dict:
    reviews = views.reviews(conn)
    for r in reviews:
        r["category_label"] = views.CATEGORY_LABELS[r["category"]]
        r["stage_label"] = STAGE_LABELS[r["stage"]]
        r["scales"] = [_result(r["timescales"].get(t.key), t.key) for t in profile.timescales]
    stage_rows = []
    for s in STAGES:
        these = [r for r in reviews if r["stage"] == s]
        stage_rows.append({"label": STAGE_LABELS[s], "count": len(these),
                           "missed": [sum(1 for r in these
                                          if r["timescales"].get(t.key, {}).get("status")
                                          == "missed") for t in profile.timescales]})
    stage_chart = charts.bars("Reviews by stage", [STAGE_LABELS[s] for s in STAGES],
                              {"Reviews": [row["count"] for row in stage_rows]})

    actions = views.actions(conn)
    for a in actions:
        a["status_label"] = ACTION_LABELS[a["status"]]
    by_agency: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a in actions:
        by_agency[a["lead_agency"]][a["status"]] += 1
    agencies = sorted(by_agency, key=lambda g: (-by_agency[g]["overdue"],
                                                -sum(by_agency[g].values()), g))
    agency_rows = [{"agency": g, "counts": [by_agency[g][s] for s in ACTION_STATUSES],
                    "total": sum(by_agency[g].values())} for g in agencies]
    action_chart = charts.bars(
        "Actions by lead agency and status", agencies,
        {ACTION_LABELS[s]: [by_agency[g][s] for g in agencies] for s in ACTION_STATUSES},
        colours={ACTION_LABELS[s]: c for s, c in STATUS_COLOURS.items()})

    themes = views.themes(conn)
    years = sorted({y for t in themes for y in t["years"]})
    shown = [t for t in themes if t["count"]][:MAX_THEME_LINES]
    theme_chart = charts.lines(
        f"Reviews showing the {len(shown)} commonest themes, by year", years,
        {t["title"]: [t["years"].get(y, 0) for y in years] for t in shown})

    # "New" recommendations: those of reviews still under way, or published in the
    # period; older ones were the Steering Group's business in earlier years.
    start = add_months(as_of, -profile.period_months).isoformat()
    current = {r["id"] for r in reviews
               if r["stage"] != "published" or (r["publication"] or "") > start}
    repeats = views.repeats(conn, only=current)
    for rec in repeats:
        for e in rec["earlier"]:
            e["stage_label"] = STAGE_LABELS[e["stage"]]
            e["progress"] = ("No actions recorded" if not e["actions"] else
                             f"{'Completed' if e['completed'] else 'Not completed'}: "
                             f"{e['complete']} of {e['actions']} complete")
    return {
        "title": f"DHR register dashboard, as of {long_date(as_of)}",
        "heading": "Domestic Homicide Review register",
        "subtitle": f"Dashboard as of {long_date(as_of)}",
        "description": "Every review, its timescales and actions, themes and repeated "
                       "recommendations",
        "contents": [("stages", "Reviews by stage"), ("actions", "Actions by status and agency"),
                     ("themes", "Themes over time"), ("repeats", "Repeated recommendations")],
        "profile": profile, "tool_version": __version__, "as_of": as_of.isoformat(),
        "as_of_text": long_date(as_of), "media": "web",
        "reviews": reviews, "stage_rows": stage_rows, "stage_chart": stage_chart,
        "actions": actions, "overdue": [a for a in actions if a["status"] == "overdue"],
        "open_actions": [a for a in actions if a["status"] != "complete"],
        "statuses": [{"key": s, "label": ACTION_LABELS[s]} for s in ACTION_STATUSES],
        "agency_rows": agency_rows, "action_chart": action_chart,
        "themes": themes, "years": years, "theme_chart": theme_chart, "repeats": repeats,
    }


def _result(row: dict | None, key: str) -> TimescaleResult:
    if row is None:
        return TimescaleResult(key, "not-started", None, None, None)
    return TimescaleResult(key, row["status"], row["due"], row["done"], row["days_late"])


def render(ctx: dict) -> str:
    return jinja_env(templates_dir()).get_template("dashboard.html.j2").render(**ctx)
