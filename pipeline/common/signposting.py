"""Signposting for the publication set: templates/signposting.yaml (the partnership's
content note, national helplines, emergency line) and each site profile's local services
and review page (templates/sites/*.yaml) -> ``Signposting``, and the HTML of the content
note and the Support box (templates/common/support.html.j2).

The report, the executive summary and the 7-minute briefing are rendered once for every
site, so the Support box lists the national helplines and then every site's local
services, and "read the full review" names every site's page. Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markupsafe import Markup

from pipeline.common.templates import home, jinja_env
from pipeline.common.yamlio import load_yaml


@dataclass(frozen=True)
class Service:
    name: str
    contact: str
    note: str = ""


@dataclass(frozen=True)
class SiteSignposts:
    council: str
    review_page: str
    local: tuple[Service, ...]


@dataclass(frozen=True)
class Signposting:
    content_note: str
    national: tuple[Service, ...]
    emergency: str
    sites: tuple[SiteSignposts, ...]


def signposting_files() -> list[Path]:
    """Every file the signposting is read from, for the build's input digests."""
    root = home() / "templates"
    return [root / "signposting.yaml", *sorted((root / "sites").glob("*.yaml")),
            root / "common" / "support.html.j2"]


def _services(doc, path: tuple, raw) -> tuple[Service, ...]:
    out = []
    for i, item in enumerate(raw or []):
        if not isinstance(item, dict) or not item.get("name") or not item.get("contact"):
            raise doc.error((*path, i), "a support service needs a name and a contact")
        out.append(Service(" ".join(str(item["name"]).split()),
                           " ".join(str(item["contact"]).split()),
                           " ".join(str(item.get("note") or "").split())))
    return tuple(out)


@cache
def signposting() -> Signposting:
    root = home() / "templates"
    doc = load_yaml(root / "signposting.yaml")
    data = doc.data or {}
    if not str(data.get("content_note") or "").strip():
        raise doc.error((), "signposting needs a 'content_note'")
    sites = []
    for path in sorted((root / "sites").glob("*.yaml")):
        site = load_yaml(path)
        if not str(site.data.get("review_page") or "").strip():
            raise site.error((), "the site profile needs a 'review_page' (where the council "
                             "publishes its reviews)")
        sites.append(SiteSignposts(str(site.data["name"]),
                                   " ".join(str(site.data["review_page"]).split()),
                                   _services(site, ("local_support",),
                                             site.data.get("local_support"))))
    return Signposting(" ".join(str(data["content_note"]).split()),
                       _services(doc, ("national",), data.get("national")),
                       " ".join(str(data.get("emergency") or "").split()), tuple(sites))


def content_note_html() -> Markup:
    return Markup(_template().module.content_note(signposting()))


def support_html(heading_level: int = 2) -> Markup:
    """The Support box, an ``<aside>`` (tagged /Aside in the PDF by the tag fix-ups)."""
    return Markup(_template().module.support(signposting(), heading_level))


def support_lines(s: Signposting | None = None) -> list[str]:
    """The Support box as plain-text lines, for the briefing's text version."""
    s = s or signposting()
    lines = [f"{x.name}: {x.contact}" + (f" ({x.note})" if x.note else "") for x in s.national]
    for site in s.sites:
        lines += [f"{x.name}: {x.contact}" + (f" ({x.note})" if x.note else "")
                  for x in site.local]
    if s.emergency:
        lines.append(s.emergency)
    return lines


def _template():
    return jinja_env(home() / "templates" / "common").get_template("support.html.j2")
