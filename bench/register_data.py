"""Fictional review folders for the register's examples, tests and bench.

Takes a ``Spec`` (the few facts that differ between reviews); produces a review folder
(``case.yaml``, a short ``report.md`` with every Home Office section, ``action-plan.yaml``)
that ``dhr validate`` accepts. A spec without recommendations is an early review: only
``case.yaml`` is written, as before a report exists. Everything here is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

SECTIONS = [
    ("Introduction", "This review examines the death of {victim}, a resident of Kent."),
    ("Timescales", "The review followed the timescales set out in the case file."),
    ("Confidentiality", "@[pseudonyms]"),
    ("Terms of Reference", "1. What did agencies know about the abuse?"),
    ("Methodology", "Agencies wrote Individual Management Reviews and chronologies."),
    ("Involvement of Family, Friends, Colleagues, Neighbours and the Wider Community",
     "{victim}'s family met the chair."),
    ("Contributors to the Review", "@[contributors]"),
    ("The Review Panel", "@[panel]"),
    ("Chair and Author of the Overview Report", "The chair is independent."),
    ("Parallel Reviews", "There was a criminal trial."),
    ("Equality and Diversity",
     "Age, disability, gender reassignment, marriage and civil partnership, pregnancy and\n"
     "maternity, race, religion or belief, sex and sexual orientation were all considered."),
    ("Dissemination", "The report goes to every agency on the panel."),
    ("Background Information", "{victim} lived in a town in Kent."),
    ("Chronology", "The agencies' contacts are summarised in the Overview."),
    ("Overview", "An overview of the contacts agencies had."),
    ("Analysis", "## Term 1\n\nAnalysis of what agencies knew."),
    ("Conclusions", "The panel's conclusions."),
]


@dataclass
class Person:
    role: str
    pseudonym: str
    age_band: str
    sex: str
    relationship: str
    ethnicity: str = "White: English, Welsh, Scottish, Northern Irish or British"


@dataclass
class Action:
    recommendation: int
    action: str
    lead_agency: str
    target_date: str
    status: str = "not-started"
    completed: str | None = None
    scope: str = "Local"


@dataclass
class Spec:
    id: str
    victim: str
    district: str
    category: str
    people: list[Person]
    dates: dict[str, object]
    status: str = "final"
    decision: str = "publish"
    recommendations: list[str] = field(default_factory=list)
    lessons: list[tuple[str, str]] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    report_date: str | None = None
    review_type: str = "DHR"


def case_data(spec: Spec) -> dict:
    dates = {"death": None, "notification": None, "decision": None, **spec.dates}
    report_date = spec.report_date or next(
        str(dates[k]) for k in ("submission", "decision", "notification") if dates.get(k))
    return {
        "schema_version": 1,
        "id": spec.id,
        "review_type": spec.review_type,
        "partnerships": ["Kent Community Safety Partnership"],
        "region": "South East",
        "district": spec.district,
        "category": spec.category,
        "victim": spec.victim,
        "report": {"status": spec.status, "version": "1.0" if spec.status == "final" else "0.5",
                   "date": report_date},
        "pseudonyms": {
            "chosen_by": "The chair, with the family (fictional example)",
            "people": [{"pseudonym": p.pseudonym, "role": p.role, "age_band": p.age_band,
                        "sex": p.sex, "ethnicity": p.ethnicity,
                        "relationship": p.relationship} for p in spec.people],
        },
        "chair": {"name": "Chair Example",
                  "statement_of_independence": "The chair has never worked for any agency "
                                               "in this fictional review."},
        "panel": [{"role": "Detective Inspector", "agency": "Kent Police"},
                  {"role": "Head of Safeguarding", "agency": "Kent County Council"}],
        "agencies": [{"name": "Kent Police", "contributions": ["IMR", "chronology"]},
                     {"name": "Kent County Council", "contributions": ["IMR"]}],
        "dates": dates,
        "publication": {"decision": spec.decision},
    }


def report_md(spec: Spec) -> str:
    out = ["# Preface", "", f"The panel offers its condolences to {spec.victim}'s family.", ""]
    for title, body in SECTIONS:
        out += [f"# {title}", "", body.format(victim=spec.victim), ""]
    out += ["# Lessons to be Learned", ""]
    for heading, text in spec.lessons or [("Learning", "Agencies should share what they know.")]:
        out += [f"## {heading}", "", text, ""]
    out += ["# Recommendations", ""]
    out += [f"{i}. {text}" for i, text in enumerate(spec.recommendations, start=1)]
    return "\n".join(out) + "\n"


def action_plan_data(spec: Spec) -> dict:
    rows = []
    for a in spec.actions:
        row = {"recommendation": a.recommendation, "scope": a.scope, "action": a.action,
               "lead_agency": a.lead_agency, "milestones": "", "target_date": a.target_date,
               "completion": f"Completed {a.completed}." if a.completed else "",
               "status": a.status}
        if a.completed:
            row["completed"] = a.completed
        rows.append(row)
    return {"actions": rows}


def dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=90)


def write_review(folder: Path, spec: Spec) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    head = "# A fictional review for the Steering Group's register examples.\n"
    (folder / "case.yaml").write_text(head + dump(case_data(spec)), encoding="utf-8")
    if spec.recommendations:
        (folder / "report.md").write_text(report_md(spec), encoding="utf-8")
        (folder / "action-plan.yaml").write_text(dump(action_plan_data(spec)),
                                                 encoding="utf-8")
    return folder
