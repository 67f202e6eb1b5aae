"""Reviewed exceptions and a review's own publishable names.

Takes ``gate-accepted.yaml`` (fingerprints a chair judged safe, each with a reason and
who accepted it) and a review folder; produces the accepted fingerprints and the names
the review may publish (pseudonyms, chair, agencies, partnerships, panel names where
printed).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.common.errors import InputError
from pipeline.common.yamlio import load_yaml

ACCEPTED_FILE = "gate-accepted.yaml"

def load_accepted(path: Path) -> dict[str, dict]:
    """``gate-accepted.yaml``: findings a chair judged safe, by fingerprint."""
    doc = load_yaml(path)
    data = doc.data or {}
    if not isinstance(data, dict) or not isinstance(data.get("accepted", []), list):
        raise InputError.at(path, 1, "expected 'accepted:' with a list of entries")
    accepted = {}
    for i, item in enumerate(data.get("accepted", [])):
        missing = [k for k in ("fingerprint", "reason", "accepted_by")
                   if not isinstance(item, dict) or not item.get(k)]
        if missing:
            raise doc.error(("accepted", i), f"accepted entry needs {', '.join(missing)}")
        accepted[str(item["fingerprint"])] = {"reason": str(item["reason"]),
                                              "accepted_by": str(item["accepted_by"])}
    return accepted


def review_allow(review, sources: bool = False) -> list[str]:
    """What a review's own facts allow: pseudonyms, the chair, agencies, partnerships, and
    the panel's names where they are published (always in the sources, where case.yaml
    records them even when the report does not print them). ``review``: a loaded
    ``Case`` or its folder."""
    from pipeline.case.folder import Case, load_case

    case = review if isinstance(review, Case) else load_case(review)
    allowed = [p.pseudonym for p in case.people] + [case.chair_name]
    allowed += [a.name for a in case.agencies] + case.partnerships
    if case.show_panel_names or sources:
        allowed += [m.name for m in case.panel if m.name]
    return allowed
