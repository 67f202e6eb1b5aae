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

from pipeline import __version__
from pipeline.common.errors import CheckFailed, DhrError

CASE = click.Path(path_type=Path)
# --out names a folder: a file there is a usage error (exit 2), never an internal one.
OUT_DIR = click.Path(path_type=Path, file_okay=False)


def key_option(purpose: str):
    return click.option("--key", "key_path", type=click.Path(path_type=Path, dir_okay=False),
                        help=f"The confidential key (default: $DHR_KEY){purpose}.")


def out_option(f):
    return click.option("--out", "out_root", type=OUT_DIR, default=Path("build"),
                        show_default=True,
                        help="Folder for build outputs (one subfolder per review).")(f)


def reveal_option(purpose: str = "Show real names in messages (local use only)."):
    return click.option("--reveal", is_flag=True, help=purpose)


def force_option(f):
    return click.option("--force", is_flag=True, help="Rebuild even if unchanged.")(f)


def _print_built(result) -> None:
    for label, paths in (("built", result.built), ("unchanged", result.unchanged),
                         ("removed", result.removed)):
        for path in paths:
            click.echo(f"{label:<10} {path}")
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
                errors = sum(1 for p in exc.problems if not p.warning)
                click.echo(f"{errors} problem(s) found", err=True)
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
    from pipeline.build.stages import validate_case

    case, problems = validate_case(case_dir)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise CheckFailed(problems)
    for warning in problems:
        click.echo(str(warning), err=True)
    click.echo(f"{case.folder}: ok ({case.review_type} {case.id})"
               + (f", {len(problems)} warning(s)" if problems else ""))


@main.command()
@click.argument("case_dir", type=CASE, metavar="CASE")
@out_option
@force_option
@click.option("--no-pdf", is_flag=True,
              help="Stop after the HTML (quicker while drafting); PDFs and the form and "
                   "briefing that are out of date are removed, never left stale.")
@key_option(": pseudonymise first")
@reveal_option()
def build(case_dir: Path, out_root: Path, force: bool, no_pdf: bool, key_path: Path | None,
          reveal: bool) -> None:
    """Pseudonymise (with a key), validate and render the publication set (HTML, PDF)."""
    from pipeline.build.stages import build_report, validate_case
    from pipeline.case.key import resolve_key_path
    from pipeline.pseudonymise.origin import remap_error, to_chair

    key_file = resolve_key_path(key_path)
    try:
        result = build_report(case_dir, out_root, force=force, pdf=not no_pdf,
                              key_path=key_file, reveal=reveal)
    except DhrError as exc:
        raise remap_error(exc, case_dir, out_root) from None
    # validate's warnings, for what was built (the pseudonymised copy, with a key), shown
    # where the chair can act on them
    _, problems = validate_case(result.case.folder)
    for warning in to_chair([p for p in problems if p.warning], result.case.folder, case_dir):
        click.echo(str(warning), err=True)
    if key_file is None:
        click.echo("note: no key (--key or $DHR_KEY): nothing was pseudonymised; the "
                   "outputs show the text as written", err=True)
    _print_built(result)


@main.command()
@click.argument("case_dir", type=CASE, metavar="CASE")
@out_option
def outputs(case_dir: Path, out_root: Path) -> None:
    """List every file the build writes for a review, one per line (for the gate)."""
    from pipeline.build.stages import outputs as build_outputs

    for path in build_outputs(case_dir, out_root):
        click.echo(str(path))


