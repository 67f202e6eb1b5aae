"""The ``dhr`` command: a thin click layer over the library.

The library raises ``DhrError`` subclasses; this module prints their problems one per line
on stderr (``file:line: message``) and exits with their code: 0 success, 1 a check failed,
2 bad usage or bad input. ``--debug`` shows the traceback as well.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .errors import CheckFailed, DhrError

CASE = click.Path(path_type=Path)
# Neither "check failed" (1) nor "bad input" (2): CI must not mistake a crash for either.
INTERNAL_ERROR = 3


class DhrGroup(click.Group):
    """Turns library errors into messages and exit codes for every subcommand."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DhrError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            if isinstance(exc, CheckFailed):
                click.echo(f"{len(exc.problems)} problem(s) found", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # a bug in dhr, not in the input
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"dhr: internal error: {type(exc).__name__}: {exc} "
                       "(run with --debug for the traceback)", err=True)
            ctx.exit(INTERNAL_ERROR)


@click.group(cls=DhrGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dhr")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Publication pipeline for Domestic Homicide Reviews (DHR / DARDR)."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@click.argument("case_dir", type=CASE, metavar="CASE")
def validate(case_dir: Path) -> None:
    """Check a review folder: case facts, report structure, action plan."""
    from .build import validate_case

    case, problems = validate_case(case_dir)
    if problems:
        raise CheckFailed(problems)
    click.echo(f"{case.folder}: ok ({case.review_type} {case.id})")


@main.command()
@click.argument("case_dir", type=CASE, metavar="CASE")
@click.option("--out", "out_root", type=click.Path(path_type=Path), default=Path("build"),
              show_default=True, help="Folder for build outputs (one subfolder per review).")
@click.option("--force", is_flag=True, help="Rebuild every stage, even if unchanged.")
@click.option("--no-pdf", is_flag=True, help="Stop after the HTML (quicker while drafting).")
def build(case_dir: Path, out_root: Path, force: bool, no_pdf: bool) -> None:
    """Validate a review and render its overview report (HTML and PDF)."""
    from .build import build_report

    result = build_report(case_dir, out_root, force=force, pdf=not no_pdf)
    for path in result.built:
        click.echo(f"built      {path}")
    for path in result.unchanged:
        click.echo(f"unchanged  {path}")


def run() -> None:  # pragma: no cover - console entry point for python -m
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
