"""The language model in its own process: the same hits as here, and a check that still
runs when that process is gone."""

from __future__ import annotations

import os

import pytest

from pipeline.common.workers import Workers
from pipeline.gate import ner
from pipeline.gate.ner import NerCache

UNITS = ["Sarah Whitfield rang the duty desk in Dover on 3 March.",
         "The Kent Community Safety Partnership commissioned the review.",
         "Mr  Okonkwo-Bassey and\nPriya Raghunathan met at Folkestone library.",
         "No one is named here."]

needs_two_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2 or
                                     bool(os.environ.get("DHR_SERIAL")),
                                     reason="the model runs here with one core")


@needs_two_cores
def test_the_model_worker_finds_what_this_process_finds():
    remote = ner.analyse(UNITS, NerCache(None))
    assert ner._WORKERS is not None and ner._WORKERS.lanes["ner"].proc is not None, \
        "the model ran in its worker"
    here = ner._rows([ner._squeeze(u)[0] for u in UNITS])  # the model loaded here too
    for unit, hits, rows in zip(UNITS, remote, here, strict=True):
        _, where = ner._squeeze(unit)
        assert [(unit[h.start:h.end], h.entity, h.score, h.label) for h in hits] == \
            [(unit[where[s]:where[e - 1] + 1], *rest) for s, e, *rest in rows]
    names = {unit[h.start:h.end] for unit, hits in zip(UNITS, remote, strict=True)
             for h in hits if h.entity == "PERSON"}
    assert "Sarah Whitfield" in names


@needs_two_cores
def test_a_model_worker_that_dies_leaves_the_check_to_this_process(monkeypatch):
    workers = Workers()
    monkeypatch.setattr(ner, "_WORKERS", workers)
    ner.warm()
    workers.lanes["ner"].proc.kill()
    unit = "Sarah Whitfield rang the duty desk."
    try:
        hits = ner.analyse([unit], NerCache(None))
    finally:
        workers.stop()
    assert [(unit[h.start:h.end], h.entity) for h in hits[0]] == [("Sarah Whitfield", "PERSON")]


def test_the_cache_key_names_the_model_without_loading_it():
    assert ner.model_version() == f"{ner.MODEL}-{ner._engine()[0].meta['version']}"