@main.command()
@click.argument("case_dir", type=CASE, metavar="CASE")
@key_option("")
@out_option
@reveal_option("Show real names in the log and messages (local use only).")
def pseudonymise(case_dir: Path, key_path: Path | None, out_root: Path, reveal: bool) -> None:
    """Replace every real name, place and term from the key with its pseudonym.

    Writes build/<id>/source/ (never over the source) and pseudonymise-log.txt, then runs
    the redaction gate on the result. Ambiguities are reported, not guessed (exit 1).
    """
    from pipeline.build.graph import Stamps
    from pipeline.build.stages import BuildResult, pseudonymise_stage
    from pipeline.case.folder import load_case
    from pipeline.case.key import ENV_VAR, resolve_key_path
    from pipeline.common.errors import InputError

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
@key_option(". Without it only patterns and NER run")
@click.option("--case", "case_dir", type=click.Path(path_type=Path),
              help="A review folder whose pseudonyms, chair and agencies may be published "
                   "(automatic when a PATH is a review folder).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit",
                                                    "github"]), default="text",
              show_default=True)
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE instead of standard output.")
@reveal_option("Show the identifying text found (local use only; never in CI logs).")
@out_option
@click.option("--accepted", "accepted_path", type=click.Path(path_type=Path),
              help="Reviewed exceptions (default: gate-accepted.yaml in a review folder).")
@click.option("--no-ner", is_flag=True, help="Skip the NER pass (key and patterns only).")
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...], key_path: Path | None,
          case_dir: Path | None, fmt: str, output: Path | None, reveal: bool,
          accepted_path: Path | None, no_ner: bool, out_root: Path) -> None:
    """Redaction gate: find identifying details in drafts and in what will be published.

    Exit 0 when nothing blocks, 1 when something does, 2 for unreadable input.
    """
    from pipeline.case.key import load_key, resolve_key_path
    from pipeline.common.fsutil import write_atomic
    from pipeline.gate.output import render, summary
    from pipeline.gate.setup import gate_for

    key_file = resolve_key_path(key_path)
    gate = gate_for([p for p in paths if (p / "case.yaml").is_file()],
                    [case_dir] if case_dir else [],
                    key=load_key(key_file) if key_file else None, out_root=out_root,
                    accepted_path=accepted_path, ner=not no_ner)
    result = gate.check(paths)
    report = render(result, fmt, reveal)
    if output:
        write_atomic(output, report)
        click.echo(summary(result), err=True)
    else:
        click.echo(report, nl=False)
    ctx.exit(1 if result.blocking else 0)


@main.command()
@click.argument("case_dir", type=CASE, metavar="CASE", required=False)
@out_option
@click.option("--read", "read_path", type=click.Path(path_type=Path), metavar="FILE.pdf",
              help="Read a filled (possibly hand-corrected) form back as YAML on stdout.")
def form(case_dir: Path | None, out_root: Path, read_path: Path | None) -> None:
    """Home Office data-collection form: build/<id>/form/ (fillable PDF, JSON, CSV).

    With --read FILE.pdf, print the answers of a filled form as YAML for case.yaml.
    """
    from pipeline.common.errors import InputError

    if (case_dir is None) == (read_path is None):
        raise InputError("give a review folder (CASE) to build the form, or --read FILE.pdf")
    if read_path is not None:
        from pipeline.form.pdf import read_pdf

        click.echo(read_pdf(read_path), nl=False)
        return
    from pipeline.build.stages import build_one
    from pipeline.case.folder import load_case
    from pipeline.form.answers import collect

    _, warnings = collect(load_case(case_dir))
    for warning in warnings:
        click.echo(str(warning), err=True)
    result = build_one("form", case_dir, out_root, force=True)
    for path in result.built:
        click.echo(f"built      {path}")


@main.command()
@click.argument("case_dir", type=CASE, metavar="CASE")
@out_option
def proof(case_dir: Path, out_root: Path) -> None:
    """A look at every page: build/<id>/proof/ with every PDF page and every HTML file
    (1280 and 320 px) as PNG, and index.html, one contact sheet. Run `dhr build` first."""
    from pipeline.case.folder import load_case
    from pipeline.proof.sheet import make_proof

    case = load_case(case_dir)
    result = make_proof(out_root / case.id, case.doc.path)
    pages = sum(len(v) for v in result.pages.values())
    screens = sum(len(v) for v in result.screens.values())
    click.echo(f"proof      {result.index} ({pages} PDF pages, {screens} screenshots)")


