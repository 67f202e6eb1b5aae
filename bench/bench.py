"""Benchmarks for `make bench`: prints figures, asserts nothing.

Each measurement runs `dhr build` in a fresh process (so import and font loading count,
as they do for the officer) and reads its wall time and peak resident memory.

    python bench/bench.py [CASE]
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DHR = [sys.executable, "-m", "pipeline.cli"]


def measure(args: list[str], env: dict | None = None) -> tuple[float, float]:
    """(seconds, peak MiB) of one command in a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def tripled(case: Path, into: Path) -> Path:
    """A copy of the review whose every section (but the recommendations) is three times
    as long, so the action plan still matches."""
    shutil.copytree(case, into, ignore=shutil.ignore_patterns("key*.yaml"))
    report = into / "report.md"
    text = report.read_text(encoding="utf-8")
    parts = re.split(r"(?m)^(# .*\n)", text)
    out = [parts[0]]
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        notes = ""
        if "[^" in body and re.search(r"(?m)^\[\^[^\]]+\]:", body):
            first = re.search(r"(?m)^\[\^[^\]]+\]:", body).start()
            body, notes = body[:first], body[first:]
        out.append(heading + (body if "Recommendations" in heading else body * 3) + notes)
    report.write_text("".join(out), encoding="utf-8")
    return into


def words(case: Path) -> int:
    return len((case / "report.md").read_text(encoding="utf-8").split())


def pseudonymise_figures(case: Path) -> None:
    """Pseudonymising a 30,000-word draft written with real names (in process)."""
    from pipeline.case.key import load_key
    from pipeline.pseudonymise.replace import Pseudonymiser

    real = {"Anna": "Sarah Whitfield", "Mark": "Gareth", "Leo": "Ollie", "Ruth": "Maggie",
            "Jess": "Kirsty"}
    text = (case / "report.md").read_text(encoding="utf-8")
    draft = re.sub(r"\b(?:Anna|Mark|Leo|Ruth|Jess)\b", lambda m: real[m.group(0)], text)
    while len(draft.split()) < 30_000:
        draft += "\n\n" + draft
    draft = " ".join(draft.split(" ")[:30_000])
    start = time.perf_counter()
    worker = Pseudonymiser(load_key(case / "key.example.yaml"))
    setup = time.perf_counter() - start
    start = time.perf_counter()
    result = worker.text(draft)
    elapsed = time.perf_counter() - start
    print(f"pseudonymise  {len(draft.split()):>8} words {elapsed:>9.2f} s "
          f"(+{setup:.2f} s to load the key), {len(result.changes)} replacements")


def set_figures(case: Path) -> None:
    """The whole publication set (report, executive summary, action plan; HTML and PDF),
    in process, split into the pipeline's own work and WeasyPrint's."""
    import weasyprint

    from pipeline.build.stages import PDF_DOCUMENTS as DOCUMENTS
    from pipeline.case.folder import load_case
    from pipeline.report.pdf_tags import fix_tags
    from pipeline.report.render import (
        parse_report,
        render_action_plan,
        render_report,
        render_summary,
    )
    from pipeline.report.structure import check

    start = time.perf_counter()
    loaded = load_case(case)
    parsed = parse_report(loaded)
    from pipeline.report.render import catalogue

    check(parsed.outline, loaded, catalogue(), loaded.report_path)
    report = render_report(loaded, parsed)
    summary = render_summary(loaded, parsed)
    plan = render_action_plan(loaded, parsed)
    prints = [report.print_html, summary[1], plan[1]]
    pipeline_time = time.perf_counter() - start
    weasy_time = tags_time = 0.0
    for html in prints:
        start = time.perf_counter()
        data = weasyprint.HTML(string=html, base_url=str(case)).write_pdf(
            pdf_variant="pdf/ua-1")
        weasy_time += time.perf_counter() - start
        start = time.perf_counter()
        fix_tags(data)
        tags_time += time.perf_counter() - start
    total = pipeline_time + weasy_time + tags_time
    print(f"whole set ({', '.join(DOCUMENTS)}; HTML and PDF): {total:.2f} s; WeasyPrint "
          f"{weasy_time:.2f} s ({weasy_time / total:.0%}), pipeline {pipeline_time:.2f} s + "
          f"tag fix-ups {tags_time:.2f} s = overhead {(pipeline_time + tags_time) / total:.0%}")


def publish_figures(case: Path) -> None:
    """`make publish`'s chain (dhr package, with the key) from clean and warm, with the
    time WeasyPrint took inside the cold run (every render, in every worker, summed) and
    the ratio of the two; peak memory is the largest process's (the main one)."""
    with tempfile.TemporaryDirectory() as tmp:
        times = Path(tmp) / "weasyprint-times.txt"
        env = {**os.environ, "DHR_CACHE_DIR": str(Path(tmp) / "cache"),
               "DHR_WEASYPRINT_TIMES": str(times)}
        args = [*DHR, "package", str(case), "--key", str(case / "key.example.yaml"),
                "--or-draft", "--out", str(Path(tmp) / "build")]
        clean, clean_mib = measure(args, env)
        weasy = sum(float(x) for x in times.read_text().split())
        renders = len(times.read_text().split())
        warm, warm_mib = measure(args, env)
    print(f"publish (dhr package, both sites and bundles): from clean {clean:.1f} s "
          f"(peak {clean_mib:.0f} MiB), warm {warm:.2f} s (peak {warm_mib:.0f} MiB)")
    print(f"  WeasyPrint inside the clean run: {weasy:.1f} s in {renders} renders on "
          f"{min(2, os.cpu_count() or 1)} cores; clean run / WeasyPrint = {clean / weasy:.2f} "
          "(target at most 1.5)")


def main() -> None:
    case = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/example-dhr-anna").resolve()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        big = tripled(case, tmp / "tripled")
        rows = []
        for label, folder in (("example", case), ("example x3", big)):
            out = tmp / f"out-{label.replace(' ', '')}"
            seconds, mib = measure([*DHR, "build", str(folder), "--out", str(out)])
            noop, noop_mib = measure([*DHR, "build", str(folder), "--out", str(out)])
            rows.append((label, words(folder), seconds, mib, noop, noop_mib))
    print(f"{'dhr build':<14}{'words':>8}{'full (s)':>10}{'peak MiB':>10}"
          f"{'no-op (s)':>11}{'peak MiB':>10}")
    for label, count, seconds, mib, noop, noop_mib in rows:
        print(f"{label:<14}{count:>8}{seconds:>10.2f}{mib:>10.0f}{noop:>11.2f}{noop_mib:>10.0f}")
    key = case / "key.example.yaml"
    if key.is_file():
        pseudonymise_figures(case)
        publish_figures(case)
    # Last: it loads WeasyPrint into this process, and a command started after that
    # would report this process's memory as its own peak (the kernel's high-water mark
    # survives fork and exec).
    set_figures(case)


if __name__ == "__main__":
    main()
