"""One way to set up the gate, for every caller (``dhr check``, the pseudonymise stage,
the gate on what ships, the preview).

Takes the review folders involved (whose sources are checked, so everything case.yaml
records may appear), the reviews whose published facts are allowed (``--case``), the key,
the reviewed exceptions and where the NER cache lives; gives a ``ReviewGate`` whose
``check(paths)`` applies the exceptions and keeps the cache.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.case.folder import Case
from pipeline.case.key import Key
from pipeline.gate.engine import ACCEPTED_FILE, Gate, GateResult, load_accepted, review_allow
from pipeline.gate.ner import NerCache, warm

CACHE_FILE = Path(".cache") / "ner.json"


@dataclass
class ReviewGate:
    gate: Gate
    accepted: dict[str, dict]
    cache: NerCache | None

    def check(self, paths: Iterable[Path]) -> GateResult:
        result = self.gate.check(paths, self.accepted)
        if self.cache is not None:
            self.cache.save()
        return result


def gate_for(sources: Sequence[Path | Case] = (), published: Sequence[Path | Case] = (), *,
             key: Key | None = None, out_root: Path | None = Path("build"),
             accepted_path: Path | None = None, ner: bool = True,
             allow: Iterable[str] = ()) -> ReviewGate:
    """The gate for checking ``sources`` (reviews, loaded or by folder, whose own sources
    are read) and files published from the ``published`` reviews. Reviewed exceptions come from
    ``accepted_path`` if given, else from each review's ``gate-accepted.yaml``; the NER
    cache lives in ``out_root/.cache/`` (or ``$DHR_CACHE_DIR``; none when ``out_root`` is
    None)."""
    names = [*allow]
    for review in sources:
        names += review_allow(review, sources=True)
    for review in published:
        names += review_allow(review)
    accepted: dict[str, dict] = {}
    if accepted_path is not None:
        accepted.update(load_accepted(accepted_path))
    else:
        for review in [*sources, *published]:
            candidate = (review.folder if isinstance(review, Case) else Path(review)) / \
                ACCEPTED_FILE
            if candidate.is_file():
                accepted.update(load_accepted(candidate))
    if ner:
        warm()  # the model loads on the other core while the files are read
    cache_dir = os.environ.get("DHR_CACHE_DIR")  # the benchmarks keep theirs apart
    cache = None
    if ner and (cache_dir or out_root is not None):
        cache = NerCache(Path(cache_dir) / CACHE_FILE.name if cache_dir else out_root / CACHE_FILE)
    return ReviewGate(Gate(key, names, ner=ner, ner_cache=cache), accepted, cache)
