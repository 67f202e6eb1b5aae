"""The command line: version, help, exit codes and one-line errors."""

from __future__ import annotations

from conftest import MINIMAL, run

from pipeline import __version__


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_help_lists_only_working_commands():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("validate", "build"):
        assert command in result.output


def test_validate_ok():
    result = run("validate", MINIMAL)
    assert result.exit_code == 0, result.output
    assert "ok" in result.stdout


def test_build_twice_second_is_a_no_op(tmp_path):
    first = run("build", MINIMAL, "--out", tmp_path)
    assert first.exit_code == 0, first.output
    assert "built" in first.stdout
    second = run("build", MINIMAL, "--out", tmp_path)
    assert second.exit_code == 0
    assert "built" not in second.stdout
    assert second.stdout.count("unchanged") == first.stdout.count("built")


def test_no_pdf_option(tmp_path):
    result = run("build", MINIMAL, "--out", tmp_path, "--no-pdf")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "test-minimal" / "report.html").is_file()
    assert not (tmp_path / "test-minimal" / "report.pdf").exists()


def test_missing_folder_is_exit_2(tmp_path):
    result = run("validate", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "review folder not found" in result.stderr
    assert "Traceback" not in result.output
