"""What a site package may publish, written into its manifest so the package can be
checked on its own.

Takes a ``Case``; produces the sorted list of names the package is allowed to print: the
pseudonyms, the independent chair, the agencies, the partnerships and the panel's names
where the report prints them. ``pipeline.publish.package`` writes it into
``manifest.json`` as ``may_publish``; ``dhr check kent.zip`` reads it back
(``pipeline.gate.engine``), so a council web team with no review folder and no key gets a
pass for a clean package and a block for a leak. The chair's reviewed exceptions
(``gate-accepted.yaml``: fingerprint, reason, who) travel as ``accepted_findings``, so a
finding the chair judged safe is reported as accepted there too, not as a new block.
"""

from __future__ import annotations

from pipeline.case.folder import Case
from pipeline.gate.engine import ACCEPTED_FILE, load_accepted

MANIFEST_FIELD = "may_publish"
ACCEPTED_FIELD = "accepted_findings"


def may_publish(case: Case) -> list[str]:
    names = [p.pseudonym for p in case.people] + [case.chair_name]
    names += [a.name for a in case.agencies] + list(case.partnerships)
    if case.show_panel_names:
        names += [m.name for m in case.panel if m.name]
    return sorted({n.strip() for n in names if n and n.strip()})


def accepted_findings(case: Case) -> list[dict]:
    path = case.folder / ACCEPTED_FILE
    if not path.is_file():
        return []
    return [{"fingerprint": fp, **entry} for fp, entry in sorted(load_accepted(path).items())]
