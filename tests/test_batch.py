"""Set-at-a-time (``gpai_kg.reasoning.batch``) against the per-model fast path,
its oracle: the same triples, model by model, and so the same assessment JSON
(answers, obligations, because-chains), on every row of the Epoch registry on
dates on both sides of the deadlines, and on random descriptions drawn in
batches (hypothesis). The fast path is itself checked against the naive one
(tests/test_property.py)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_property import description

from gpai_kg import paths
from gpai_kg.errors import UserError
from gpai_kg.reasoning.assessment import read_assessment
from gpai_kg.reasoning.batch import run_batch
from gpai_kg.reasoning.description import describe
from gpai_kg.reasoning.engine import run_fast
from gpai_kg.reasoning.law import closed_law
from gpai_kg.reasoning.registry import descriptions
from gpai_kg.reasoning.screen import _iri

EPOCH = paths.SOURCES_DIR / "models" / "epoch_notable_ai_models_2025-04-18.csv"


def _agree(models, as_of: date) -> None:
    law = closed_law()
    for model, batch in zip(models, run_batch(models, as_of), strict=True):
        fast = run_fast(model, as_of)
        assert (batch.model, batch.assessment) == (fast.model, fast.assessment)
        assert set(batch.stated) == set(fast.stated), model.name
        assert set(batch._inferred) == set(fast._inferred), model.name
        assert len(batch._inferred) == len(fast._inferred), model.name
        assert read_assessment(batch, model, law).to_json() == read_assessment(fast, model, law).to_json()


@pytest.fixture(scope="module")
def epoch_models():
    rows, _ = descriptions(EPOCH)
    models = []
    for number, raw, problem in rows:
        try:
            models.append(describe(raw, iri=_iri(number, str(raw.get("name") or "model"))))
        except UserError:
            pass
    assert len(models) == 924
    return models


@pytest.mark.parametrize("as_of", [date(2025, 8, 2), date(2026, 9, 1), date(2027, 8, 2)])
def test_every_epoch_row_concludes_what_the_fast_path_does(epoch_models, as_of):
    _agree(epoch_models, as_of)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(description, min_size=1, max_size=40),
       st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)))
def test_random_batches_conclude_what_the_fast_path_does(raws, as_of):
    models = [describe(raw, iri=f"https://w3id.org/gpai-kg/id/model/batch/{n}") for n, raw in enumerate(raws)]
    _agree(models, as_of)


def test_two_models_of_one_iri_in_a_batch_are_refused():
    model = describe({"name": "Twin", "training_compute_flop": 3e25})
    with pytest.raises(ValueError, match="two models of one batch"):
        run_batch([model, model], date(2026, 9, 1))


def test_an_empty_batch_is_empty():
    assert run_batch([], date(2026, 9, 1)) == []
