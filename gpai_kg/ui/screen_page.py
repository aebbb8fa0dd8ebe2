"""Screen a registry: assess every model of Epoch AI's "Notable AI Models"
(bundled) or of an uploaded CSV, with a progress bar; a table of verdicts
with filters; training compute against date, coloured by verdict, with the
thresholds in FLOP of the curated law.

The screening is ``gpai_kg.screen.screen`` (its mapping of Epoch's columns to
facts is documented there); this page only labels and shows its results. The
table, the chart and the CSV need the answers alone (``answers_only``: several
times faster); the JSON, with each row's explanations, is made when it is
downloaded.
"""

from __future__ import annotations

import datetime
import math
import tempfile
from functools import partial
from pathlib import Path

import streamlit as st

from gpai_kg import paths
from gpai_kg.errors import UserError
from gpai_kg.files import size_text
from gpai_kg.publish.screening import write
from gpai_kg.reasoning.contract import limits
from gpai_kg.reasoning.screen import descriptions, screen
from gpai_kg.sources.epoch import EPOCH_CITATION
from gpai_kg.ui import common
from gpai_kg.ui.assess_form import shown_name

BUNDLED = paths.SOURCES_DIR / "models" / "epoch_notable_ai_models_2025-04-18.csv"
BUNDLED_DATE = BUNDLED.stem.rsplit("_", 1)[-1]  # Epoch's snapshot date, as its file is named
VERDICTS = ("GPAI with systemic risk", "GPAI", "GPAI, open-source exemptions", "not GPAI", "out of scope",
            "undetermined", "invalid row")
COLUMNS = ("name", "verdict", "provider_country", "date", "training_compute_flop", "obligations", "exemptions",
           "undetermined", "error")


def verdict_of(result: dict | None) -> str:
    """One label per screened model, from the assessment's three answers."""
    if result is None:
        return "invalid row"
    if result["in_scope"] is False:
        return "out of scope"
    if result["systemic_risk"] is True:
        return "GPAI with systemic risk"
    if result["general_purpose"] is True and result["systemic_risk"] is False:
        return "GPAI, open-source exemptions" if result["exemptions"] else "GPAI"
    if result["general_purpose"] is False:
        return "not GPAI"
    return "undetermined"


@st.cache_resource(show_spinner=False, max_entries=4)
def bundled_screening(as_of: str):
    """The bundled registry screened on ``as_of``: it does not change, so it is
    kept for every session of this process (the last few dates)."""
    return screen(BUNDLED, datetime.date.fromisoformat(as_of), answers_only=True)


def screening_of(upload: tuple[str, bytes] | None, as_of: str, _progress=None, answers_only: bool = True):
    """``screen.screen`` of the bundled registry (``upload`` None) or of an uploaded CSV (name, bytes):
    the answers alone, or with their explanations.

    Not ``st.cache_data``: the progress bar is drawn from inside the run, and a cached
    function would replay those updates; the session keeps the last screening instead."""
    when = datetime.date.fromisoformat(as_of)
    if upload is None:
        return bundled_screening(as_of) if answers_only else screen(BUNDLED, when)
    name, data = shown_name(upload[0]), upload[1]
    if len(data) > limits().registry_bytes:
        raise UserError(f"{name}: {size_text(len(data))}, more than {size_text(limits().registry_bytes)}, the size "
                        "limit of a registry")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "registry.csv"  # not the upload's name: any length, any characters
        path.write_bytes(data)
        try:
            return screen(path, when, progress=_progress, answers_only=answers_only)
        except UserError as exc:  # name the upload, not the temporary path
            raise UserError(str(exc).replace(str(path), name)) from None


def run_id(request: tuple) -> str:
    import hashlib

    upload, as_of = request
    return hashlib.sha256(repr((upload, as_of)).encode()).hexdigest()[:10]


def total_rows(upload: tuple[str, bytes] | None) -> int:
    if upload is None:
        return bundled_size()
    return max(1, upload[1].count(b"\n"))


def rows_of(screening) -> list[dict]:
    out = []
    for item in screening.rows:
        r, d = item.result, item.description
        out.append({"name": item.name, "verdict": verdict_of(r), "provider_country": d.get("provider_country"),
                    "date": d.get("placed_on_market_date"), "training_compute_flop": d.get("training_compute_flop"),
                    "obligations": ", ".join(o["provision"] for o in r["obligations"]) if r else "",
                    "exemptions": ", ".join(e["provision"] for e in r["exemptions"]) if r else "",
                    "undetermined": ", ".join(r["undetermined"]) if r else "", "error": item.error or ""})
    return out


@st.cache_data(show_spinner=False)
def bundled_size() -> int:
    """How many models the bundled registry lists."""
    return len(descriptions(BUNDLED)[0])


