"""The partnership profile: ``templates/register/profile.yaml``.

Takes the profile file (under ``DHR_HOME``); produces a ``Profile`` with the suppression
threshold, the statutory timescales, the districts, the similarity threshold and the
national figures. A missing or mistyped setting is a located input error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.common.templates import home
from pipeline.common.yamlio import load_yaml

DATE_FIELDS = ("notification", "decision", "home_office_notified", "chair_appointed",
               "first_panel", "submission", "qa_approval", "family_informed", "publication")


@dataclass(frozen=True)
class Timescale:
    key: str
    label: str
    start: str
    end: str
    months: int


@dataclass(frozen=True)
class Profile:
    path: Path
    partnership: str
    committee: str
    threshold: int
    period_months: int
    timescales: tuple[Timescale, ...]
    similarity: float
    districts: tuple[str, ...]
    national: dict


def templates_dir() -> Path:
    return home() / "templates" / "register"


def load_profile(path: Path | None = None) -> Profile:
    path = path or templates_dir() / "profile.yaml"
    doc = load_yaml(path)
    data = doc.data
    try:
        timescales = []
        for i, raw in enumerate(data["timescales"]):
            scale = Timescale(raw["key"], raw["label"], raw["start"], raw["end"],
                              int(raw["months"]))
            for end in ("start", "end"):
                if getattr(scale, end) not in DATE_FIELDS:
                    raise doc.error(("timescales", i, end),
                                    f"'{getattr(scale, end)}' is not a review date; use one "
                                    f"of: {', '.join(DATE_FIELDS)}")
            timescales.append(scale)
        threshold = int(data["suppression_threshold"])
        if threshold < 1:
            raise doc.error(("suppression_threshold",), "the threshold must be 1 or more")
        return Profile(path, str(data["partnership"]), str(data["committee"]), threshold,
                       int(data.get("period_months", 12)), tuple(timescales),
                       float(data["similarity_threshold"]), tuple(data["districts"]),
                       dict(data.get("national") or {}))
    except (KeyError, TypeError, ValueError) as exc:
        raise doc.error((), f"the profile needs partnership, committee, "
                            f"suppression_threshold, timescales, similarity_threshold and "
                            f"districts ({type(exc).__name__}: {exc})") from None
