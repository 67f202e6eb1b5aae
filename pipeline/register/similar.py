"""Repeated recommendations: text similarity across reviews, with scikit-learn.

Takes every recommendation in the register (review, number, text, the review's order);
produces links from each recommendation to the (at most five) most similar earlier
reviews' recommendations it repeats, with the cosine similarity of their TF-IDF vectors.
TF-IDF weighs the character sequences a recommendation shares with another against how
common they are across all of them, so "should ensure that" counts for little and
"carer's assessment" for a lot. The threshold
is the profile's ``similarity_threshold``, measured by ``bench/register_eval.py`` on
hand-labelled pairs. The agency a recommendation is addressed to is left out of the text:
two recommendations to Kent Police are not alike for that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The most similar earlier recommendations kept for each one: enough to build on, and a
# register where one ask recurs a hundred times stays readable.
KEEP = 5
BLOCK = 512
_ADDRESSEE = re.compile(r"^\s*(?:the\s+)?[^.]*?\bshould\b", re.IGNORECASE)


@dataclass(frozen=True)
class Item:
    review: str
    number: int
    order: tuple  # (decision or notification date, review id): what "earlier" means
    text: str


def matter(text: str) -> str:
    """What is asked, without whom it is asked of ("Kent Police should ...")."""
    return _ADDRESSEE.sub("", text, count=1)


def vectoriser():
    from sklearn.feature_extraction.text import TfidfVectorizer

    # Character 3- to 5-grams within words, sublinear term frequency: "carer's" and
    # "carers'", "train" and "training" share most of their grams, where whole words do
    # not. On the labelled pairs this beat word unigrams and bigrams (F1 0.95 against 0.89
    # at each one's best threshold; bench/register_eval.py).
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                           lowercase=True)


def similarity_matrix(texts: list[str]):
    """Cosine similarities of the texts' TF-IDF vectors (a sparse matrix; for the eval)."""
    if not texts:
        return None
    vectors = vectoriser().fit_transform([matter(t) for t in texts])
    return (vectors @ vectors.T).tocoo()  # rows are L2-normalised: the dot is the cosine


def links(items: list[Item], threshold: float,
          keep: int = KEEP) -> list[tuple[Item, Item, float]]:
    """(newer, earlier, score): for each recommendation, the ``keep`` most similar ones
    from earlier reviews at or over the threshold; newest first, then the most similar."""
    import numpy as np

    if not items:
        return []
    vectors = vectoriser().fit_transform([matter(i.text) for i in items])
    reviews = np.array([i.review for i in items])
    # Rank of each item's review in time: "earlier" is a smaller rank.
    orders = sorted({i.order for i in items})
    rank = {o: n for n, o in enumerate(orders)}
    ranks = np.array([rank[i.order] for i in items])
    out = []
    # Row blocks keep memory flat: character n-grams make nearly every pair's cosine
    # non-zero, so the whole matrix at once would be dense.
    for lo in range(0, len(items), BLOCK):
        block = (vectors[lo:lo + BLOCK] @ vectors.T).toarray()
        for r, scores in enumerate(block, start=lo):
            ok = (scores >= threshold) & (ranks < ranks[r]) & (reviews != reviews[r])
            cols = np.flatnonzero(ok)
            if not len(cols):
                continue
            best = cols[np.lexsort((cols, -scores[cols]))][:keep]
            out += [(items[r], items[c], round(float(scores[c]), 4)) for c in best]
    out.sort(key=lambda t: (t[0].order, t[0].number, -t[2], t[1].order, t[1].number))
    return out