def source_choice() -> tuple[tuple[str, bytes] | None, datetime.date, bool]:
    """(the upload, or None for the bundled registry; the as-of date; whether Screen was pressed)."""
    source = st.radio("Registry", (f"Bundled: {EPOCH_CITATION}, {bundled_size()} models ({BUNDLED_DATE})",
                                   "Upload a CSV"), key="screen_source")
    upload = None
    if source == "Upload a CSV":
        file = st.file_uploader("CSV: Epoch AI's columns, or the input contract's (name, training_compute_flop, "
                                "modalities, provider_country, …)", type=["csv"], key="screen_upload",
                                max_upload_size=max(1, limits().registry_bytes >> 20))
        if file is None:
            return None, datetime.date.today(), False
        upload = (file.name, file.getvalue())
    as_of = st.date_input("Assess as of", value=datetime.date.today(), key="screen_as_of")
    return upload, as_of, st.button("Screen", type="primary", key="screen_run")


def filters(table: list[dict], run: str) -> list[dict]:
    """The rows the user's filters keep (the filters start afresh for each screening ``run``)."""
    left, middle, right = st.columns(3)
    present = [v for v in VERDICTS if any(r["verdict"] == v for r in table)]
    chosen = left.multiselect("Verdict", present, default=present, key=f"screen_verdicts-{run}")
    countries = sorted({r["provider_country"] for r in table if r["provider_country"]})
    where = middle.multiselect("Provider country", countries, key=f"screen_countries-{run}")
    words = right.text_input("Name contains", key=f"screen_name-{run}").strip().lower()
    return [r for r in table if r["verdict"] in chosen and (not where or r["provider_country"] in where)
            and words in r["name"].lower()]


def show(screening, request: tuple) -> None:
    run = run_id(request)
    st.subheader(f"{len(screening.rows)} models, as of {screening.as_of:%d %B %Y}")
    cols = st.columns(len(screening.summary))
    for col, (key, value) in zip(cols, screening.summary.items()):
        col.metric(key, value)
    table = filters(rows_of(screening), run)
    st.caption(f"{len(table)} shown")
    import pandas as pd

    from gpai_kg.ui import charts

    frame = pd.DataFrame(table, columns=list(COLUMNS))
    frame["training_compute_flop"] = pd.to_numeric(frame["training_compute_flop"], errors="coerce")
    # Numbers above 2^53 lose precision in the browser's grid: show them as text, sort by their log10.
    shown = frame.assign(training_compute_flop=frame["training_compute_flop"].map(
        lambda v: "" if pd.isna(v) else f"{v:.2e}"), log10_flop=frame["training_compute_flop"].map(
        lambda v: math.log10(v) if v and v > 0 else None))
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        "training_compute_flop": st.column_config.TextColumn("training compute (FLOP)"),
        "log10_flop": st.column_config.NumberColumn("log10 FLOP", format="%.2f")})
    thresholds = common.flop_thresholds()
    st.altair_chart(charts.compute_scatter(frame, thresholds), width="stretch")
    st.caption("Dashed lines: " + "; ".join(label for _, label in thresholds)
               + ". Models without a known compute or date are in the table, not in the plot.")
    left, right = st.columns(2)
    left.download_button("CSV", csv_download(screening, run), "screening.csv", "text/csv",
                         icon=":material/download:")
    right.download_button("JSON", partial(json_download, request), "screening.json",
                          "application/json", icon=":material/download:",
                          help="Each row with its explanations: made when you download it.")


def _written(screening, name: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        return write(screening, Path(tmp) / name).read_text(encoding="utf-8")


def csv_download(screening, run: str) -> str:
    """The screening as CSV, written once per screening (not on every rerun of the page)."""
    kept = st.session_state.get("screen_downloads")
    if kept is None or kept[0] != run:
        kept = (run, _written(screening, "screening.csv"))
        st.session_state["screen_downloads"] = kept
    return kept[1]


def json_download(request: tuple) -> str:
    """The screening of ``request`` with each row's explanations, as JSON (run when the button is pressed)."""
    return _written(screening_of(*request, answers_only=False), "screening.json")


def render() -> None:
    st.title("Screen a registry")
    st.caption("Assess every model of a registry at once. A fact the registry does not give stays unknown "
               "(an empty compute is unknown, not 0), and the verdict says 'undetermined'. " + common.DISCLAIMER)
    upload, as_of, pressed = source_choice()
    if pressed:
        st.session_state["screen_request"] = (upload, as_of.isoformat())
    request = st.session_state.get("screen_request")
    if request is None:
        return
    with common.user_errors():
        kept = st.session_state.get("screen_result")
        if kept is None or kept[0] != request:
            st.session_state.pop("screen_result", None)
            bar = st.progress(0.0, text="Screening…")
            total, done = total_rows(request[0]), [0]

            step = max(1, total // 50)  # about 50 updates, whatever the size

            def advance(n: int) -> None:
                done[0] += n
                if done[0] % step == 0 or done[0] >= total:
                    bar.progress(min(1.0, done[0] / total), text=f"Screening… {done[0]} of {total}")

            common.reasoner()
            kept = (request, screening_of(*request, _progress=advance))
            st.session_state["screen_result"] = kept
            bar.empty()
        show(kept[1], request)


if __name__ == "__main__":
    render()
