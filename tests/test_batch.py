"""Set-at-a-time (``gpai_kg.reasoning.batch``) against the per-model fast path,
its oracle: the same triples, model by model, and so the same assessment JSON
(answers, obligations, because-chains), on every row of the Epoch registry on
dates on both sides of the deadlines, and on random descriptions drawn in
batches (hypothesis). The fast path is itself checked against the naive one
(tests/test_property.py). The answers alone (``answer_batch``: the rules
compiled, ``gpai_kg.reasoning.compiled``) against the explained assessment,
the same ways."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_property import description

from gpai_kg import paths
from gpai_kg.errors import UserError
from gpai_kg.reasoning.assessment import read_assessment
from gpai_kg.reasoning.batch import answer_batch, answering, run_batch
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


BATCHES = st.lists(description, min_size=1, max_size=40)
DATES = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
BATCH_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large]


def _described(raws) -> list:
    """Random descriptions of one batch, each under its own IRI."""
    return [describe(raw, iri=f"https://w3id.org/gpai-kg/id/model/batch/{n}") for n, raw in enumerate(raws)]


@settings(max_examples=25, deadline=None, suppress_health_check=BATCH_HEALTH)
@given(BATCHES, DATES)
def test_random_batches_conclude_what_the_fast_path_does(raws, as_of):
    _agree(_described(raws), as_of)


def test_two_models_of_one_iri_in_a_batch_are_refused():
    model = describe({"name": "Twin", "training_compute_flop": 3e25})
    with pytest.raises(ValueError, match="two models of one batch"):
        run_batch([model, model], date(2026, 9, 1))


def test_an_empty_batch_is_empty():
    assert run_batch([], date(2026, 9, 1)) == []


# ------------------------------------------------ the answers alone

ANSWER_KEYS = ("model", "as_of", "in_scope", "general_purpose", "systemic_risk", "undetermined")


def _answers_agree(models, as_of: date) -> None:
    law = closed_law()
    for model, answers, run in zip(models, answer_batch(models, as_of), run_batch(models, as_of), strict=True):
        full = read_assessment(run, model, law).to_json()
        got = answers.to_json(law, as_of)
        assert {k: got[k] for k in ANSWER_KEYS} == {k: full[k] for k in ANSWER_KEYS}, model.name
        assert got["obligations"] == [{"provision": o["provision"], "iri": o["iri"]} for o in full["obligations"]]
        assert got["exemptions"] == [{"provision": e["provision"], "exempted_by": e["exempted_by"]}
                                     for e in full["exemptions"]], model.name
        assert [p["provision"] for p in got["penalties"]] == [p["provision"] for p in full["penalties"]], model.name


@pytest.mark.parametrize("as_of", [date(2024, 7, 1), date(2025, 8, 2), date(2026, 9, 1), date(2027, 8, 2)])
def test_every_epoch_row_has_the_answers_of_its_explained_assessment(epoch_models, as_of):
    _answers_agree(epoch_models, as_of)


@settings(max_examples=40, deadline=None, suppress_health_check=BATCH_HEALTH)
@given(BATCHES, DATES)
def test_random_batches_have_the_answers_of_their_explained_assessments(raws, as_of):
    _answers_agree(_described(raws), as_of)


def test_the_answers_leave_out_only_rules_no_answer_rests_on():
    """Not run for the answers: the notes, the supervision of Articles 88(1) and 75(1), the exemptions
    of Articles 53(2) and 54(6) that do not apply, the words of a time limit; run: every rule giving a
    class or an open question, and those concluding the obligations of Articles 53(1) and 55(1), the
    exemptions and the fines of Article 101 (and what they read: the due dates of Article 113(b))."""
    from gpai_kg.namespaces import GPAI
    from gpai_kg.reasoning.derive import Deriver
    from gpai_kg.reasoning.rules import rules

    kept = answering()
    by_name = {rule.name: rule for rule in rules()}
    for rule in rules():
        if not rule.is_select:
            continue
        if rule.concludes in (str(GPAI.hasNote), str(GPAI.supervisedUnder), str(GPAI.systemSupervisedUnder),
                              str(GPAI.exemptionNotApplying), str(GPAI.dueText)):
            assert rule.iri not in kept, rule.name
        if Deriver(rule).class_conclusion or rule.concludes == str(GPAI.Undetermined):
            assert rule.iri in kept, rule.name
    for name in ("53-1-obligations-of-providers", "55-1-obligations-systemic-risk", "53-2-open-source-exemption",
                 "101-fines", "113-b-application-date"):
        assert by_name[name].iri in kept, name


def test_two_models_of_one_iri_are_refused_by_the_answers_too():
    model = describe({"name": "Twin", "training_compute_flop": 3e25})
    with pytest.raises(ValueError, match="two models of one batch"):
        answer_batch([model, model], date(2026, 9, 1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(description, DATES)
def test_a_description_in_the_compiled_rules_terms_is_its_triples(raw, as_of):
    from gpai_kg.reasoning.compiled import term_of_ox
    from gpai_kg.reasoning.facts import COMPILED_TERMS, description_terms, description_triples

    model = describe(raw)
    iri, assessment, triples = description_triples(model, as_of, records=False)
    terms = description_terms(model, as_of, COMPILED_TERMS)
    assert terms[:2] == (iri, assessment)
    assert terms[2] == [(term_of_ox(t.subject), term_of_ox(t.predicate), term_of_ox(t.object)) for t in triples]
