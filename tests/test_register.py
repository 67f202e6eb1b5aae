"""The Steering Group's register (``dhr register``), on the example reviews: the SQLite
file read back with sqlite3, timescales and overdue actions on fixed days, small-number
suppression in the annual report, reproducible bytes, incremental rebuilds, axe in
Chromium on both pages and the PDF/UA checks on the annual report's PDF.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import shutil
import sqlite3
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run

from pipeline.register import suppress

EXAMPLES = ROOT / "examples"
PARTNERSHIP = EXAMPLES / "partnership"
FILES = ("register.sqlite", "dashboard.html", "actions.csv", "actions.xlsx",
         "annual-report.html", "annual-report.pdf", "national.json")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """``dhr register examples/`` once, as of its default day."""
    out = tmp_path_factory.mktemp("register")
    result = run("register", EXAMPLES, "--out", out)
    assert result.exit_code == 0, result.output
    assert "as of 2025-05-06" in result.output  # the newest date any example records
    return out / "register"


@pytest.fixture(scope="module")
def db(built: Path):
    conn = sqlite3.connect(built / "register.sqlite")
    yield conn
    conn.close()


def review_folders() -> list[Path]:
    return sorted(p.parent for p in EXAMPLES.rglob("case.yaml"))


def test_every_file_is_written(built):
    for name in FILES:
        assert (built / name).stat().st_size > 500, name


def test_sqlite_counts_match_the_example_folders(db):
    folders = review_folders()
    recommendations = actions = people = 0
    for folder in folders:
        case = yaml.safe_load((folder / "case.yaml").read_text())
        people += len(case["pseudonyms"]["people"])
        if (folder / "report.md").is_file():
            text = (folder / "report.md").read_text()
            section = text.split("# Recommendations", 1)[1].split("\n# ", 1)[0]
            recommendations += len(re.findall(r"(?m)^\d+\. ", section))
            plan = yaml.safe_load((folder / "action-plan.yaml").read_text())
            actions += len(plan["actions"])
    count = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
             for t in ("reviews", "people", "recommendations", "actions")}
    assert count == {"reviews": len(folders), "people": people,
                     "recommendations": recommendations, "actions": actions}
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"reviews", "people", "recommendations", "actions", "themes",
            "recommendation_links", "theme_matches", "timescales"} <= tables
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1


def test_people_are_roles_never_names(db):
    columns = [r[1] for r in db.execute("PRAGMA table_info(people)")]
    assert "pseudonym" not in columns and "name" not in columns
    pseudonyms = {p["pseudonym"] for f in review_folders()
                  for p in yaml.safe_load((f / "case.yaml").read_text())["pseudonyms"]["people"]}
    for row in db.execute("SELECT * FROM people"):
        for value in row:
            assert not any(re.search(rf"\b{re.escape(n)}\b", str(value)) for n in pseudonyms)
    # The death is kept as a month only.
    assert all(len(d) == 7 for (d,) in db.execute("SELECT death FROM reviews"))


def test_themes_keep_the_words_that_matched(db):
    rows = db.execute("SELECT m.words, r.text FROM theme_matches m JOIN recommendations r "
                      "ON r.review_id = m.review_id AND r.number = m.number "
                      "WHERE m.source = 'recommendation'").fetchall()
    assert rows
    for words, text in rows:
        assert all(w.casefold() in text.casefold() for w in words.split("; "))
    themes = {t for (t,) in db.execute("SELECT DISTINCT theme FROM theme_matches")}
    assert {"marac", "coercive-control", "stalking", "carers",
            "adolescent-to-parent-violence"} <= themes


def test_repeated_recommendations_are_linked_to_earlier_ones(db):
    links = db.execute("SELECT review_id, number, earlier_review_id, earlier_number "
                       "FROM recommendation_links").fetchall()
    # MARAC on professional judgement (2021-04 #2 repeats 2019-01 #1); stalking
    # protection orders (2023-06 #2 repeats 2021-04 #1).
    assert ("kent-dhr-2021-04", 2, "kent-dhr-2019-01", 1) in links
    assert ("kent-dhr-2023-06", 2, "kent-dhr-2021-04", 1) in links
    order = dict(db.execute("SELECT id, coalesce(decision, notification) FROM reviews"))
    assert all(order[a] > order[b] for a, _, b, _ in links)


def status_of(db, review: str, position: int) -> str:
    return db.execute("SELECT status FROM actions WHERE review_id = ? AND position = ?",
                      (review, position)).fetchone()[0]


def scale(db, review: str, key: str) -> tuple:
    return db.execute("SELECT status, due, done, days_late FROM timescales WHERE "
                      "review_id = ? AND key = ?", (review, key)).fetchone()


def test_overdue_actions_and_timescales_as_of_the_default_day(db, built):
    assert status_of(db, "kent-dhr-2020-02", 2) == "overdue"  # in progress, target 2022-06
    assert status_of(db, "kent-dhr-2020-03", 3) == "in-progress"  # target 2026-12
    assert status_of(db, "kent-dhr-2023-06", 2) == "overdue"  # not started, target 2025-03
    assert status_of(db, "kent-dhr-2019-01", 1) == "complete"
    # notification 2020-05-11, decision 2020-07-20: a month was due by 2020-06-11
    assert scale(db, "kent-dhr-2020-02", "decision") == ("missed", "2020-06-11",
                                                         "2020-07-20", 39)
    # decided 2024-03-04, no report by 2025-05-06: six months were up on 2024-09-04
    assert scale(db, "kent-dhr-2024-07", "completion") == ("missed", "2024-09-04", None, 244)
    assert scale(db, "kent-dhr-2025-10", "decision") == ("due", "2025-06-06", None, None)
    assert scale(db, "kent-dhr-2020-02", "completion")[0] == "met"
    overdue = db.execute("SELECT count(*) FROM actions WHERE status = 'overdue'").fetchone()[0]
    csv_rows = list(csv.DictReader(io.StringIO((built / "actions.csv").read_text())))
    assert sum(r["Status"] == "Overdue" for r in csv_rows) == overdue


def test_a_fixed_as_of_day_moves_overdue_and_timescales(tmp_path):
    result = run("register", PARTNERSHIP, "--out", tmp_path, "--as-of", "2024-06-30",
                 "--no-pdf")
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(tmp_path / "register" / "register.sqlite")
    assert status_of(conn, "kent-dhr-2023-06", 2) == "not-started"  # target 2025-03
    assert status_of(conn, "kent-dhr-2022-05", 1) == "in-progress"  # target 2024-06: ends today
    assert status_of(conn, "kent-dhr-2021-04", 2) == "overdue"  # target 2023-12
    assert scale(conn, "kent-dhr-2024-07", "completion") == ("due", "2024-09-04", None, None)
    # Reviews notified after the day are not started yet, and their stage is before it.
    assert scale(conn, "kent-dhr-2025-10", "decision")[0] == "not-started"
    stage = dict(conn.execute("SELECT id, stage FROM reviews"))
    assert stage["kent-dhr-2024-08"] == "decision" and stage["kent-dhr-2019-01"] == "published"
    conn.close()


def test_same_inputs_same_bytes_fresh_or_incremental(built, tmp_path):
    first = run("register", EXAMPLES, "--out", tmp_path)
    assert first.exit_code == 0, first.output
    again = run("register", EXAMPLES, "--out", tmp_path)
    assert "0 read again" in again.output
    for name in FILES:
        assert (tmp_path / "register" / name).read_bytes() == (built / name).read_bytes(), name


def test_only_the_changed_review_is_read_again(built, tmp_path):
    source = tmp_path / "examples"
    shutil.copytree(EXAMPLES, source)
    assert run("register", source, "--out", tmp_path / "b", "--no-pdf").exit_code == 0
    plan = source / "partnership" / "kent-dhr-2020-02" / "action-plan.yaml"
    original = plan.read_text()
    plan.write_text(original.replace("status: in-progress", "status: complete"))
    result = run("register", source, "--out", tmp_path / "b", "--no-pdf")
    assert ", 1 read again, 0 removed" in result.output
    conn = sqlite3.connect(tmp_path / "b" / "register" / "register.sqlite")
    assert status_of(conn, "kent-dhr-2020-02", 2) == "complete"
    conn.close()
    plan.write_text(original)
    shutil.rmtree(source / "partnership" / "kent-dhr-2025-10")
    result = run("register", source, "--out", tmp_path / "b", "--no-pdf")
    assert ", 1 read again, 1 removed" in result.output
    conn = sqlite3.connect(tmp_path / "b" / "register" / "register.sqlite")
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == \
        len(review_folders()) - 1
    conn.close()


# ---- small numbers --------------------------------------------------------------------

class Tables(HTMLParser):
    """Each table of a page: caption, then rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption] = self._rows
            self._rows = None

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell.append(data)


