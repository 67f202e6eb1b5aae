"""The Home Office data-collection form: answers, PDF (real WeasyPrint and pypdf), JSON,
CSV, reading a corrected PDF back, vocabulary errors and cross-checks with the report."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE, MINIMAL, run
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

KEY = EXAMPLE / "key.example.yaml"


@pytest.fixture(scope="module")
def form_dir(tmp_path_factory) -> Path:
    """The example's form, built once for the module."""
    out = tmp_path_factory.mktemp("form-build")
    result = run("form", EXAMPLE, "--out", out)
    assert result.exit_code == 0, result.output
    return out / "example-dhr-anna" / "form"


def copy_example(tmp_path: Path, edit=None) -> Path:
    target = tmp_path / "case"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("key*.yaml"))
    if edit:
        path = target / "case.yaml"
        text = path.read_text(encoding="utf-8")
        for old, new in edit:
            assert old in text, f"example no longer contains {old!r}"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return target


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


# -- the filled PDF ---------------------------------------------------------------------

def pdf_answers(path: Path) -> dict:
    """Every field of a PDF form as pypdf reads it: radio groups as their option, tick
    boxes as True/False, text as text."""
    out = {}
    for name, field in PdfReader(path).get_fields().items():
        value, options = str(field.get("/V")), [str(o) for o in field.get("/Opt", [])]
        if field.get("/FT") == "/Btn" and options:
            out[name] = None if value == "/Off" else options[int(value[1:])]
        elif field.get("/FT") == "/Btn":
            out[name] = value == "/on"
        else:
            out[name] = value
    return out


def test_every_field_reads_back_from_the_pdf(form_dir):
    from pipeline.form.pdf import slug

    fields = pdf_answers(form_dir / "form.pdf")
    data = json.loads((form_dir / "form.json").read_text())
    blocks = [("incident", data["incident"]), ("process", data["process"])]
    blocks += [(f"{role[:-1]}{i}", person) for role in ("victims", "perpetrators")
               for i, person in enumerate(data[role], 1)]
    checked = set()
    for scope, answers in blocks:
        for key, value in answers.items():
            name = f"{scope}:{key}"
            if isinstance(value, dict):  # Yes/No/Unknown flags
                for flag, answer in value.items():
                    checked.add(f"{name}:{slug(flag)}")
                    assert fields[f"{name}:{slug(flag)}"] == answer, (name, flag)
            elif name not in fields:  # tick boxes, one per option
                ticks = {n: v for n, v in fields.items() if n.startswith(name + ":")}
                assert ticks and {n for n, v in ticks.items() if v} == {
                    f"{name}:{slug(v)}" for v in value if v != "Unknown"}, name
                checked.update(ticks)
            else:
                checked.add(name)
                assert fields[name] == ("\n".join(value) if isinstance(value, list) else value)
    assert checked == set(fields)  # every field of the PDF was compared
    # Spot checks: derived from case.yaml, from the form: section, and Unknown for missing
    assert fields["incident:death_month"] == "2023-02"
    assert fields["victim1:relationship"] == "Spouse or civil partner"  # the inverse
    assert fields["incident:cause_of_death:sharp-instrument"] is True
    assert fields["incident:context:stalking"] == "Yes"
    assert fields["perpetrator1:verdict"] == "Murder"
    assert fields["victim1:mental_health:dementia"] == "Unknown"
    assert fields["process:qa_approval"] == "Unknown"


def test_need_appearances_and_answers_have_appearance_streams(form_dir):
    reader = PdfReader(form_dir / "form.pdf")
    assert reader.trailer["/Root"]["/AcroForm"]["/NeedAppearances"] == True  # noqa: E712
    for page in reader.pages:
        for ref in page["/Annots"]:
            annot = ref.get_object()
            if annot.get("/FT") == "/Tx" or (annot.get("/Parent") or {}).get("/FT") == "/Tx":
                assert "/AP" in annot, annot.get("/T")
            state = annot.get("/AS")
            if state is not None and state != "/Off":
                assert state in annot["/AP"]["/N"]  # the state it shows has a drawing


