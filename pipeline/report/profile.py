"""Which report structure a review follows: case.yaml -> the section ``Catalogue``.

Takes a loaded ``Case``; produces the ``Catalogue`` of its structure profile
(``report.structure`` in case.yaml, a file name in ``templates/report/structures/``; the
2016 guidance's Appendix 4 by default) with the review's own headings added
(``report.sections``: the chair's heading -> a section key). A profile or section key that
does not exist is an input error at its case.yaml line, listing what does.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pipeline.case.folder import Case
from pipeline.common.templates import report_templates
from pipeline.report.md import Catalogue

DEFAULT_PROFILE = "home-office-2016"


def profiles_dir() -> Path:
    return report_templates() / "structures"


def profile_names() -> list[str]:
    return sorted(p.stem for p in profiles_dir().glob("*.yaml"))


@cache
def load_profile(name: str = DEFAULT_PROFILE) -> Catalogue:
    return Catalogue.load(profiles_dir() / f"{name}.yaml")


def catalogue_for(case: Case) -> Catalogue:
    report = case.doc.data.get("report") or {}
    name = report.get("structure", DEFAULT_PROFILE)
    if name not in profile_names():
        raise case.doc.error(("report", "structure"),
                             f"unknown report structure '{name}'; use one of: "
                             + ", ".join(profile_names()))
    catalogue = load_profile(name)
    mapping = report.get("sections") or {}
    keys = [spec.key for spec in catalogue.sections]
    for heading, key in mapping.items():
        if key not in keys:
            raise case.doc.error(("report", "sections", heading),
                                 f"'{heading}' is mapped to '{key}', which is not a section "
                                 f"of {name}; use one of: " + ", ".join(keys))
    return catalogue.with_headings(mapping) if mapping else catalogue