def tables_of(path: Path) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tables


def solutions(values: list[str], total: str, threshold: int) -> list[tuple[int, ...]]:
    """Every way the hidden counts of a column could be filled in, given its total."""
    hidden = [i for i, v in enumerate(values) if not v.isdigit()]
    shown = sum(int(v) for v in values if v.isdigit())
    found = []
    for guess in itertools.product(range(threshold), repeat=len(hidden)):
        if not total.isdigit() or shown + sum(guess) == int(total):
            found.append(guess)
    return found


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    """The partnership's ten reviews, relabelled: two in Dover (the planted small
    district), five in Thanet (shown) and three in Swale."""
    root = tmp_path_factory.mktemp("planted")
    source = root / "reviews"
    shutil.copytree(PARTNERSHIP, source)
    folders = sorted(source.iterdir())
    others = iter(["Thanet"] * 5 + ["Swale"] * 3)
    for i, folder in enumerate(folders):
        district = "Dover" if i in (2, 7) else next(others)
        path = folder / "case.yaml"
        path.write_text(re.sub(r"(?m)^district: .*$", f"district: {district}",
                               path.read_text()))
    result = run("register", source, "--out", root, "--no-pdf")
    assert result.exit_code == 0, result.output
    return root / "register" / "annual-report.html"


