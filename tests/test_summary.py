"""The executive summary and the action plan as documents of their own."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EXAMPLE, run

from pipeline.case.folder import load_case
from pipeline.report.render import parse_report


class Text(HTMLParser):
    """The text of each <li> inside a given list class, in order."""

    def __init__(self, list_class: str):
        super().__init__()
        self.list_class, self.depth, self.items, self.inside = list_class, 0, [], False

    def handle_starttag(self, tag, attrs):
        if tag == "ol" and ("class", self.list_class) in attrs:
            self.inside = True
        elif tag == "li" and self.inside:
            self.items.append("")

    def handle_endtag(self, tag):
        if tag == "ol" and self.inside:
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.items:
            self.items[-1] += data


def plain(text: str) -> str:
    return " ".join(text.replace("**", "").split())


@pytest.fixture(scope="module")
def parsed():
    case = load_case(EXAMPLE)
    return parse_report(case)


def test_summary_recommendations_match_the_report_exactly(example_build, parsed):
    html = (example_build / "summary.html").read_text(encoding="utf-8")
    reader = Text("recommendations")
    reader.feed(html)
    assert [plain(i) for i in reader.items] == \
        [plain(r.text) for r in parsed.outline.recommendations]
    numbers = re.findall(r'<li value="(\d+)">', html)
    assert numbers == [str(r.number) for r in parsed.outline.recommendations]


def test_summary_parts_in_order_from_the_report(example_build, parsed):
    html = (example_build / "summary.html").read_text(encoding="utf-8")
    titles = re.findall(r'<h2 id="summary-\d+"><span class="section-number">\d+</span> ([^<]+)',
                        html)
    assert titles == ["The review process", "Contributors to the review", "The review panel",
                      "Author of the overview report", "Terms of reference",
                      "Summary chronology", "Key issues arising from the review",
                      "Conclusions", "Lessons to be learned", "Recommendations"]
    # the text is the report's own, marked with ::: summary
    introduction = next(s for s in parsed.outline.sections if s.key == "introduction")
    first = parsed.tokens[introduction.summaries[0][0] + 1].content
    assert " ".join(first.split()[:12]) in " ".join(html.split())


def test_missing_summary_text_is_reported_not_invented(minimal: Path, tmp_path: Path):
    result = run("validate", minimal)
    assert result.exit_code == 0
    assert "warning: no text for the executive summary's 'Conclusions'" in result.stderr
    assert run("build", minimal, "--out", tmp_path, "--no-pdf").exit_code == 0
    html = (tmp_path / "test-minimal" / "summary.html").read_text(encoding="utf-8")
    assert "Conclusions</h2>" not in html and "Recommendations</h2>" in html


def test_action_plan_csv_and_html(example_build, parsed):
    with open(example_build / "action-plan.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Recommendation number", "Recommendation", "Scope", "Action to take",
                       "Lead agency", "Key milestones achieved", "Target date",
                       "Date of completion and outcome"]
    numbers = {int(r[0]) for r in rows[1:]}
    assert numbers == {r.number for r in parsed.outline.recommendations}
    html = (example_build / "action-plan.html").read_text(encoding="utf-8")
    assert "colspan" not in html and "rowspan" not in html
    assert html.count("<tr>") == len(rows)  # header row + one per action


def test_action_plan_pdf_is_landscape_and_tagged(example_build):
    from pypdf import PdfReader

    reader = PdfReader(example_build / "action-plan.pdf")
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages)
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    summary = PdfReader(example_build / "summary.pdf")
    assert summary.metadata.title.endswith("Executive Summary")
