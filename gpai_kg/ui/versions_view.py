"""The law in time on the Explore page: which version of a provision is in
force on the chosen date, a badge for each change ("replaced by Regulation
(EU) 2026/1744, Article 1, point (21), from 27 July 2026"), the earlier text
and a highlighted word diff; and the "What changed" view, every change of the
amending acts, filterable by chapter, Chapter V first.

A consolidated text (any version after the OJ original) is shown with the
notice that it is a documentation version, linking the two authentic acts.
"""

from __future__ import annotations

import datetime

import streamlit as st

from gpai_kg.publish.diff import html as diff_html
from gpai_kg.publish.markdown import plain
from gpai_kg.ui import common

CHAPTER_V = "Chapter V"


def badge_text(change: dict) -> str:
    """"replaced by Regulation (EU) 2026/1744, Article 1, point (21), from 27 July 2026"."""
    where = f"{change['provision']}: " if change.get("here") is False else ""
    part = f"its {change['part']} " if change.get("part") == "heading" else ""
    return f"{where}{part}{change['kind']} by {change['point']}, from {common.long_date(change['date'])}"


def date_picker() -> datetime.date:
    """The date whose law the page shows (default: today)."""
    return st.date_input("Law in force on", value=datetime.date.today(), key="explore_as_of",
                         min_value=datetime.date(2024, 8, 1), max_value=datetime.date(2035, 12, 31),
                         help="The version of each provision in force on this date; the Act entered into force on "
                              "1 August 2024, and Regulation (EU) 2026/1744 amended it from 27 July 2026.")


def version_block(info: dict) -> None:
    """The version shown, its changes as badges, the notice, the earlier text and the diff."""
    version = info["version"]
    until = f" to {common.long_date(version['in_force_until'])}" if version["in_force_until"] else ""
    st.caption(f"As of {common.long_date(info['as_of'])}: the version in force from "
               f"{common.long_date(version['in_force_from'])}{until} · expression <{version['expression']}>")
    for change in info["amended_by"]:
        here = change["provision"] == info["citation"]
        color = "orange" if datetime.date.fromisoformat(change["date"]) <= datetime.date.fromisoformat(
            info["as_of"]) else "gray"
        st.badge(badge_text(dict(change, here=here)), icon=":material/history:", color=color)
    if info.get("documentation_version"):
        st.info(common.documentation_notice(), icon=":material/description:")
    if info["previous"] is not None:
        with st.expander("Earlier text and what changed", expanded=True):
            st.markdown("**Earlier text**")
            st.markdown(f"> {plain(info['previous'])}")
            st.markdown("**What changed** (deleted words struck through, new words underlined)")
            st.markdown(diff_html(info["previous"], info["text"]), unsafe_allow_html=True)


def chapter_options(labels: list[str]) -> list[str]:
    """The chapters and annexes that changed, Chapter V first, then in the order of the Act, then all."""
    ordered = list(dict.fromkeys(labels))
    first = [c for c in ordered if c.split(" — ")[0] == CHAPTER_V]
    return first + [c for c in ordered if c not in first] + ["All chapters and annexes"]


def changes_tab() -> None:
    """Every change of the amending acts, by chapter (Chapter V first), with its diff."""
    found = common.changes()
    where = common.chapters_of_changes()
    options = chapter_options([where[c.provision_iri] for c in found])
    chosen = st.selectbox("Chapter", options, index=0, key="changes_chapter",
                          help="Chapter V (general-purpose AI models) first.")
    shown = [c for c in found if chosen == options[-1] or where[c.provision_iri] == chosen]
    st.caption(f"{len(shown)} of {len(found)} changes · the amending point, its kind and the date it took effect")
    st.info(common.documentation_notice(), icon=":material/description:")
    for change in shown:
        part = f" ({change.part})" if change.part else ""
        st.markdown(f"**{common.explore_link(change.provision)}**{part} — {plain(change.kind)} by {plain(change.point)}, "
                    f"from {common.long_date(change.date)}")
        before, after = common.before_after(change)
        with st.expander(plain(f"{change.provision}: text before and after")):
            if change.instruction:
                st.caption(f"Instruction: “{plain(change.instruction)}”")
            st.markdown(diff_html(before, after), unsafe_allow_html=True)