def test_ticks_and_text_show_when_rasterised(form_dir, tmp_path):
    """poppler draws the answers: the ticked box and the filled text are not blank."""
    from PIL import Image

    reader = PdfReader(form_dir / "form.pdf")
    page = reader.pages[0]
    height = float(page.mediabox.height)
    dpi = 72
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png",
                    str(form_dir / "form.pdf"), str(tmp_path / "p")], check=True,
                   capture_output=True)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")

    def ink(annot, inset=0.3) -> int:
        xs, ys = sorted(float(v) for v in annot["/Rect"][::2]), sorted(
            float(v) for v in annot["/Rect"][1::2])
        (x0, x1), (y0, y1) = xs, ys
        dx, dy = (x1 - x0) * inset, (y1 - y0) * inset
        box = (int(x0 + dx), int(height - y1 + dy), int(x1 - dx), int(height - y0 - dy))
        return sum(image.crop(box).histogram()[:128])  # dark pixels

    annots = [a.get_object() for a in page["/Annots"]]
    region = [a for a in annots if (a.get("/Parent") or {}).get("/T") == "incident:region"]
    on = [a for a in region if a["/AS"] != "/Off"]
    off = [a for a in region if a["/AS"] == "/Off"]
    assert len(on) == 1 and ink(on[0]) > 0
    assert all(ink(a) == 0 for a in off)
    ticked = next(a for a in annots if a.get("/T") == "incident:cause_of_death:sharp-instrument")
    unticked = next(a for a in annots if a.get("/T") == "incident:cause_of_death:drowning")
    assert ticked["/AS"] == "/on" and ink(ticked) > 0
    assert unticked["/AS"] == "/Off" and ink(unticked) == 0
    month = next(a for a in annots if a.get("/T") == "incident:death_month")
    assert ink(month, inset=0.05) > 0


def test_outputs_are_reproducible(form_dir, tmp_path):
    result = run("form", EXAMPLE, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    for name in ("form.pdf", "form.json", "form.csv"):
        assert (tmp_path / "example-dhr-anna" / "form" / name).read_bytes() == \
            (form_dir / name).read_bytes(), name


def test_csv_has_one_row_per_person(form_dir):
    rows = list(csv.DictReader(io.StringIO((form_dir / "form.csv").read_text())))
    assert [(r["role"], r["pseudonym"]) for r in rows] == [("victim", "Anna"),
                                                          ("perpetrator", "Mark")]
    assert rows[0]["incident.region"] == "South East"
    assert rows[1]["verdict"] == "Murder" and rows[0]["verdict"] == ""
    assert rows[0]["mental_health: Dementia"] == "Unknown"


def test_gate_passes_on_the_form(form_dir):
    result = run("check", form_dir, "--case", EXAMPLE, "--key", KEY)
    assert result.exit_code == 0, result.output


# -- reading a corrected PDF back --------------------------------------------------------

def test_read_back_round_trip_with_a_hand_correction(form_dir, tmp_path):
    writer = PdfWriter(clone_from=form_dir / "form.pdf")
    for page in writer.pages:  # as a person would in a reader: pick another location
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            group = annot.get("/Parent")
            if group is None or group.get_object()["/T"] != "incident:location":
                continue
            group = group.get_object()
            state = next(iter(annot["/AP"]["/N"].keys()))
            chosen = [str(o) for o in group["/Opt"]][int(state[1:])] == "Public place"
            annot[NameObject("/AS")] = NameObject(state if chosen else "/Off")
            if chosen:
                group[NameObject("/V")] = NameObject(state)
    for page in writer.pages:
        if any(a.get_object().get("/T") == "process:submission" for a in page["/Annots"]):
            writer.update_page_form_field_values(page, {"process:submission": "2024-06-21"},
                                                 auto_regenerate=False)
    corrected = tmp_path / "corrected.pdf"
    writer.write(corrected)

    result = run("form", "--read", corrected)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.stdout)
    original = yaml.safe_load((EXAMPLE / "case.yaml").read_text())["form"]
    assert data["form"]["incident"]["location"] == "Public place"
    assert data["recorded_elsewhere"]["process"]["submission"] == "2024-06-21"
    # Everything else comes back as case.yaml has it (Unknown answers are left out).
    data["form"]["incident"]["location"] = original["incident"]["location"]
    for flag, value in list(original["incident"]["context"].items()):
        if value == "Unknown":
            del original["incident"]["context"][flag]
    assert data["form"] == original
    assert data["recorded_elsewhere"]["victims"]["Anna"]["age_band"] == "25-34"


def test_read_rejects_a_pdf_that_is_not_the_form(tmp_path):
    blank = PdfWriter()
    blank.add_blank_page(100, 100)
    path = tmp_path / "other.pdf"
    blank.write(path)
    result = run("form", "--read", path)
    assert result.exit_code == 2
    assert "no data-collection form fields" in result.stderr


def test_read_reports_a_bad_value_typed_into_the_pdf(form_dir, tmp_path):
    writer = PdfWriter(clone_from=form_dir / "form.pdf")
    writer.update_page_form_field_values(writer.pages[0], {"incident:death_month": "Feb 2023"},
                                         auto_regenerate=False)
    path = tmp_path / "typo.pdf"
    writer.write(path)
    result = run("form", "--read", path)
    assert result.exit_code == 2
    assert "field 'incident:death_month'" in result.stderr
    assert "YYYY-MM" in result.stderr


