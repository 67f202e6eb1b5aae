"""Repeated recommendations: text similarity across reviews, with numpy and scipy.

Takes every recommendation in the register (review, number, text, the review's order);
produces links from each recommendation to the (at most five) most similar earlier
reviews' recommendations it repeats, with the cosine similarity of their TF-IDF vectors.
TF-IDF weighs the character sequences a recommendation shares with another against how
common they are across all of them, so "should ensure that" counts for little and
"carer's assessment" for a lot. The threshold
is the profile's ``similarity_threshold``, measured by ``bench/register_eval.py`` on
hand-labelled pairs. The agency a recommendation is addressed to is left out of the text:
two recommendations to Kent Police are not alike for that.

The weights are scikit-learn's ``TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5),
sublinear_tf=True)``, worked out here (``tests/test_register_similar.py`` holds them to
scikit-learn's): importing scikit-learn took a second, longer than the whole relink now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The most similar earlier recommendations kept for each one: enough to build on, and a
# register where one ask recurs a hundred times stays readable.
KEEP = 5
# Rows per product: character n-grams make nearly every pair's cosine non-zero, so each
# block's product is close to dense; 256 rows keep it to a few megabytes.
BLOCK = 256
GRAMS = (3, 5)
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


def grams(word: str) -> list[str]:
    """A word's character 3- to 5-grams, padded with a space each side ("char_wb"): a
    word no longer than n counts once, whole, and stops there."""
    w = f" {word} "
    out: list[str] = []
    for n in range(GRAMS[0], GRAMS[1] + 1):
        if len(w) <= n:
            out.append(w)
            break
        out += [w[i:i + n] for i in range(len(w) - n + 1)]
    return out


def vectors(texts: list[str]):
    """TF-IDF rows (scipy CSR, float64, L2-normalised) of the texts as given.

    Character 3- to 5-grams within words, sublinear term frequency: "carer's" and
    "carers'", "train" and "training" share most of their grams, where whole words do
    not. On the labelled pairs this beat word unigrams and bigrams (F1 0.95 against 0.89
    at each one's best threshold; bench/register_eval.py). Smoothed IDF,
    ln((1 + n) / (1 + df)) + 1, as scikit-learn's."""
    import numpy as np
    from scipy.sparse import csr_matrix

    # Words recur far more than texts do: each distinct word is cut into grams once.
    vocab: dict[str, int] = {}
    by_word: dict[str, np.ndarray] = {}
    pieces, per_text = [], []
    for text in texts:
        words = text.lower().split()
        per_text.append(sum(len(_ids(w, by_word, vocab)) for w in words))
        pieces += [by_word[w] for w in words]
    n, width = len(texts), max(len(vocab), 1)
    flat = np.concatenate(pieces) if pieces else np.zeros(0, np.int64)
    owner = np.repeat(np.arange(n, dtype=np.int64), per_text)
    # One sort counts every (text, gram) pair and leaves each row's columns in order.
    keys, counts = np.unique(owner * width + flat, return_counts=True)
    row, col = keys // width, keys % width
    df = np.bincount(col, minlength=width)
    data = (1.0 + np.log(counts)) * (np.log((1.0 + n) / (1.0 + df)) + 1.0)[col]
    norm = np.sqrt(np.bincount(row, weights=data * data, minlength=n))
    data /= np.where(norm > 0, norm, 1.0)[row]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=n))])
    return csr_matrix((data, col, indptr), shape=(n, width))


def _ids(word: str, by_word: dict, vocab: dict[str, int]):
    found = by_word.get(word)
    if found is None:
        import numpy as np

        found = by_word[word] = np.array(
            [vocab.setdefault(g, len(vocab)) for g in grams(word)], dtype=np.int64)
    return found


def similarity_matrix(texts: list[str]):
    """Cosine similarities of the texts' TF-IDF vectors (a sparse matrix; for the eval)."""
    if not texts:
        return None
    v = vectors([matter(t) for t in texts])
    return (v @ v.T).tocoo()  # rows are L2-normalised: the dot is the cosine


def links(items: list[Item], threshold: float,
          keep: int = KEEP) -> list[tuple[Item, Item, float]]:
    """(newer, earlier, score): for each recommendation, the ``keep`` most similar ones
    from earlier reviews at or over the threshold (ties to the one listed first); newest
    first, then the most similar."""
    import numpy as np

    if not items:
        return []
    # Rank of each item's review in time: "earlier" is a smaller rank, and one review's
    # items share a rank, so an earlier rank is always another review.
    rank = {o: n for n, o in enumerate(sorted({i.order for i in items}))}
    ranks = np.array([rank[i.order] for i in items])
    by_time = np.argsort(ranks, kind="stable")
    v, ranks = vectors([matter(i.text) for i in items])[by_time], ranks[by_time]
    rows, cols, scores = [], [], []
    # Only the lower triangle is worked out: rows in time order, each block against the
    # items before its newest review's.
    for lo in range(0, len(items), BLOCK):
        hi = min(lo + BLOCK, len(items))
        bound = int(np.searchsorted(ranks, ranks[hi - 1], "left"))
        if not bound:
            continue
        block = (v[lo:hi] @ v[:bound].T).tocsr()
        r = np.repeat(np.arange(lo, hi), np.diff(block.indptr))
        ok = (block.data >= threshold) & (ranks[block.indices] < ranks[r])
        rows.append(r[ok])
        cols.append(block.indices[ok])
        scores.append(block.data[ok])
    if not rows:
        return []
    r, c, s = (by_time[np.concatenate(rows)], by_time[np.concatenate(cols)],
               np.concatenate(scores))
    # Per row, most similar first, ties to the earlier-listed item; the first ``keep``.
    order = np.lexsort((c, -s, r))
    r, c, s = r[order], c[order], s[order]
    starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
    place = np.arange(len(r)) - np.repeat(starts, np.diff(np.r_[starts, len(r)]))
    kept = place < keep
    out = [(items[a], items[b], round(x, 4)) for a, b, x in
           zip(r[kept].tolist(), c[kept].tolist(), s[kept].tolist(), strict=True)]
    out.sort(key=lambda t: (t[0].order, t[0].number, -t[2], t[1].order, t[1].number))
    return out
