"""Repeated recommendations: text similarity across reviews, with scikit-learn.

Takes every recommendation in the register (review, number, text, the review's order);
produces links from each recommendation to the earlier reviews' recommendations it
repeats, with the cosine similarity of their TF-IDF vectors. TF-IDF weighs the words a
recommendation shares with another against how common they are across all of them, so
"should ensure that" counts for little and "carer's assessment" for a lot. The threshold
is the profile's ``similarity_threshold``, measured by ``bench/register_eval.py`` on
hand-labelled pairs. The agency a recommendation is addressed to is left out of the text:
two recommendations to Kent Police are not alike for that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    """Cosine similarities of the texts' TF-IDF vectors (a sparse matrix)."""
    if not texts:
        return None
    vectors = vectoriser().fit_transform([matter(t) for t in texts])
    return (vectors @ vectors.T).tocoo()  # rows are L2-normalised: the dot is the cosine


def links(items: list[Item], threshold: float) -> list[tuple[Item, Item, float]]:
    """(newer, earlier, score) for every pair from different reviews at or over the
    threshold, newest first, then the most similar."""
    matrix = similarity_matrix([i.text for i in items])
    if matrix is None:
        return []
    out = []
    for row, col, score in zip(matrix.row, matrix.col, matrix.data, strict=True):
        a, b = items[row], items[col]
        if a.review == b.review or score < threshold or not a.order > b.order:
            continue
        out.append((a, b, round(float(score), 4)))
    out.sort(key=lambda t: (t[0].order, t[0].number, -t[2], t[1].order, t[1].number))
    return out