def test_a_district_with_two_reviews_cannot_be_read_or_worked_out(planted):
    html = planted.read_text(encoding="utf-8")
    rows = tables_of(planted)["Reviews by district or borough"]
    body = {r[0]: r[1] for r in rows[1:]}
    assert body["Dover"] == "fewer than 5"
    assert body["All districts"] == "10" and body["Thanet"] == "5"
    labels = [r[0] for r in rows[1:-1]]
    values = [body[label] for label in labels]
    options = solutions(values, body["All districts"], 5)
    hidden = [label for label, v in zip(labels, values, strict=True) if not v.isdigit()]
    dover = {guess[hidden.index("Dover")] for guess in options}
    assert len(dover) > 1, "the totals reveal Dover's count"
    assert ">2<" not in html.split("Reviews by district")[1].split("</table>")[0]


def test_every_count_below_the_threshold_is_hidden(planted):
    for caption, rows in tables_of(planted).items():
        for row in rows[1:]:
            for cell in row[1:]:
                if cell.isdigit():
                    assert int(cell) >= 5, f"{caption}: {row}"


def test_no_hidden_count_can_be_worked_out_from_totals(planted):
    for caption, rows in tables_of(planted).items():
        if len(rows) < 3 or rows[-1][0] not in ("All districts", "All types", "All actions"):
            continue
        values, total = [r[1] for r in rows[1:-1]], rows[-1][1]
        hidden = [i for i, v in enumerate(values) if not v.isdigit()]
        options = solutions(values, total, 5)
        for k in range(len(hidden)):
            assert len({o[k] for o in options}) > 1, f"{caption}: a hidden count is exact"


def test_suppression_in_two_dimensions():
    t = suppress.table(["16-19", "25-34"], ["Female", "Male"], [[1, 6], [7, 8]], 5)
    hidden = [[c.hidden for c in row] for row in t.cells]
    # 1 is hidden; its row (total 7) and column (total 8) would give it away, so the
    # row's other cell and the column's other cell go too, and then the last one.
    assert hidden[0][0]
    for row, total in zip(t.cells, t.row_totals, strict=True):
        assert sum(c.hidden for c in row) + total.hidden != 1
    for j, total in enumerate(t.column_totals):
        assert sum(row[j].hidden for row in t.cells) + total.hidden != 1
    assert not t.total.hidden and t.total.text(5) == "22"
    assert t.cells[0][0].text(5) == "fewer than 5"


# ---- other outputs ----------------------------------------------------------------------

