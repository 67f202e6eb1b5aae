"""Where templates, rules and fonts live.

Templates and redaction rules are data beside the package (``templates/``,
``redaction_rules/``); ``DHR_HOME`` points elsewhere for a deployment that keeps its own.
Fonts are Liberation Sans (Arial metrics) from Debian's fonts-liberation2, or a folder
named by ``DHR_FONT_DIR``; a missing font is an error, never a silent fallback.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from pipeline.common.dates import long_date
from pipeline.common.errors import InputError

FONT_FILES = {
    "regular": "LiberationSans-Regular.ttf",
    "bold": "LiberationSans-Bold.ttf",
    "italic": "LiberationSans-Italic.ttf",
    "bolditalic": "LiberationSans-BoldItalic.ttf",
}
FONT_DIRS = (
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/liberation-sans",
)


def home() -> Path:
    return Path(os.environ.get("DHR_HOME") or Path(__file__).resolve().parents[2])


def report_templates() -> Path:
    return home() / "templates" / "report"


def rules_dir() -> Path:
    return home() / "redaction_rules"


@cache
def fonts() -> dict[str, str]:
    """file:// URLs of the four Liberation Sans faces."""
    dirs = [os.environ["DHR_FONT_DIR"]] if os.environ.get("DHR_FONT_DIR") else list(FONT_DIRS)
    for folder in dirs:
        paths = {k: Path(folder) / v for k, v in FONT_FILES.items()}
        if all(p.is_file() for p in paths.values()):
            return {k: p.resolve().as_uri() for k, p in paths.items()}
    raise InputError(
        "Liberation Sans not found in " + ", ".join(dirs)
        + "; run `make deps` (installs Debian's fonts-liberation2) or set DHR_FONT_DIR"
    )


def css_string(value: str) -> Markup:
    """A CSS string literal that cannot close the string or the <style> element."""
    escaped = "".join(c if c.isalnum() or c in " -–.,:;()'/&" else f"\\{ord(c):x} " for c in
                      str(value))
    return Markup(f'"{escaped}"')


@cache
def jinja_env(folder: Path) -> jinja2.Environment:
    """The one Jinja2 set-up every renderer uses: autoescaped, strict about undefined
    names (a template typo fails the build), with the date and CSS-string filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    env.filters["css_string"] = css_string
    return env
