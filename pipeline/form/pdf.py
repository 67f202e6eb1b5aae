"""The data-collection form as files: fillable PDF (AcroForm), JSON and CSV, and back.

Takes ``FormAnswers`` (``pipeline.form.answers``); renders the blank form from
``templates/form/form.html.j2`` with WeasyPrint's ``pdf_forms``, then fills it with pypdf
(radio buttons and tick boxes by their appearance states, text fields with generated
appearance streams, ``NeedAppearances`` set) so that the answers show in any PDF reader and
an officer can still correct them by hand. ``read_pdf`` reads a filled PDF (possibly
corrected) back into YAML for case.yaml. Field names are ``scope:field[:option]``, where
scope is ``incident``, ``process``, ``victimN`` or ``perpetratorN``.

Nothing reads the clock: the PDF's dates come from the case (``dcterms.created``).
"""

from __future__ import annotations

import io
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pipeline import __version__
from pipeline.common.errors import DhrError, InputError, Problem
from pipeline.common.fsutil import write_atomic
from pipeline.common.templates import fonts, jinja_env
from pipeline.form.answers import FormAnswers, normalise, shown_value, to_csv, to_json
from pipeline.form.spec import (
    PERSON_SECTIONS,
    UNKNOWN,
    YES_NO,
    Field,
    Spec,
    form_templates,
    load_spec,
)

PDF_NAME, JSON_NAME, CSV_NAME = "form.pdf", "form.json", "form.csv"
ZADB = "ZaDb"  # the standard ZapfDingbats font, for tick boxes


class FormRenderError(DhrError):
    """WeasyPrint reported a problem with the form template (exit code 2)."""

    exit_code = 2


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-")


@dataclass
class Widget:
    """One PDF field: a text field, a radio group or one tick box."""

    name: str
    kind: str  # text | radio | check
    field: Field
    option: str | None = None  # the option a tick box or flag row stands for


def widgets(spec: Spec, scopes: list[tuple[str, str]]) -> list[Widget]:
    """Every PDF field of a form with these (section key, scope) blocks."""
    out = []
    for section_key, scope in scopes:
        for f in spec.section(section_key).fields:
            base = f"{scope}:{f.key}"
            if f.type in ("text", "date", "month"):
                out.append(Widget(base, "text", f))
            elif f.type in ("single", "yes_no"):
                out.append(Widget(base, "radio", f))
            elif f.type == "multiple":
                out += [Widget(f"{base}:{slug(v)}", "check", f, v) for v in f.values]
            else:
                out += [Widget(f"{base}:{slug(v)}", "radio", f, v) for v in f.values]
    return out


def _scopes(answers: FormAnswers) -> list[tuple[str, str]]:
    return [(section.key, scope) for section, scope, _, _ in answers.scopes()]


# ------------------------------------------------------------------------- rendering

def form_html(answers: FormAnswers) -> str:
    case = answers.case
    blocks = []
    for section, scope, values, person in answers.scopes():
        title = section.title if person is None else (
            f"{section.title} {person.number}: {person.person.pseudonym}")
        questions = []
        for f in section.fields:
            name = f"{scope}:{f.key}"
            shown = shown_value(f, values.get(f.key))
            rows = len(shown) if isinstance(shown, list) and f.type == "text" else 1
            questions.append({
                "field": f, "name": name, "title": f"{title}: {f.label}", "rows": rows,
                "options": [{"value": v, "name": f"{name}:{slug(v)}" if f.type == "multiple"
                             else name} for v in f.choices],
                "flags": [{"value": v, "name": f"{name}:{slug(v)}"} for v in f.values],
            })
        blocks.append({"title": title, "questions": questions})
    return _jinja().get_template("form.html.j2").render(
        case=case, blocks=blocks, yes_no=YES_NO, fonts=fonts(), tool_version=__version__,
        marking=case.protective_marking,
    )


@cache
def _jinja():
    return jinja_env(form_templates())


def blank_pdf(answers: FormAnswers) -> bytes:
    """The empty fillable form for this review's victims and perpetrators."""
    from pipeline.report.pdf import render_pdf
    from pipeline.report.pdf_tags import fix_tags

    # Tagged like the rest of the set (PDF/UA-1, then the same fix-ups): WeasyPrint puts
    # each field in a /Form element in reading order, named by its HTML title (/TU).
    return fix_tags(render_pdf(form_html(answers), form_templates(),
                               form_templates() / "form.html.j2", variant="pdf/ua-1",
                               forms=True, error=FormRenderError))