# -- vocabulary errors: exit 2, located, naming the field and the allowed values ---------

@pytest.mark.parametrize("old, new, marker, words", [
    ("location: Residential location", "location: Kitchen", "location: Kitchen",
     ["'Kitchen' is not allowed for 'form.incident.location'",
      "use one of: Public place, Residential location, Other, Not known"]),
    ("cause_of_death: [Sharp instrument]", "cause_of_death: [Sharp instrument, Knife]",
     "cause_of_death:", ["'Knife' is not allowed for 'form.incident.cause_of_death'",
                         "Sharp instrument, Blunt instrument"]),
    ('Stalking: "Yes"', "Stalking: Maybe", "Stalking: Maybe",
     ["'Maybe' is not allowed for 'form.incident.context.Stalking'",
      "use one of: Yes, No, Unknown"]),
    ('Stalking: "Yes"', 'Stalkng: "Yes"', "Stalkng:",
     ["'Stalkng' is not a flag of 'form.incident.context'", "Stalking"]),
    ("religion: No religion\n      previous_offending: \"No\"",
     "religion: Atheist\n      previous_offending: \"No\"", "religion: Atheist",
     ["'Atheist' is not allowed for 'form.victims.Anna.religion'", "No religion"]),
    ("verdict: Murder", "verdict: guilty", "verdict: guilty",
     ["'form.perpetrators.Mark.verdict'", "Manslaughter with diminished responsibility"]),
    ("dash_risk_level: High", "dash_risk_levle: High", "dash_risk_levle",
     ["unknown field 'dash_risk_levle' in 'form.process'"]),
    ("    Mark:\n      sexual_orientation", "    Marc:\n      sexual_orientation", "Marc:",
     ["'Marc' is not a perpetrator in pseudonyms.people", "Mark"]),
    ("  process:\n", "  process:\n    notification: 2023-02-19\n", "notification: 2023-02-19",
     ["records elsewhere", "dates.notification"]),
    ('ethnicity: "White: English, Welsh, Scottish, Northern Irish or British"\n'
     "      relationship: \"Victim\"", 'ethnicity: "White British"\n'
     "      relationship: \"Victim\"", 'ethnicity: "White British"',
     ["'White British' in 'pseudonyms.people[1].ethnicity' is outside the data-collection",
      "White: English, Welsh, Scottish, Northern Irish or British"]),
], ids=["single", "multiple", "flag-value", "flag-name", "victim", "perpetrator",
        "unknown-field", "not-a-perpetrator", "fact-entered-twice", "derived-ethnicity"])
def test_answer_outside_vocabulary(tmp_path, old, new, marker, words):
    case = copy_example(tmp_path, [(old, new)])
    result = run("validate", case)
    assert result.exit_code == 2, result.output
    line = line_of(case / "case.yaml", marker)
    assert result.stderr.startswith(f"{case / 'case.yaml'}:{line}: "), result.stderr
    for word in words:
        assert word in result.stderr


def test_unanswered_required_fields_are_warnings(tmp_path):
    case = copy_example(tmp_path, [("    dash_risk_level: High\n", ""),
                                   ('      Sexual abuse: Unknown\n', "")])
    result = run("validate", case)
    assert result.exit_code == 0, result.output
    assert "warning: 'form.process.dash_risk_level' (Highest DASH risk level) is not " \
           "answered and reads Unknown" in result.stderr
    assert "'form.incident.context' (Context) has no answer for: Sexual abuse" in result.stderr


def test_a_review_without_a_form_section_gets_one_warning():
    result = run("validate", MINIMAL)
    assert result.exit_code == 0
    form_lines = [line for line in result.stderr.splitlines() if "data-collection" in line]
    assert len(form_lines) == 1 and "warning: no 'form:' section" in form_lines[0]


