"""Benchmark for `dhr proof`: prints figures, asserts nothing.

Builds the review once into a temporary folder, then times the proof in a fresh process
(pages rendered by pdftoppm, screenshots by Chromium) and reports how many images it made
and how much disk they take.

    python bench/proof_bench.py [CASE]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DHR = [sys.executable, "-m", "pipeline.cli"]


def main() -> None:
    case = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "examples" / "example-dhr-anna"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([*DHR, "build", str(case), "--out", tmp], cwd=ROOT, check=True,
                       capture_output=True)
        start = time.perf_counter()
        subprocess.run([*DHR, "proof", str(case), "--out", tmp], cwd=ROOT, check=True,
                       capture_output=True)
        elapsed = time.perf_counter() - start
        [folder] = list(Path(tmp).glob("*/proof"))
        pages = list((folder / "pages").glob("*.png"))
        screens = list((folder / "screens").glob("*.png"))
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        print(f"proof of {case.name}: {elapsed:.1f} s, {len(pages)} PDF pages, "
              f"{len(screens)} screenshots, {size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
