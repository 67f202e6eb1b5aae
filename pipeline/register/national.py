"""``national.json``: the published reviews' metadata and themes, for the national DHR
library and the Domestic Abuse Commissioner.

Takes the register (published reviews only: a review is in it once ``dates.publication``
is on or before the as-of day); produces one JSON document in the shape below, sorted
keys, the same bytes for the same register. No names: the pseudonym is the published
title's; people are roles with age bands, sex, ethnicity and relationship.

    {"format": "dhr-register-national", "version": 1, "as_of": "YYYY-MM-DD",
     "partnership": str,
     "reviews": [{"id", "review_type": "DHR"|"DARDR", "title", "category", "partnership",
                  "region", "district", "death_month": "YYYY-MM",
                  "dates": {"notification", "decision", "submission", "qa_approval",
                            "publication"},
                  "timescales": {key: "met"|"missed"|...},
                  "people": [{"role", "age_band", "sex", "ethnicity", "relationship"}],
                  "themes": [{"key", "title", "reasons": [str]}],
                  "recommendations": [{"number", "agency", "text", "themes": [key]}]}]}
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict

from pipeline.register.views import CATEGORY_LABELS, rows

REVIEW_NAMES = {"DHR": "Domestic Homicide Review",
                "DARDR": "Domestic Abuse Related Death Review"}


def national(conn: sqlite3.Connection, as_of: dt.date, partnership: str) -> bytes:
    published = rows(conn, "SELECT * FROM reviews WHERE stage = 'published' ORDER BY "
                           "publication, id")
    people = defaultdict(list)
    for p in rows(conn, "SELECT * FROM people ORDER BY review_id, position"):
        people[p["review_id"]].append({k: p[k] for k in ("role", "age_band", "sex",
                                                         "ethnicity", "relationship")})
    titles = dict(conn.execute("SELECT key, title FROM themes"))
    matches = defaultdict(list)
    for m in rows(conn, "SELECT * FROM theme_matches ORDER BY review_id, source, number"):
        matches[m["review_id"]].append(m)
    recs = defaultdict(list)
    for r in rows(conn, "SELECT * FROM recommendations ORDER BY review_id, number"):
        recs[r["review_id"]].append(r)
    scales = defaultdict(dict)
    for t in rows(conn, "SELECT * FROM timescales ORDER BY review_id, key"):
        scales[t["review_id"]][t["key"]] = t["status"]
    out = []
    for r in published:
        reasons: dict[str, list[str]] = defaultdict(list)
        by_rec: dict[int, list[str]] = defaultdict(list)
        for m in matches[r["id"]]:
            for word in m["words"].split("; "):
                if word not in reasons[m["theme"]]:
                    reasons[m["theme"]].append(word)
            if m["source"] == "recommendation":
                by_rec[m["number"]].append(m["theme"])
        out.append({
            "id": r["id"], "review_type": r["review_type"],
            "title": f"{REVIEW_NAMES[r['review_type']]} into the death of {r['victim']}",
            "category": r["category"], "category_label": CATEGORY_LABELS[r["category"]],
            "partnership": r["partnership"], "region": r["region"],
            "district": r["district"], "death_month": r["death"],
            "dates": {k: r[k] for k in ("notification", "decision", "submission",
                                        "qa_approval", "publication")},
            "timescales": scales[r["id"]],
            "people": people[r["id"]],
            "themes": [{"key": k, "title": titles.get(k, k), "reasons": reasons[k]}
                       for k in sorted(reasons)],
            "recommendations": [{"number": x["number"], "agency": x["agency"],
                                 "text": x["text"], "themes": sorted(by_rec[x["number"]])}
                                for x in recs[r["id"]]],
        })
    doc = {"format": "dhr-register-national", "version": 1, "as_of": as_of.isoformat(),
           "partnership": partnership, "reviews": out}
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