def test_example_has_no_form_warnings():
    result = run("validate", EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "form" not in result.stderr


# -- cross-checks with the report --------------------------------------------------------

@pytest.mark.parametrize("edits, expected", [
    ([('cause_of_death: [Sharp instrument]', 'cause_of_death: [Sharp instrument, Drowning]')],
     "case.yaml:{cause_of_death:}: warning: the form gives Cause of death: Drowning"),
    ([('cause_of_death: [Sharp instrument]', 'cause_of_death: [Shooting]')],
     "report.md:{stab wounds}: warning: the report mentions sharp instrument ('stab')"),
    ([('Stalking: "Yes"', 'Stalking: "No"')],
     "report.md:{charge of stalking}: warning: the report mentions stalking"),
    ([('Faith-based marriage: "No"', 'Faith-based marriage: "Yes"')],
     "warning: the form gives Context: Faith-based marriage"),
    ([('relationship: "Husband of Anna; perpetrator"', 'relationship: "Brother of Anna"')],
     "warning: the form gives Relationship (victim to perpetrator; perpetrator to victim) "
     "for Mark: Sibling"),
    ([("age: 34", "age: 36")],
     "report.md:{a 34-year-old}: warning: the report gives Anna's age as 34 "
     "('Anna, a 34-year-old'), "
     "but case.yaml gives 36"),
    ([("age: 39", "age_band: \"45-54\"")], None),  # the report gives no age for Mark
    ([("notification: 2023-02-20", "notification: 2023-02-21")],
     "warning: the report's Timescales give 20 February 2023 for date of notification, "
     "but case.yaml dates.notification is 21 February 2023"),
    ([("death: 2023-02-11", "death: 2023-01-11")],
     "report.md:{death in February}: warning: the report gives the death as February 2023"),
], ids=["cause-not-in-report", "cause-in-report-not-form", "flag-in-report-not-form",
        "flag-not-in-report", "relationship-not-in-report", "age", "no-age-no-warning",
        "timescales-date", "death-month"])
def test_cross_checks(tmp_path, edits, expected):
    case = copy_example(tmp_path, edits)
    result = run("validate", case)
    assert result.exit_code == 0, result.output
    if expected is None:
        assert "warning" not in result.stderr
        return
    for marker in re.findall(r"\{([^}]+)\}", expected):  # {text}: the line it is on
        where = case / ("case.yaml" if marker == "cause_of_death:" else "report.md")
        expected = expected.replace(f"{{{marker}}}", str(line_of(where, marker)))
    assert expected in result.stderr, result.stderr


# -- the build stage -----------------------------------------------------------------------

def test_build_makes_the_form_and_skips_it_when_unchanged(example_build):
    """`dhr build` runs the form stage after the PDFs (the session's one example build)."""
    form = example_build / "form"
    assert {p.name for p in form.iterdir()} >= {"form.pdf", "form.json", "form.csv"}
    again = run("build", EXAMPLE, "--out", example_build.parent)
    assert again.exit_code == 0, again.output
    for name in ("form.pdf", "form.json", "form.csv"):
        assert f"unchanged  {form / name}" in again.stdout, again.stdout


# -- the form as a tagged PDF -----------------------------------------------------------

def _struct_walk(element, out):
    import pikepdf

    k = element.get("/K")
    for kid in (list(k) if isinstance(k, pikepdf.Array) else [k]):
        if not isinstance(kid, pikepdf.Dictionary):
            continue
        if kid.get("/Type") == "/OBJR":
            out.append(("OBJR", kid.Obj.objgen))
        elif kid.get("/S") is not None:
            out.append((str(kid.S), kid))
            _struct_walk(kid, out)
    return out


def test_form_pdf_is_tagged_with_language_title_and_reading_order(form_dir):
    import pikepdf

    with pikepdf.open(form_dir / "form.pdf") as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked and str(root.Lang) == "en-GB"
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        assert str(pdf.docinfo.Title).endswith("Home Office data-collection form")
        assert pdf.open_metadata().get("pdfuaid:part") == "1"
        elements = _struct_walk(root.StructTreeRoot, [])
        kinds = [kind for kind, _ in elements]
        assert kinds.count("/H1") == 1 and "/H2" in kinds
        # Every widget is in the tree, inside a /Form element, in the order the pages
        # show them (tab order follows the structure).
        tree_order = [objgen for kind, objgen in elements if kind == "OBJR"]
        page_order = []
        for page in pdf.pages:
            assert page.obj.Tabs == "/S"
            page_order += [a.objgen for a in page.obj.Annots if a.Subtype == "/Widget"]
        assert tree_order == page_order
        for page in pdf.pages:
            for annot in page.obj.Annots:
                named = annot.get("/TU") or annot.get("/Parent", {}).get("/TU")
                assert str(named or "").strip(), f"field {annot.get('/T')} has no tooltip"
        headers = [el for kind, el in elements if kind == "/TH"]
        assert headers and all(str(h.A.Scope) in ("/Column", "/Row") for h in headers)


def test_form_pdf_passes_the_pdfua_checker(form_dir):
    import sys

    checker = Path(sys.executable).parent / "pdfua"
    result = subprocess.run([str(checker), "check", str(form_dir / "form.pdf")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
