"""Site profiles: one file per council in ``templates/sites/``.

Takes every ``*.yaml`` there; gives one ``Site`` per file, checked against
``site.schema.json`` (a missing or misspelt field, or a document the registry does not
know, is ``file:line: message``, exit 2). A third council is one more file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pipeline.case.schema import validate
from pipeline.common.documents import DOCUMENTS
from pipeline.common.errors import InputError
from pipeline.common.templates import home
from pipeline.common.yamlio import load_yaml


@dataclass(frozen=True)
class Site:
    key: str
    name: str
    listing_title: str
    file_name: str
    documents: tuple[str, ...]
    content_warning: str
    signposting: tuple[str, ...]
    accessible_format: str
    branding: dict
    review_months: int


def sites_dir():
    return home() / "templates" / "sites"


@cache
def load_sites() -> tuple[Site, ...]:
    sites = []
    for path in sorted(sites_dir().glob("*.yaml")):
        doc = load_yaml(path)
        validate(doc, "site")
        data = doc.data
        for i, name in enumerate(data["documents"]):
            if name not in DOCUMENTS:  # the schema's list and the registry disagree
                raise InputError.at(path, doc.line(("documents", i)),
                                    f"unknown document '{name}'; use: {', '.join(DOCUMENTS)}")
        sites.append(Site(path.stem, data["name"], data["listing_title"], data["file_name"],
                          tuple(data["documents"]), data["content_warning"].strip(),
                          tuple(data["signposting"]), data["accessible_format"].strip(),
                          dict(data["branding"]), int(data["review_months"])))
    if not sites:
        raise InputError.at(sites_dir(), None, "no site profile (*.yaml) found")
    return tuple(sites)
