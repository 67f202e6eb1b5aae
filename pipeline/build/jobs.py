"""The build's renders, side by side: each PDF, the form and the briefing as a job.

Takes the stale stages (``pipeline.build.graph.Stage``) with the review and its print
HTML; produces each stage's files as bytes, handed to the caller as each job completes.
The jobs run in two worker processes (or one per core, if fewer) started from a
forkserver that has WeasyPrint loaded. Nothing here writes a file: the caller
(``pipeline.build.stages``) does, and only after its ``barrier`` (the redaction gate on
the pseudonymised source) has passed, so the renders can start while the gate reads.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

from pipeline.build.graph import Stage
from pipeline.case.folder import Case, load_case

Job = tuple[Callable, tuple]
Finished = Callable[[Stage, dict[Path, bytes]], None]


def job(stage: Stage, case: Case, print_html: Callable[[str], str] | None) -> Job:
    if stage.name.startswith("pdf-"):
        doc = stage.name.removeprefix("pdf-")
        return _render_pdf, (print_html(doc), case.folder, case.report_path,
                             stage.outputs[0])
    if stage.name == "form":
        return _render_form, (case.folder, case.marking, stage.outputs)
    return _render_briefing, (case.folder, case.marking, stage.outputs)


def _render_pdf(print_html: str, folder: Path, source: Path, path: Path) -> dict[Path, bytes]:
    from pipeline.report.pdf import html_to_pdf

    return {path: html_to_pdf(print_html, folder, source)}


def _reloaded(folder: Path, marking: str | None) -> Case:
    case = load_case(folder)
    case.marking = marking
    return case


def _render_form(folder: Path, marking: str | None, paths: list[Path]) -> dict[Path, bytes]:
    from pipeline.form.answers import collect
    from pipeline.form.pdf import blank_pdf, fill_pdf, to_csv, to_json

    answers, _ = collect(_reloaded(folder, marking))
    data = [fill_pdf(blank_pdf(answers), answers), to_json(answers), to_csv(answers)]
    return {p: d.encode("utf-8") if isinstance(d, str) else d for p, d in zip(paths, data,
                                                                               strict=True)}


def _render_briefing(folder: Path, marking: str | None,
                     paths: list[Path]) -> dict[Path, bytes]:
    from pipeline.briefing.render import PREVIEW, preview_png, render_outputs

    files = render_outputs(_reloaded(folder, marking))
    out = {p: files[p.name] for p in paths if p.name in files}
    for path in paths:
        if path.name == PREVIEW:
            out[path] = preview_png(files["briefing.pdf"])
    return out


_POOL: ProcessPoolExecutor | None = None


def _pool() -> ProcessPoolExecutor:
    """Two workers (or as many cores as there are, if fewer), started from a fresh
    forkserver that has WeasyPrint loaded: never forked from a process that may hold
    spaCy's threads."""
    global _POOL
    if _POOL is None:
        context = get_context("forkserver")
        context.set_forkserver_preload(["pipeline.report.pdf", "weasyprint"])
        _POOL = ProcessPoolExecutor(max_workers=max(1, min(2, os.cpu_count() or 1)),
                                    mp_context=context)
    return _POOL


def parallel(jobs: int) -> bool:
    return jobs > 1 and (os.cpu_count() or 1) >= 2 and not os.environ.get("DHR_SERIAL")


def _once(fn: Callable[[], None]) -> Callable[[], None]:
    ran = False

    def call() -> None:
        nonlocal ran
        if not ran:
            ran = True
            fn()
    return call


def run_jobs(jobs: list[tuple[Stage, Job]], finished: Finished,
             barrier: Callable[[], None] = lambda: None,
             meanwhile: Callable[[], None] | None = None) -> None:
    """Run each job and hand its files to ``finished`` as it completes. ``barrier`` runs
    here once the jobs are under way and before any is handed over (if it raises, what
    the jobs made is dropped); then ``meanwhile`` runs here while the pool works. The
    longest job goes first so the cores finish together."""
    global _POOL
    barrier = _once(barrier)
    if not parallel(len(jobs)):
        barrier()
        for stage, (fn, args) in jobs:
            finished(stage, fn(*args))
        return
    done: set[str] = set()
    futures = {}
    try:
        futures = {_pool().submit(fn, *args): stage for stage, (fn, args) in
                   sorted(jobs, key=lambda j: j[0].name != "pdf-report")}
        try:
            barrier()
        except BaseException:
            for future in futures:
                future.cancel()  # one already running finishes, and is dropped
            raise
        if meanwhile:
            meanwhile()
        for future in as_completed(futures):
            finished(futures[future], future.result())
            done.add(futures[future].name)
    except BrokenProcessPool:
        # A worker that could not start (a main module it cannot import, say) must not
        # fail the build: what is left runs here, one job after another.
        _POOL = None
        barrier()
        for stage, (fn, args) in jobs:
            if stage.name not in done:
                finished(stage, fn(*args))