def test_actions_csv_and_xlsx_have_one_row_per_action(built, db):
    total = db.execute("SELECT count(*) FROM actions").fetchone()[0]
    rows = list(csv.reader(io.StringIO((built / "actions.csv").read_text())))
    assert rows[0][:3] == ["Review", "Recommendation", "Recommendation text"]
    assert len(rows) == total + 1
    with zipfile.ZipFile(built / "actions.xlsx") as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        assert sheet.count("<row ") == total + 1
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in book.infolist())
        assert "2025-05-06" in book.read("docProps/core.xml").decode()


def test_national_json_holds_published_reviews_and_their_themes(built, db):
    doc = json.loads((built / "national.json").read_text())
    assert doc["format"] == "dhr-register-national" and doc["version"] == 1
    published = {r for (r,) in db.execute("SELECT id FROM reviews WHERE stage='published'")}
    assert {r["id"] for r in doc["reviews"]} == published and published
    for review in doc["reviews"]:
        assert review["themes"] and all(t["reasons"] for t in review["themes"])
        assert review["title"].endswith(f"into the death of {review['title'].split()[-1]}")
        assert all("pseudonym" not in p for p in review["people"])


def test_dashboard_shows_repeats_with_completion(built):
    html = (built / "dashboard.html").read_text(encoding="utf-8")
    # A review under way whose recommendation repeats a published one and a submitted one
    assert "kent-dhr-2023-06, recommendation 2" in html
    assert "Completed: 1 of 1 complete" in html and "Not completed: 0 of 1 complete" in html
    assert html.count('role="img"') == 3 and "<svg" in html
    assert html.index("Overdue") < html.index("Not started</td>")


def test_a_bad_case_yaml_is_one_located_line(tmp_path):
    source = tmp_path / "reviews"
    shutil.copytree(PARTNERSHIP / "kent-dhr-2019-01", source / "one")
    path = source / "one" / "case.yaml"
    path.write_text(path.read_text().replace("notification: '2019-03-04'",
                                             "notification: '2019-02-30'"))
    result = run("register", source, "--out", tmp_path)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert re.match(rf"{re.escape(str(path))}:\d+: '2019-02-30' is not a real date", lines[0])


def test_bad_as_of_and_missing_folder_are_usage_errors(tmp_path):
    result = run("register", PARTNERSHIP, "--out", tmp_path, "--as-of", "2025-02-30")
    assert result.exit_code == 2 and "is not a real date" in result.output
    result = run("register", tmp_path / "nowhere", "--out", tmp_path)
    assert result.exit_code == 2 and "folder not found" in result.output


def test_recommendation_pairs_for_the_eval():
    pairs = yaml.safe_load((ROOT / "tests" / "eval" / "recommendation-pairs.yaml")
                           .read_text())["pairs"]
    assert len(pairs) >= 40
    assert {p["similar"] for p in pairs} == {True, False}


# ---- in a browser, and the PDF --------------------------------------------------------

@pytest.mark.parametrize("name", ["dashboard.html", "annual-report.html"])
def test_axe_finds_no_violations(browser, built, name):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((built / name).as_uri())
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    context.close()
    assert results.violations_count == 0, results.generate_report()


def test_annual_report_pdf_is_pdf_ua(built):
    import pikepdf

    with pikepdf.open(built / "annual-report.pdf") as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked and "/StructTreeRoot" in root
        assert str(root.Lang) == "en-GB" and bool(root.ViewerPreferences.DisplayDocTitle)
        assert pdf.open_metadata().get("pdfuaid:part") == "1"
        assert str(pdf.docinfo["/Title"]).startswith("Domestic Homicide Reviews: annual")
        assert "2025" in str(pdf.docinfo["/CreationDate"])
        elements = []

        def walk(element):
            elements.append(element)
            kids = element.get("/K")
            for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids]):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") is not None:
                    walk(kid)

        top = root.StructTreeRoot.K
        walk(top[0] if isinstance(top, pikepdf.Array) else top)
        headers = [e for e in elements if e.get("/S") == "/TH"]
        assert headers and all(str(h.A.Scope) in ("/Column", "/Row") for h in headers)
        for number, page in enumerate(pdf.pages, start=1):
            artifacts = [ops for ops, op in pikepdf.parse_content_stream(page)
                         if op == pikepdf.Operator("BDC") and ops[0] == "/Artifact"]
            assert len(artifacts) >= 2, f"page {number}: header and footer are not artifacts"
