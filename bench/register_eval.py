"""Measure the register's repeated-recommendation matcher on hand-labelled pairs.

Reads tests/eval/recommendation-pairs.yaml (pairs of recommendations labelled similar or
not), scores every pair with the matcher the register uses (pipeline/register/similar.py:
TF-IDF fitted on all the set's texts, cosine similarity), and prints precision and recall
at a sweep of thresholds and at the profile's own. ``--show`` lists the misses there.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.register.profile import load_profile  # noqa: E402
from pipeline.register.similar import similarity_matrix  # noqa: E402

PAIRS = ROOT / "tests" / "eval" / "recommendation-pairs.yaml"


def scores(pairs: list[dict]) -> list[float]:
    texts = sorted({p[k] for p in pairs for k in ("a", "b")})
    index = {t: i for i, t in enumerate(texts)}
    matrix = similarity_matrix(texts).tocsr()
    return [float(matrix[index[p["a"]], index[p["b"]]]) for p in pairs]


def measure(pairs: list[dict], values: list[float], threshold: float) -> dict:
    tp = sum(1 for p, s in zip(pairs, values, strict=True) if s >= threshold and p["similar"])
    fp = sum(1 for p, s in zip(pairs, values, strict=True)
             if s >= threshold and not p["similar"])
    fn = sum(1 for p, s in zip(pairs, values, strict=True) if s < threshold and p["similar"])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", action="store_true", help="list misses at the threshold")
    args = parser.parse_args()
    pairs = yaml.safe_load(PAIRS.read_text(encoding="utf-8"))["pairs"]
    values = scores(pairs)
    threshold = load_profile().similarity
    similar = sum(p["similar"] for p in pairs)
    print(f"Repeated recommendations: {len(pairs)} labelled pairs "
          f"({similar} similar, {len(pairs) - similar} not)")
    print(f"{'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>5}  tp fp fn")
    for step in range(5, 60, 5):
        t = step / 100
        m = measure(pairs, values, t)
        mark = "  <- profile" if abs(t - threshold) < 1e-9 else ""
        print(f"{t:>9.2f} {m['precision']:>9.2f} {m['recall']:>7.2f} {m['f1']:>5.2f}  "
              f"{m['tp']:>2} {m['fp']:>2} {m['fn']:>2}{mark}")
    m = measure(pairs, values, threshold)
    print(f"At the profile's threshold {threshold}: precision {m['precision']:.2f}, "
          f"recall {m['recall']:.2f} (F1 {m['f1']:.2f})")
    if args.show:
        for p, s in zip(pairs, values, strict=True):
            if (s >= threshold) != p["similar"]:
                kind = "missed repeat" if p["similar"] else "false repeat"
                print(f"  {kind} ({s:.2f}): {p['a'][:70]} | {p['b'][:70]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
