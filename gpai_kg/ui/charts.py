"""Altair charts of the app (Altair ships with Streamlit).

- ``timeline``: when each obligation applies, with today and the as-of date marked;
- ``compute_scatter``: training compute against publication date, log scale,
  coloured by verdict, with a dashed line for each threshold in FLOP that the
  curated law holds (``gpai_kg.store.browse.flop_thresholds``).
"""

from __future__ import annotations

import datetime

import altair as alt
import pandas as pd

#: Verdicts of the Screen page and their colours (the strongest obligations in the warmest colour).
VERDICT_COLOURS = {"GPAI with systemic risk": "#c0392b", "GPAI": "#1f4e99", "GPAI, open-source exemptions": "#27ae60",
                   "not GPAI": "#95a5a6", "out of scope": "#d5dbdb", "undetermined": "#f39c12",
                   "invalid row": "#7f8c8d"}


def timeline(items: list[dict], today: datetime.date, as_of: datetime.date) -> alt.Chart:
    """``items``: ``{"provision", "due" (date), "what"}``; one point per obligation on a date axis.

    Readable with one row as with twenty: a row is 30 px (the plot at least 60); every provision is
    labelled (no label is dropped for overlapping or cut short); the date axis spans the points and the
    marked days with a month to spare; "today" and "as of" are written above the plot, one beside the
    other when they fall close together."""
    data = pd.DataFrame(items)
    data["due"] = pd.to_datetime(data["due"])
    days, names = ([today], ["today (as of)"]) if today == as_of else ([today, as_of], ["today", "as of"])
    marks = pd.DataFrame({"date": pd.to_datetime(days), "which": names})
    start = min(data["due"].min(), marks["date"].min()) - pd.Timedelta(days=31)
    end = max(data["due"].max(), marks["date"].max()) + pd.Timedelta(days=31)
    scale = alt.Scale(domain=[start, end])
    points = alt.Chart(data).mark_circle(size=140).encode(
        x=alt.X("due:T", title="applies from", scale=scale, axis=alt.Axis(format="%b %Y", grid=True)),
        y=alt.Y("provision:N", sort=None, title=None,
                axis=alt.Axis(labelLimit=0, labelOverlap=False, labelFontSize=12, labelPadding=6)),
        color=alt.Color("status:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=["applies", "not yet"], range=["#1f4e99", "#c0392b"])),
        tooltip=["provision", "what", alt.Tooltip("due:T", format="%d %B %Y")])
    rules = alt.Chart(marks).mark_rule(strokeDash=[6, 3]).encode(
        x=alt.X("date:T", scale=scale), color=alt.value("#7a869a"),
        tooltip=["which", alt.Tooltip("date:T", format="%d %B %Y")])
    # each marked day's name above the plot, on its own line, so two near days never overwrite each other
    labels = [alt.Chart(marks.iloc[[k]]).mark_text(align="left", dx=4, baseline="bottom", color="#555",
                                                   fontSize=12).encode(x=alt.X("date:T", scale=scale),
                                                                       y=alt.value(-4 - 15 * k), text="which")
              for k in range(len(marks))]
    top = 14 + 15 * len(marks)
    # Streamlit fits the whole chart (axes, legend, padding: about 110 px) into the height given
    return alt.layer(points, rules, *labels).properties(
        height=top + 110 + max(60, 30 * len(data)), padding={"top": top, "left": 6, "right": 16, "bottom": 6})


def compute_scatter(frame: pd.DataFrame, thresholds: list[tuple[float, str]], date: str = "date",
                    compute: str = "training_compute_flop", verdict: str = "verdict", name: str = "name") -> alt.Chart:
    """Training compute (log scale) against date, coloured by verdict, with a line per (value, label) threshold."""
    data = frame[frame[compute].notna() & frame[date].notna()].copy()
    data[date] = pd.to_datetime(data[date], errors="coerce")
    data = data[data[date].notna() & (data[compute] > 0)]
    dots = alt.Chart(data).mark_circle(size=50, opacity=0.75).encode(
        x=alt.X(f"{date}:T", title="publication date"),
        y=alt.Y(f"{compute}:Q", title="training compute (FLOP)", scale=alt.Scale(type="log"),
                axis=alt.Axis(format=".0e")),
        color=alt.Color(f"{verdict}:N", title="verdict", scale=alt.Scale(
            domain=list(VERDICT_COLOURS), range=list(VERDICT_COLOURS.values()))),
        tooltip=[name, verdict, alt.Tooltip(f"{compute}:Q", format=".2e"), alt.Tooltip(f"{date}:T")])
    lines = pd.DataFrame({"flop": [v for v, _ in thresholds], "line": [t for _, t in thresholds]})
    rules = alt.Chart(lines).mark_rule(strokeDash=[6, 3], color="#c0392b").encode(y="flop:Q", tooltip=["line"])
    text = alt.Chart(lines).mark_text(align="left", dx=4, dy=-6, color="#c0392b").encode(
        y="flop:Q", x=alt.value(0), text="line")
    return (dots + rules + text).properties(height=460).interactive()
