"""Where each review and action stands on a given day.

Takes a review's dates (ISO strings) or an action, the profile's timescales and the
"as of" day; produces the review's stage (notification -> decision -> panel ->
submission -> QA -> published), each statutory timescale as met, missed, due or not
started, and each action's status (complete, overdue, in progress, not started). Nothing
reads the clock: the day is always given, so the same inputs give the same answers.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from pipeline.register.profile import Timescale

STAGES = ("notification", "decision", "panel", "submission", "qa", "published")
STAGE_LABELS = {"notification": "Notification", "decision": "Decision to review",
                "panel": "Panel", "submission": "Submitted", "qa": "QA approved",
                "published": "Published"}
# The date that puts a review in each stage, latest stage first.
STAGE_DATES = (("published", "publication"), ("qa", "qa_approval"),
               ("submission", "submission"), ("panel", "first_panel"),
               ("decision", "decision"), ("notification", "notification"))
ACTION_STATUSES = ("overdue", "not-started", "in-progress", "complete")
ACTION_LABELS = {"overdue": "Overdue", "not-started": "Not started",
                 "in-progress": "In progress", "complete": "Complete"}


@dataclass(frozen=True)
class TimescaleResult:
    key: str
    status: str  # met | missed | due | not-started
    due: str | None
    done: str | None
    days_late: int | None  # past the due date: when done, or until the as-of day

    @property
    def text(self) -> str:
        if self.status == "met":
            return "Met"
        if self.status == "missed":
            late = f" by {self.days_late} day{'s' if self.days_late != 1 else ''}"
            return ("Missed" + late) if self.done else ("Overdue" + late)
        if self.status == "due":
            return f"Due {self.due}"
        return "Not started"


def day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def stage(dates: dict[str, str | None], as_of: dt.date) -> str:
    for name, field in STAGE_DATES:
        when = day(dates.get(field))
        if when is not None and when <= as_of:
            return name
    return "notification"


def add_months(start: dt.date, months: int) -> dt.date:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def timescale(scale: Timescale, dates: dict[str, str | None],
              as_of: dt.date) -> TimescaleResult:
    start, end = day(dates.get(scale.start)), day(dates.get(scale.end))
    if start is None or start > as_of:
        return TimescaleResult(scale.key, "not-started", None, None, None)
    due = add_months(start, scale.months)
    if end is not None and end <= as_of:
        late = (end - due).days
        return TimescaleResult(scale.key, "met" if late <= 0 else "missed", due.isoformat(),
                               end.isoformat(), late if late > 0 else None)
    if as_of > due:
        return TimescaleResult(scale.key, "missed", due.isoformat(), None, (as_of - due).days)
    return TimescaleResult(scale.key, "due", due.isoformat(), None, None)


def month_end(month: str) -> dt.date:
    year, mon = (int(x) for x in month.split("-"))
    return dt.date(year, mon, calendar.monthrange(year, mon)[1])


def base_status(action: dict) -> str:
    """The status the action plan gives, or complete when it records a completion."""
    if action.get("given_status"):
        return action["given_status"]
    return "complete" if action.get("completion") else "not-started"


def action_status(action: dict, as_of: dt.date) -> str:
    """Overdue: not complete, and its target month ended before the as-of day."""
    status = base_status(action)
    if status != "complete" and month_end(action["target_date"]) < as_of:
        return "overdue"
    return status