def fill_pdf(blank: bytes, answers: FormAnswers) -> bytes:
    """Fill the blank form with pypdf; every answer gets an appearance readers show."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

    wanted: dict[str, Any] = {}
    for section, scope, values, _ in answers.scopes():
        for f in section.fields:
            shown = shown_value(f, values.get(f.key))
            base = f"{scope}:{f.key}"
            if f.type == "flags":
                wanted.update({f"{base}:{slug(k)}": v for k, v in shown.items()})
            elif f.type == "multiple":
                wanted.update({f"{base}:{slug(v)}": v in shown for v in f.values})
            elif f.type in ("single", "yes_no"):
                wanted[base] = shown
            else:
                wanted[base] = "\n".join(shown) if isinstance(shown, list) else shown

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(blank)))
    for page in writer.pages:
        texts = {}
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            parent = annot.get("/Parent")
            if parent is not None:  # a radio button: its group holds the name and value
                group = parent.get_object()
                # WeasyPrint repeats the group's name on each button, which makes some
                # readers treat every button as a field of its own.
                for key in ("/T", "/TU"):
                    if key in annot:
                        del annot[key]
                name = str(group["/T"])
                options = [str(o) for o in group.get("/Opt", [])]
                state = next(iter(annot["/AP"]["/N"].keys()))
                value = wanted.get(name)
                on = value is not None and options[int(state[1:])] == value
                annot[NameObject("/AS")] = NameObject(state if on else "/Off")
                if on:
                    group[NameObject("/V")] = NameObject(state)
                group[NameObject("/TU")] = TextStringObject(_question(name, answers))
            elif annot.get("/FT") == "/Btn":
                on = bool(wanted.get(str(annot["/T"])))
                state = NameObject("/on" if on else "/Off")
                annot[NameObject("/AS")] = state
                annot[NameObject("/V")] = state
                # With NeedAppearances, poppler redraws a tick box from its DA and caption
                # (a ZapfDingbats check) and draws nothing when they are missing.
                annot[NameObject("/DA")] = TextStringObject(f"/{ZADB} 0 Tf 0 g")
                annot["/MK"][NameObject("/CA")] = TextStringObject("4")
            elif annot.get("/FT") == "/Tx":
                name = str(annot["/T"])
                if name in wanted:
                    texts[name] = wanted[name]
        if texts:
            with _multiline_ok():
                writer.update_page_form_field_values(page, texts, auto_regenerate=False)
    fonts_ = writer._root_object["/AcroForm"]["/DR"].get_object().setdefault(
        NameObject("/Font"), DictionaryObject())
    fonts_.get_object()[NameObject(f"/{ZADB}")] = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/ZapfDingbats")})
    writer.set_need_appearances_writer(True)
    writer._root_object["/AcroForm"][NameObject("/NeedAppearances")] = BooleanObject(True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class _MultilineFilter(logging.Filter):
    """pypdf checks a multi-line value's encoding before it splits the lines, and warns
    about the line breaks; each line is encoded on its own, so that warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("not supported by font encoding" in message and "\n" in message)


@contextmanager
def _multiline_ok():
    logger = logging.getLogger("pypdf.generic._appearance_stream")
    quiet = _MultilineFilter()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


def _question(name: str, answers: FormAnswers) -> str:
    scope, key = name.split(":")[:2]
    section = {"incident": "incident", "process": "process"}.get(
        scope, "victims" if scope.startswith("victim") else "perpetrators")
    f = answers.spec.section(section).field(key)
    label = f.label if f else key
    if f is not None and f.type == "flags":
        flag = next((v for v in f.values if slug(v) == name.split(":")[2]), "")
        label = f"{label}: {flag}"
    return f"{scope}: {label}"


@dataclass
class FormFiles:
    pdf: Path
    json: Path
    csv: Path

    def all(self) -> list[Path]:
        return [self.pdf, self.json, self.csv]


def form_files(out_dir: Path) -> FormFiles:
    folder = out_dir / "form"
    return FormFiles(folder / PDF_NAME, folder / JSON_NAME, folder / CSV_NAME)


def write_form(answers: FormAnswers, out_dir: Path) -> FormFiles:
    """Write build/<id>/form/form.pdf, form.json and form.csv, each atomically."""
    files = form_files(out_dir)
    write_atomic(files.pdf, fill_pdf(blank_pdf(answers), answers))
    write_atomic(files.json, to_json(answers))
    write_atomic(files.csv, to_csv(answers))
    return files


