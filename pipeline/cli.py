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
@click.option("--key", "key_path", type=click.Path(path_type=Path),
              help="The confidential key (default: $DHR_KEY): pseudonymise first.")
@click.option("--reveal", is_flag=True, help="Show real names in messages (local use only).")
def build(case_dir: Path, out_root: Path, force: bool, no_pdf: bool, key_path: Path | None,
          reveal: bool) -> None:
    """Pseudonymise (with a key), validate and render the overview report (HTML, PDF)."""
    from .build import build_report
    from .key import resolve_key_path

    result = build_report(case_dir, out_root, force=force, pdf=not no_pdf,
                          key_path=resolve_key_path(key_path), reveal=reveal)
    for path in result.built:
        click.echo(f"built      {path}")
    for path in result.unchanged:
        click.echo(f"unchanged  {path}")


@main.command()
@click.argument("case_dir", type=CASE, metavar="CASE")
@click.option("--key", "key_path", type=click.Path(path_type=Path),
              help="The confidential key (default: $DHR_KEY).")
@click.option("--out", "out_root", type=click.Path(path_type=Path), default=Path("build"),
              show_default=True, help="Folder for build outputs.")
@click.option("--reveal", is_flag=True,
              help="Show real names in the log and messages (local use only).")
def pseudonymise(case_dir: Path, key_path: Path | None, out_root: Path, reveal: bool) -> None:
    """Replace every real name, place and term from the key with its pseudonym.

    Writes build/<id>/source/ (never over the source) and pseudonymise-log.txt, then runs
    the redaction gate on the result. Ambiguities are reported, not guessed (exit 1).
    """
    from .build import BuildResult, Stamps, pseudonymise_stage
    from .case import load_case
    from .errors import InputError
    from .key import ENV_VAR, resolve_key_path

    key_file = resolve_key_path(key_path)
    if key_file is None:
        raise InputError(f"no key: give --key PATH or set ${ENV_VAR}")
    case = load_case(case_dir)
    result = BuildResult(case, out_root / case.id)
    pseudonymise_stage(case, key_file, out_root, Stamps(out_root / case.id), True, reveal,
                       result)
    for path in result.built:
        click.echo(f"wrote  {path}")
    counts = ", ".join(f"{name} {n}" for name, n in sorted(result.counts.items()))
    click.echo(f"{sum(result.counts.values())} replacement(s): {counts or 'none'}; "
               "the redaction gate found nothing blocking")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="PATH...")
@click.option("--key", "key_path", type=click.Path(path_type=Path),
              help="The confidential key (default: $DHR_KEY). Without it only patterns and "
                   "NER run.")
@click.option("--case", "case_dir", type=click.Path(path_type=Path),
              help="A review folder whose pseudonyms, chair and agencies may be published "
                   "(automatic when a PATH is a review folder).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit",
                                                    "github"]), default="text",
              show_default=True)
@click.option("--output", type=click.Path(path_type=Path),
              help="Write the report to FILE instead of standard output.")
@click.option("--reveal", is_flag=True,
              help="Show the identifying text found (local use only; never in CI logs).")
@click.option("--accepted", "accepted_path", type=click.Path(path_type=Path),
              help="Reviewed exceptions (default: gate-accepted.yaml in a review folder).")
@click.option("--no-ner", is_flag=True, help="Skip the NER pass (key and patterns only).")
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...], key_path: Path | None,
          case_dir: Path | None, fmt: str, output: Path | None, reveal: bool,
          accepted_path: Path | None, no_ner: bool) -> None:
    """Redaction gate: find identifying details in drafts and in what will be published.

    Exit 0 when nothing blocks, 1 when something does, 2 for unreadable input.
    """
    from .fsutil import write_atomic
    from .gate import ACCEPTED_FILE, Gate, load_accepted, review_allow
    from .gate_output import render, summary
    from .key import load_key, resolve_key_path
    from .ner import NerCache, default_cache_path

    key_file = resolve_key_path(key_path)
    key = load_key(key_file) if key_file else None
    reviews = [p for p in paths if (p / "case.yaml").is_file()]
    allow = [name for review in reviews for name in review_allow(review, sources=True)]
    if case_dir:
        allow += review_allow(case_dir)
        reviews.append(case_dir)
    accepted: dict[str, dict] = {}
    for candidate in ([accepted_path] if accepted_path else
                      [r / ACCEPTED_FILE for r in reviews]):
        if accepted_path or candidate.is_file():
            accepted.update(load_accepted(candidate))
    cache = None if no_ner else NerCache(default_cache_path())
    result = Gate(key, allow, ner=not no_ner, ner_cache=cache).check(paths, accepted)
    if cache:
        cache.save()
    report = render(result, fmt, reveal)
    if output:
        write_atomic(output, report)
        click.echo(summary(result), err=True)
    else:
        click.echo(report, nl=False)
    ctx.exit(1 if result.blocking else 0)


def run() -> None:  # pragma: no cover - console entry point for python -m
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
