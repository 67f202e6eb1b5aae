"""The gates before release: what case.yaml must record before a review may be published.

Takes a ``Case``; gives one located ``Problem`` per precondition of publication (domain
notes §2) not yet recorded. The build marks a set DRAFT – NOT FOR PUBLICATION while any
is open, and the packager refuses a release package.
"""

from __future__ import annotations

from pipeline.case.folder import Case
from pipeline.common.errors import Problem

DRAFT_LABEL = "DRAFT – NOT FOR PUBLICATION"
DRAFT_MARKING = f"OFFICIAL-SENSITIVE – {DRAFT_LABEL}"


def open_gates(case: Case) -> list[Problem]:
    """Each precondition of publication (domain notes §2) not yet recorded in case.yaml."""
    doc, data = case.doc, case.doc.data
    publication = data.get("publication", {})
    dates = case.dates
    gates = []

    def gate(where: tuple, message: str) -> None:
        gates.append(Problem(doc.path, doc.line(where), message))

    if publication.get("decision") != "publish":
        gate(("publication", "decision"), "the publication decision is not 'publish'")
    if case.status != "final":
        gate(("report", "status"), "the report is still a draft: set report.status: final")
    if dates.get("qa_approval") is None:
        gate(("dates",), "Home Office QA approval not recorded: add dates.qa_approval "
                         "(YYYY-MM-DD, the date of the approval letter)")
    for i, area in enumerate(publication.get("final_development", []) or []):
        if not area.get("resolved"):
            gate(("publication", "final_development", i),
                 f"area for final development not resolved: '{area.get('area')}'; record "
                 "its resolved date")
    proceedings = publication.get("criminal_proceedings")
    if proceedings not in ("concluded", "not-applicable") and not publication.get(
            "cps_agreement"):
        gate(("publication",), "criminal proceedings not concluded: set "
                               "publication.criminal_proceedings: concluded, or record the "
                               "CPS or police agreement date in publication.cps_agreement")
    if dates.get("family_informed") is None:
        gate(("dates",), "the family has not been told the publication date: add "
                         "dates.family_informed")
    if dates.get("publication") is None:
        gate(("dates",), "no publication date: add dates.publication")
    return gates
