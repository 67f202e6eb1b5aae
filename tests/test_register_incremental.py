"""The register built incrementally gives the bytes a build from nothing gives, after
each kind of change (a recommendation's text, which redoes the similarity links; an action
plan's statuses, which redraws a chart and re-renders the PDF); an out-of-date PDF is
removed, never left; a worker's failure is the build's.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import ROOT, run

from pipeline.common.workers import Workers

EXAMPLES = ROOT / "examples"
FILES = ("register.sqlite", "dashboard.html", "actions.csv", "actions.xlsx",
         "annual-report.html", "annual-report.pdf", "national.json")
REVIEW = Path("partnership") / "kent-dhr-2020-02"


def build(source: Path, out: Path, *more: str) -> str:
    result = run("register", source, "--out", out, *more)
    assert result.exit_code == 0, result.output
    return result.output


def folder_free(database: Path) -> list:
    # The folder column is where the source was, which differs between the two copies.
    conn = sqlite3.connect(database)
    try:
        tables = [t for (t,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return [(t, conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall())
                for t in tables]
    finally:
        conn.close()


def change_recommendation(review: Path) -> None:
    report = review / "report.md"
    text = report.read_text(encoding="utf-8")
    old = "should train GPs to recognise coercive and controlling behaviour"
    assert old in text
    report.write_text(text.replace(old, "must now train GPs to spot coercive control"),
                      encoding="utf-8")


def change_plan(review: Path) -> None:
    plan = review / "action-plan.yaml"
    text = plan.read_text(encoding="utf-8")
    assert "status: in-progress" in text
    plan.write_text(text.replace("status: in-progress", "status: complete"),
                    encoding="utf-8")


@pytest.mark.parametrize("change", [change_recommendation, change_plan])
def test_incremental_gives_the_bytes_of_a_build_from_nothing(tmp_path, change):
    source = tmp_path / "examples"
    shutil.copytree(EXAMPLES, source)
    incremental = tmp_path / "incremental"
    build(source, incremental)
    change(source / REVIEW)
    output = build(source, incremental)
    assert ", 1 read again, 0 removed" in output
    # From nothing, from a second copy where the changed one is (the folder is the only
    # thing allowed to differ: it is in the database, and nowhere else).
    fresh_source = tmp_path / "again"
    shutil.copytree(source, fresh_source)
    fresh = tmp_path / "fresh"
    build(fresh_source, fresh)
    for name in FILES:
        a, b = incremental / "register" / name, fresh / "register" / name
        if name == "register.sqlite":
            got, want = folder_free(a), folder_free(b)
            assert [t for t, _ in got] == [t for t, _ in want]
            for (table, rows), (_, rows_fresh) in zip(got, want, strict=True):
                if table != "reviews":
                    assert rows == rows_fresh, table
        else:
            assert a.read_bytes() == b.read_bytes(), name


def test_same_source_incremental_database_bytes_after_a_recommendation(tmp_path):
    # The same folder both ways, so the database itself can be compared byte for byte.
    source = tmp_path / "examples"
    shutil.copytree(EXAMPLES, source)
    build(source, tmp_path / "inc")
    change_recommendation(source / REVIEW)
    build(source, tmp_path / "inc")
    build(source, tmp_path / "fresh")
    for name in FILES:
        assert (tmp_path / "inc" / "register" / name).read_bytes() == \
            (tmp_path / "fresh" / "register" / name).read_bytes(), name


def test_no_pdf_removes_a_pdf_that_is_out_of_date(tmp_path):
    source = tmp_path / "examples"
    shutil.copytree(EXAMPLES, source)
    out = tmp_path / "b"
    build(source, out)
    pdf = out / "register" / "annual-report.pdf"
    assert pdf.is_file()
    assert "removed    " not in build(source, out, "--no-pdf")  # still current: kept
    assert pdf.is_file()
    change_plan(source / REVIEW)  # the annual report's action counts move
    output = build(source, out, "--no-pdf")
    assert f"removed    {pdf}" in output and not pdf.exists()
    build(source, out)
    assert pdf.is_file()


def boom(text: str) -> None:
    raise ValueError(f"no: {text}")


def test_a_workers_exception_is_raised_where_its_result_is_asked_for():
    workers = Workers()
    try:
        job = workers.run("other", boom, "this")
        fine = workers.run("other", sorted, [3, 1, 2])
        with pytest.raises(ValueError, match="no: this"):
            job.get()
        assert fine.get() == [1, 2, 3]
    finally:
        workers.close()