# ----------------------------------------------------------------------- reading back

def read_pdf(path: Path) -> str:
    """A filled form, read back as YAML for case.yaml (see README)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        fields = reader.get_fields() or {}
    except FileNotFoundError:
        raise InputError.at(path, None, "file not found") from None
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InputError.at(path, None, f"not a readable PDF form: {exc}") from None
    if not any(":" in str(name) for name in fields):
        raise InputError.at(path, None, "no data-collection form fields in this PDF; "
                                        "read the form.pdf that `dhr form` wrote")
    raw: dict[str, Any] = {}
    for name, data in fields.items():
        name = str(data.get("/T", name))
        value = data.get("/V")
        if data.get("/FT") == "/Btn":
            options = [str(o) for o in data.get("/Opt", [])]
            state = str(value) if value is not None else "/Off"
            if state == "/Off":
                raw.setdefault(name, None)
            elif options and re.fullmatch(r"/\d+", state) and int(state[1:]) < len(options):
                raw[name] = options[int(state[1:])]
            elif options:
                raw[name] = state.lstrip("/")
            else:
                raw[name] = True
        else:
            raw[name] = str(value) if value is not None else ""
    return _to_yaml(path, raw)


def _to_yaml(path: Path, raw: dict[str, Any]) -> str:
    spec = load_spec()
    problems: list[Problem] = []
    form: dict[str, Any] = {}
    derived: dict[str, Any] = {}
    scopes = sorted({n.split(":")[0] for n in raw if ":" in n}, key=_scope_order)
    for scope in scopes:
        section_key = scope if scope in ("incident", "process") else next(
            (k for k in PERSON_SECTIONS if scope.startswith(k[:-1])), None)
        if section_key is None:
            continue
        section = spec.section(section_key)
        answers: dict[str, Any] = {}
        elsewhere: dict[str, Any] = {}
        for f in section.fields:
            base = f"{scope}:{f.key}"

            def err(message: str, sub=None, base: str = base) -> None:
                problems.append(Problem(path, None, f"field '{base}': {message}"))

            value = _read_field(f, base, raw, err)
            if value is None:
                continue
            (elsewhere if f.derive else answers)[f.key] = value
        if section_key in PERSON_SECTIONS:
            pseudonym = raw.get(f"{scope}:pseudonym") or scope
            elsewhere.pop("pseudonym", None)
            if answers:
                form.setdefault(section_key, {})[pseudonym] = answers
            if elsewhere:
                derived.setdefault(section_key, {})[pseudonym] = elsewhere
        else:
            if answers:
                form[section_key] = answers
            if elsewhere:
                derived[section_key] = elsewhere
    if problems:
        raise InputError(problems)
    header = (f"# Read from {path.name} by dhr {__version__}. Answers that read Unknown are "
              "left out (unanswered is Unknown).\n"
              "# form: replaces the form: section of case.yaml. recorded_elsewhere: holds "
              "answers case.yaml keeps\n# in other fields (dates, pseudonyms, region, "
              "agencies): correct those there.\n")
    body = yaml.safe_dump({"form": form, "recorded_elsewhere": derived}, sort_keys=False,
                          allow_unicode=True, width=100)
    return header + body


def _scope_order(scope: str) -> tuple[int, int]:
    order = {"incident": 0, "victim": 1, "perpetrator": 2, "process": 3}
    kind = re.sub(r"\d+$", "", scope)
    number = re.search(r"\d+$", scope)
    return order.get(kind, 9), int(number.group()) if number else 0


def _read_field(f: Field, base: str, raw: dict[str, Any], err) -> Any:
    if f.type == "flags":
        flags = {}
        for flag in f.values:
            value = raw.get(f"{base}:{slug(flag)}")
            if value is not None and value != UNKNOWN:
                flags[flag] = normalise(Field(f.key, f.label, "yes_no"), value, err,
                                        f"{base}:{slug(flag)}")
        return flags or None
    if f.type == "multiple":
        picked = [v for v in f.values if raw.get(f"{base}:{slug(v)}")]
        return picked if picked and picked != [UNKNOWN] else None
    value = raw.get(base)
    if value is None or str(value).strip() in ("", UNKNOWN):
        return None
    if f.type == "text":
        lines = [line.strip() for line in str(value).splitlines() if line.strip()]
        return lines if len(lines) > 1 or f.derive in ("partnerships", "agencies") else lines[0]
    return normalise(f, value, err, base)