@main.command()
@click.argument("case_dir", type=CASE, metavar="CASE")
@out_option
@click.option("--draft", is_flag=True,
              help="Write the text, empty parts drafted from the report, to "
                   "build/<id>/briefing-draft.yaml for editing; build nothing else.")
@force_option
@key_option(": pseudonymise first")
def briefing(case_dir: Path, out_root: Path, draft: bool, force: bool,
             key_path: Path | None) -> None:
    """7-minute briefing: build/<id>/briefing.pdf, .html, .txt and the fillable
    briefing-action-plan.pdf, from case.yaml's briefing: section and the report."""
    from pipeline.build.stages import build_one, draft_briefing
    from pipeline.case.key import resolve_key_path

    key_file = resolve_key_path(key_path)
    if not draft:
        _print_built(build_one("briefing", case_dir, out_root, force, key_file))
        return
    path, drafted = draft_briefing(case_dir, out_root, key_file)
    for part in drafted.parts:
        source = ("empty: write it" if not part.words else
                  "drafted from the report" if part.drafted else "from case.yaml")
        click.echo(f"{part.number} {part.label}: {part.words} word(s), {source}")
    click.echo(f"wrote      {path} (edit it, then copy it into case.yaml)")


@main.command()
@click.argument("case_dir", type=CASE, metavar="CASE")
@key_option(": pseudonymise and gate with it")
@out_option
@click.option("--draft", is_flag=True,
              help="Build draft packages (DRAFT – NOT FOR PUBLICATION) even if gates are open.")
@click.option("--or-draft", is_flag=True,
              help="Build release packages if every gate is closed, draft ones otherwise.")
@reveal_option()
def package(case_dir: Path, key_path: Path | None, out_root: Path, draft: bool,
            or_draft: bool, reveal: bool) -> None:
    """Build the Kent and Medway site packages and the submission bundles.

    Refuses a publishable package while a gate before release is open (exit 1, listing
    each gate and what to record). The redaction gate runs on the finished zips.
    """
    from pipeline.build.package import package_case
    from pipeline.case.key import resolve_key_path

    result = package_case(case_dir, out_root, resolve_key_path(key_path), draft=draft,
                          or_draft=or_draft, reveal=reveal)
    for gate in result.open_gates:
        click.echo(f"{gate} (gate open)", err=True)
    kind = "DRAFT packages (not for publication)" if result.draft else "Release packages"
    click.echo(f"{kind} for {result.case.id} ({result.case.victim}):")
    for pkg in result.packages:
        size = pkg.zip_path.stat().st_size
        click.echo(f"  {pkg.site:<8} {pkg.zip_path}  ({len(pkg.files)} files, "
                   f"{size / (1024 * 1024):.1f} MB)  "
                   + ("for checking only" if result.draft else "upload this"))
    for bundle in result.bundles:
        click.echo(f"  submit   {bundle}/")
    click.echo(f"Redaction gate on what ships: {result.gate_summary}")


