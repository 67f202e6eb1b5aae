"""Read the register back for the outputs: plain lists and dicts, ready to render.

Takes the open ``register.sqlite`` connection (with stages, timescales and statuses
refreshed for the as-of day); produces the reviews with their timescales, the actions
(overdue first), theme counts by year, and each recommendation beside the earlier ones
it repeats with whether their actions were completed. No output format is decided here.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from pipeline.register.status import ACTION_STATUSES, STAGES

CATEGORY_LABELS = {"intimate-partner": "Intimate partner homicide",
                   "familial": "Familial homicide",
                   "suicide": "Suicide with domestic abuse",
                   "same-household": "Same household",
                   "unknown": "Not recorded"}
CATEGORIES = tuple(CATEGORY_LABELS)


def rows(conn: sqlite3.Connection, sql: str, args: tuple = ()) -> list[dict]:
    cur = conn.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def year_of(review: dict) -> int | None:
    """The year a review counts in: its decision to review, else its notification."""
    when = review.get("decision") or review.get("notification")
    return int(when[:4]) if when else None


def reviews(conn: sqlite3.Connection) -> list[dict]:
    found = rows(conn, "SELECT * FROM reviews ORDER BY coalesce(decision, notification), id")
    scales: dict[str, dict[str, dict]] = defaultdict(dict)
    for t in rows(conn, "SELECT * FROM timescales"):
        scales[t["review_id"]][t["key"]] = t
    order = {s: i for i, s in enumerate(STAGES)}
    for r in found:
        r["timescales"] = scales[r["id"]]
        r["year"] = year_of(r)
        r["stage_index"] = order[r["stage"]]
    return found


def victims(conn: sqlite3.Connection) -> list[dict]:
    return rows(conn, "SELECT p.*, r.decision, r.notification, r.publication FROM people p "
                      "JOIN reviews r ON r.id = p.review_id WHERE p.role = 'victim' "
                      "ORDER BY p.review_id, p.position")


def actions(conn: sqlite3.Connection) -> list[dict]:
    """Every action with its recommendation; overdue first (oldest target first), then
    not started, in progress, complete."""
    order = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(ACTION_STATUSES))
    return rows(conn, "SELECT a.*, r.text AS recommendation_text, v.victim, v.stage "
                      "FROM actions a JOIN recommendations r ON r.review_id = a.review_id "
                      "AND r.number = a.recommendation JOIN reviews v ON v.id = a.review_id "
                      f"ORDER BY CASE a.status {order} END, a.target_date, a.review_id, "
                      "a.position")


def actions_in_order(conn: sqlite3.Connection) -> list[dict]:
    """Every action in review and plan order (the CSV and spreadsheet)."""
    return sorted(actions(conn), key=lambda a: (a["review_id"], a["position"]))


def themes(conn: sqlite3.Connection) -> list[dict]:
    """Each theme: how many reviews show it, by year, and the words that matched."""
    found = rows(conn, "SELECT key, title FROM themes ORDER BY key")
    hits = rows(conn, "SELECT m.theme, m.review_id, m.words, coalesce(r.decision, "
                      "r.notification) AS year_date FROM theme_matches m JOIN reviews r "
                      "ON r.id = m.review_id ORDER BY m.review_id, m.source, m.number")
    by_theme: dict[str, dict] = {t["key"]: {**t, "reviews": set(), "years": defaultdict(set),
                                            "words": []} for t in found}
    for h in hits:
        theme = by_theme[h["theme"]]
        theme["reviews"].add(h["review_id"])
        if h["year_date"]:
            theme["years"][int(h["year_date"][:4])].add(h["review_id"])
        for word in h["words"].split("; "):
            if word.casefold() not in (w.casefold() for w in theme["words"]):
                theme["words"].append(word)
    out = []
    for theme in by_theme.values():
        out.append({"key": theme["key"], "title": theme["title"],
                    "count": len(theme["reviews"]),
                    "reviews": sorted(theme["reviews"]),
                    "years": {y: len(ids) for y, ids in sorted(theme["years"].items())},
                    "words": theme["words"][:8]})
    return sorted(out, key=lambda t: (-t["count"], t["title"]))


def review_themes(conn: sqlite3.Connection) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for rid, key in conn.execute("SELECT DISTINCT review_id, theme FROM theme_matches "
                                 "ORDER BY review_id, theme"):
        out[rid].append(key)
    return out


def repeats(conn: sqlite3.Connection, only: set[str] | None = None,
            earlier_only: set[str] | None = None, limit: int = 5) -> list[dict]:
    """Each recommendation (of the reviews in ``only``, or all) that repeats earlier ones
    (in ``earlier_only``, or all), newest review first, beside at most ``limit`` of those
    earlier recommendations, most similar first, and how far their actions got."""
    progress: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for rid, number, status in conn.execute(
            "SELECT review_id, recommendation, status FROM actions"):
        progress[(rid, number)][status] += 1
    recs = {(r["review_id"], r["number"]): r for r in rows(
        conn, "SELECT r.*, v.victim, v.stage, coalesce(v.decision, v.notification) AS sort "
              "FROM recommendations r JOIN reviews v ON v.id = r.review_id")}
    grouped: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for link in rows(conn, "SELECT * FROM recommendation_links"):
        if only is not None and link["review_id"] not in only or \
                earlier_only is not None and link["earlier_review_id"] not in earlier_only:
            continue
        earlier = dict(recs[(link["earlier_review_id"], link["earlier_number"])])
        counts = progress[(earlier["review_id"], earlier["number"])]
        total = sum(counts.values())
        earlier.update(score=link["score"], actions=total,
                       complete=counts.get("complete", 0),
                       completed=total > 0 and counts.get("complete", 0) == total)
        grouped[(link["review_id"], link["number"])].append(earlier)
    out = []
    for key, earlier in grouped.items():
        rec = dict(recs[key])
        rec["earlier"] = sorted(earlier, key=lambda e: (-e["score"], e["sort"] or ""))[:limit]
        out.append(rec)
    return sorted(out, key=lambda r: (r["sort"] or "", r["review_id"], r["number"]),
                  reverse=True)


def counts(items: list[dict], key: str, labels: tuple[str, ...]) -> list[int]:
    tally: dict[str, int] = defaultdict(int)
    for item in items:
        tally[item[key]] += 1
    return [tally.get(label, 0) for label in labels]
