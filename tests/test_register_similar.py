"""The register's matcher (``pipeline/register/similar.py``) against scikit-learn's
TfidfVectorizer, which it replaces at run time: the same cosines on the labelled pairs'
texts and awkward ones, and the same links as the plain reading of the rule (every pair
worked out, earlier reviews only, the five most similar at or over the threshold).
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from conftest import ROOT

from pipeline.register.similar import Item, links, matter, vectors

PAIRS = yaml.safe_load((ROOT / "tests" / "eval" / "recommendation-pairs.yaml")
                       .read_text(encoding="utf-8"))["pairs"]
TEXTS = sorted({p[k] for p in PAIRS for k in ("a", "b")})
AWKWARD = ["", "   ", "a", "Go.", "An  ox\tand\nan ÉLAN café", "should", "x" * 40,
           "carer's carers' carer\u2019s"]


def sklearn_cosines(texts: list[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    v = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                        lowercase=True).fit_transform(texts)
    return (v @ v.T).toarray()


@pytest.mark.parametrize("texts", [[matter(t) for t in TEXTS], AWKWARD + TEXTS[:6]])
def test_the_weights_are_scikit_learns(texts):
    ours = vectors(texts)
    assert np.allclose((ours @ ours.T).toarray(), sklearn_cosines(texts), rtol=0,
                       atol=1e-12)


def plain_links(items: list[Item], threshold: float, keep: int = 5) -> list[tuple]:
    scores = sklearn_cosines([matter(i.text) for i in items])
    out = []
    for r, a in enumerate(items):
        earlier = [c for c, b in enumerate(items)
                   if b.order < a.order and scores[r, c] >= threshold]
        earlier.sort(key=lambda c: (-scores[r, c], c))
        out += [(a.review, a.number, items[c].review, items[c].number,
                 round(float(scores[r, c]), 4)) for c in earlier[:keep]]
    return sorted(out)


def test_links_are_the_rule_worked_out_in_full(monkeypatch):
    # Several reviews to a date, some sharing one, and blocks much smaller than the set
    # so the lower-triangle bounds are crossed many times.
    monkeypatch.setattr("pipeline.register.similar.BLOCK", 7)
    items = []
    for n, text in enumerate(TEXTS * 2):
        review = f"r{n // 3:02d}"
        items.append(Item(review, n % 3 + 1, (f"2020-{n // 12 % 12 + 1:02d}", review), text))
    found = sorted((a.review, a.number, b.review, b.number, s)
                   for a, b, s in links(items, 0.28))
    assert found == plain_links(items, 0.28)
    assert len(found) > 40 and any(s == 1.0 for *_, s in found)  # the doubled texts
