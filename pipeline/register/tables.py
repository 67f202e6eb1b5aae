"""The action list for the Steering Group's tracking: ``actions.csv`` and ``actions.xlsx``.

Takes the register's actions (with their recommendations) and the as-of day; produces
one row per action, in review and plan order, as CSV text and as an XLSX workbook made
with XlsxWriter. The workbook's dates (document properties, and the zip members, which
XlsxWriter stamps with a fixed time) come from the as-of day, never the clock.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from pipeline.register.status import ACTION_LABELS

COLUMNS = ("Review", "Recommendation", "Recommendation text", "Action", "Lead agency",
           "Scope", "Target date", "Status", "Completed", "Completion and outcome")
WIDTHS = (20, 8, 60, 60, 30, 10, 11, 12, 11, 40)


def row(a: dict) -> list[str | int]:
    return [a["review_id"], a["recommendation"], a["recommendation_text"], a["action"],
            a["lead_agency"], a["scope"], a["target_date"], ACTION_LABELS[a["status"]],
            a["completed"] or "", a["completion"]]


def to_csv(actions: list[dict]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for a in actions:
        writer.writerow(row(a))
    return out.getvalue().encode("utf-8")


def to_xlsx(actions: list[dict], as_of: dt.date, title: str) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_urls": False,
                                     "strings_to_numbers": False})
    when = dt.datetime(as_of.year, as_of.month, as_of.day)
    book.set_properties({"title": title, "subject": f"Actions as of {as_of.isoformat()}",
                         "author": "dhr", "created": when})
    sheet = book.add_worksheet("Actions")
    head = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                            "bottom": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for col, (name, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True)):
        sheet.write(0, col, name, head)
        sheet.set_column(col, col, width, wrap)
    for r, a in enumerate(actions, start=1):
        for col, value in enumerate(row(a)):
            sheet.write(r, col, value, wrap)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(actions), 1), len(COLUMNS) - 1)
    book.close()
    return out.getvalue()
