"""Gate speed and memory for `make bench` (prints figures, asserts nothing).

On a 30,000-word report made from the example review:
- a bare spaCy NER pass (the model's full default pipeline, and NER components only),
- `dhr check`'s analysis with the NER pass (model already loaded, empty cache),
- a re-check after editing one paragraph (warm cache),
- peak memory of a whole `dhr check` process.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "example-dhr-anna"
WORDS = 30_000


def report_of(words: int) -> str:
    text = (EXAMPLE / "report.md").read_text(encoding="utf-8")
    body = text
    while len(body.split()) < words:
        body += "\n\n" + text
    paragraphs, count = [], 0
    for paragraph in re.split(r"\n\s*\n", body):
        paragraphs.append(paragraph)
        count += len(paragraph.split())
        if count >= words:
            break
    return "\n\n".join(paragraphs) + "\n"


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def process_peak(text: str) -> tuple[float, float]:
    """A whole `dhr check` in a child process. Measured first, while this process is
    small: a forked child's peak memory counts the parent's pages until it execs."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.md"
        report.write_text(text, encoding="utf-8")
        env = {**os.environ, "DHR_CACHE_DIR": str(Path(tmp) / "cache")}
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "check", str(report),
                                 "--key", str(EXAMPLE / "key.example.yaml")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _, _, usage = os.wait4(proc.pid, 0)
        return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    text = report_of(WORDS)
    seconds, peak = process_peak(text)

    import spacy

    from pipeline.case.key import load_key
    from pipeline.gate.engine import Gate
    from pipeline.gate.ner import MODEL, NerCache, _engine

    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    full = spacy.load(MODEL)
    ner_only = spacy.load(MODEL, exclude=["tagger", "parser", "attribute_ruler",
                                          "lemmatizer", "senter"])
    _engine()
    for nlp in (full, ner_only):  # warm up
        list(nlp.pipe(paragraphs[:20]))
    bare_full = min(timed(lambda: list(full.pipe(paragraphs))) for _ in range(2))
    bare_ner = min(timed(lambda: list(ner_only.pipe(paragraphs))) for _ in range(2))

    key = load_key(EXAMPLE / "key.example.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        report = tmp / "report.md"
        report.write_text(text, encoding="utf-8")

        def cold() -> None:
            Gate(key, ner_cache=NerCache(None)).check([report])

        gate_cold = min(timed(cold) for _ in range(2))
        cache = NerCache(tmp / "ner.json")
        Gate(key, ner_cache=cache).check([report])
        cache.save()
        report.write_text(text.replace("Anna", "Anna herself", 1), encoding="utf-8")

        def warm() -> None:
            Gate(key, ner_cache=NerCache(tmp / "ner.json")).check([report])

        recheck = timed(warm)
        words = len(text.split())
        print(f"gate on a {words}-word report (model loaded; {len(paragraphs)} paragraphs)")
        print(f"  bare spaCy, full pipeline      {bare_full:6.2f} s")
        print(f"  bare spaCy, NER components     {bare_ner:6.2f} s")
        print(f"  dhr check with NER, cold cache {gate_cold:6.2f} s  "
              f"= {gate_cold / bare_full:.2f}x full, {gate_cold / bare_ner:.2f}x NER-only")
        print(f"  re-check after one edit        {recheck:6.2f} s")
        print(f"  whole `dhr check` process      {seconds:6.2f} s (with model load), "
              f"peak {peak:.0f} MiB")


if __name__ == "__main__":
    main()