@main.command()
@click.argument("case_dir", type=CASE, metavar="CASE")
@key_option(": its names are highlighted")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port on 127.0.0.1.")
@click.option("--no-ner", is_flag=True, help="Skip the slower name-recognition pass.")
def preview(case_dir: Path, key_path: Path | None, port: int, no_ner: bool) -> None:
    """Serve a live preview of the rendered draft on 127.0.0.1, with the gate's findings.

    The page rebuilds and reloads when a source file is saved. Stop with Ctrl+C.
    """
    import time

    from pipeline.case.folder import load_case
    from pipeline.case.key import resolve_key_path
    from pipeline.preview.server import Preview, serve

    load_case(case_dir)  # a review folder that cannot load is reported here, plainly
    server, _ = serve(Preview(case_dir, resolve_key_path(key_path), ner=not no_ner), port)
    click.echo(f"Preview of {case_dir} at http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()


@main.command()
@click.argument("case_dir", type=CASE, metavar="CASE_DIR")
@click.option("--id", "review_id", help="The review's id (default: from the folder name).")
@click.option("--type", "review_type", type=click.Choice(["DHR", "DARDR"]), default="DHR",
              show_default=True, help="Domestic Homicide Review, or its 2024 Act name.")
def new(case_dir: Path, review_id: str | None, review_type: str) -> None:
    """Start a review: CASE_DIR with case.yaml, report.md and action-plan.yaml that
    validate at once, every field and section explained. Never overwrites anything."""
    from pipeline.importer.new import new_review

    for path in new_review(case_dir, review_id, review_type):
        click.echo(f"wrote      {path}")
    click.echo(f"Next: fill in {case_dir / 'case.yaml'} (replace every [placeholder]), "
               f"then `dhr validate {case_dir}`; or bring a Word draft in with "
               f"`dhr import DRAFT.docx {case_dir} --force`.")


@main.command("import")
@click.argument("docx_path", type=click.Path(path_type=Path), metavar="FILE.docx")
@click.argument("case_dir", type=CASE, metavar="CASE_DIR")
@click.option("--force", is_flag=True, help="Replace an existing report.md.")
@click.option("--accept-changes", is_flag=True,
              help="Accept every tracked insertion and deletion; keep comments as <!-- --> "
                   "notes. Without it a draft with either is refused, with a list.")
@key_option(": pseudonymise and gate the imported draft at once")
@out_option
@click.pass_context
def import_(ctx: click.Context, docx_path: Path, case_dir: Path, force: bool,
            accept_changes: bool, key_path: Path | None, out_root: Path) -> None:
    """Turn a chair's Word draft into CASE_DIR/report.md (and its pictures into
    CASE_DIR/images/). Prints how each heading was matched to a Home Office section."""
    from pipeline.case.key import resolve_key_path
    from pipeline.importer.cli import import_command

    import_command(docx_path, case_dir, force, accept_changes, click.echo)
    key_file = resolve_key_path(key_path)
    if key_file is not None and (case_dir / "case.yaml").is_file():
        ctx.invoke(pseudonymise, case_dir=case_dir, key_path=key_file, out_root=out_root,
                   reveal=False)
    elif key_file is not None:
        click.echo(f"note: {case_dir} has no case.yaml, so the import was not pseudonymised "
                   f"or gated; start the review with `dhr new`, then import again", err=True)


@main.command()
@click.argument("dirs", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="DIR...")
@out_option
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="The day overdue actions and timescales are measured on (default: the "
                   "newest date any review records; never today's date).")
@click.option("--no-pdf", is_flag=True, help="Leave out the annual report's PDF.")
def register(dirs: tuple[Path, ...], out_root: Path, as_of: str | None, no_pdf: bool) -> None:
    """The Steering Group's register of every review under DIR...: register.sqlite,
    dashboard.html, actions.csv/.xlsx, annual-report.html/.pdf and national.json."""
    import datetime as dt

    from pipeline.common.errors import InputError
    from pipeline.register.build import build_register

    when = None
    if as_of is not None:
        try:
            when = dt.date.fromisoformat(as_of)
        except ValueError:
            raise InputError(f"--as-of: '{as_of}' is not a real date (YYYY-MM-DD)") from None
    result = build_register(list(dirs), out_root, when, pdf=not no_pdf)
    click.echo(f"{result.reviews} review(s), {len(result.read)} read again, "
               f"{len(result.removed)} removed; as of {result.as_of.isoformat()}")
    for path in result.written:
        click.echo(f"built      {path}")
    for path in result.unchanged:
        click.echo(f"unchanged  {path}")
    for path in result.deleted:
        click.echo(f"removed    {path} (out of date, not rebuilt)")


def run() -> None:  # pragma: no cover - console entry point for python -m
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
