"""``dhr new``: an empty folder -> a review folder that validates at once.

Takes a folder (absent or empty), an id and a review type; produces ``case.yaml`` with
every field commented (what it means, the words it accepts, where it is used),
``report.md`` with every section heading of the structure profile and, under each, the
guidance's prompt as a ``<!-- -->`` comment (never rendered), ``action-plan.yaml`` with one
commented row and a ``.gitignore`` that keeps the key out of git. The templates are in
``templates/new/``. It never overwrites: a folder with anything in it is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from pipeline.common.errors import InputError
from pipeline.common.fsutil import write_atomic
from pipeline.common.templates import home
from pipeline.report.profile import DEFAULT_PROFILE, load_profile, profile_names

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
FILES = {"case.yaml": "case.yaml.j2", "report.md": "report.md.j2",
         "action-plan.yaml": "action-plan.yaml.j2", ".gitignore": "gitignore"}


def default_id(folder: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.casefold()).strip("-")


def new_review(folder: Path, review_id: str | None = None, review_type: str = "DHR",
               profile: str = DEFAULT_PROFILE) -> list[Path]:
    review_id = review_id or default_id(folder)
    if not ID_PATTERN.match(review_id):
        raise InputError(f"'{review_id}' is not a review id: lower-case letters, digits and "
                         "hyphens, 2 to 64 characters (give one with --id)")
    if folder.exists() and not folder.is_dir():
        raise InputError.at(folder, None, "exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        present = sorted(p.name for p in folder.iterdir())
        raise InputError.at(folder, None, "already exists and is not empty ("
                            + ", ".join(present[:5]) + ("..." if len(present) > 5 else "")
                            + "); dhr new never overwrites: choose a new folder")
    catalogue = load_profile(profile)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(home() / "templates" / "new"),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             autoescape=False)  # YAML and Markdown, not HTML
    values = {"id": review_id, "review_type": review_type, "profile": profile,
              "profiles": ", ".join(profile_names()), "sections": catalogue.sections,
              "characteristics": list(catalogue.protected_characteristics)}
    written = []
    for name, template in FILES.items():
        text = env.get_template(template).render(**values)
        write_atomic(folder / name, re.sub(r"\n{3,}", "\n\n", text))
        written.append(folder / name)
    return written
