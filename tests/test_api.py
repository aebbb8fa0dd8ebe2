"""The public API of the package: the names of ``gpai_kg.__all__``, typed,
each doing what the README says."""

from __future__ import annotations

import inspect
from datetime import date

import gpai_kg
from gpai_kg import paths


def test_every_public_name_resolves_and_functions_are_typed():
    for name in gpai_kg.__all__:
        value = getattr(gpai_kg, name)
        if inspect.isfunction(value):
            signature = inspect.signature(value)
            assert signature.return_annotation is not inspect.Signature.empty, name
            assert all(p.annotation is not inspect.Parameter.empty for p in signature.parameters.values()), name
    assert (paths.ROOT / "gpai_kg" / "py.typed").is_file() or (paths.ROOT.parent / "py.typed").is_file()


def test_assess_as_the_readme_shows():
    result = gpai_kg.assess({"name": "Frontier-1", "training_compute_flop": 3.8e25, "modalities": ["text"],
                             "provider_country": "US"}, "2026-12-01")
    assert isinstance(result, gpai_kg.Assessment)
    assert result.systemic_risk is True and result.as_of == date(2026, 12, 1)
    assert [o.provision for o in result.obligations][:2] == ["Article 52(1)", "Article 53(1)(a)"]
    assert result.to_json()["systemic_risk"] is True


def test_screen_and_query_as_the_readme_shows():
    screening = gpai_kg.screen(paths.SOURCES_DIR / "models" / "epoch_notable_ai_models_2025-04-18.csv", "2026-09-01")
    assert isinstance(screening, gpai_kg.Screening) and screening.summary["models"] == len(screening.rows)
    result = gpai_kg.query("obligations-gpai-provider")
    assert isinstance(result, gpai_kg.QueryResult) and result.rows
    assert gpai_kg.query("ASK { ?s a <https://w3id.org/gpai-kg/ontology#Article> }").boolean is True


def test_an_unknown_name_is_an_attribute_error():
    import pytest

    with pytest.raises(AttributeError):
        gpai_kg.nothing_here  # noqa: B018
