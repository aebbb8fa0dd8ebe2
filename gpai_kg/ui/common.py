"""Shared pieces of the app's pages: cached loaders, the error box, links.

Read-only shared objects (the pyoxigraph store, the citation index) are
loaded once per process with ``st.cache_resource``; derived data (trees,
glossary, query results) with ``st.cache_data``.

Text that did not come from the graph (a model's name, a fact, a typed or
linked citation, an error message quoting any of them) goes into Markdown
only through ``plain`` (``gpai_kg.publish.markdown``): shown as written,
never as a link, an image or HTML.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote_plus

import streamlit as st

from gpai_kg.errors import UserError
from gpai_kg.publish.markdown import plain
from gpai_kg.store import browse, lookup, provision, versions

DISCLAIMER = ("Not legal advice. gpai-kg encodes one reading of Regulation (EU) 2024/1689 "
              "(OJ L, 2024/1689, 12.7.2024) as amended by Regulation (EU) 2026/1744 (OJ L, 2026/1744, "
              "24.7.2026); check the conclusions against the Official Journal texts and, where in doubt, "
              "with counsel.")


# ------------------------------------------------------------ loaded once

@st.cache_resource(show_spinner="Loading the graph…")
def store():
    """The embedded graph (ontology, curated law, the Act) as a pyoxigraph store."""
    from gpai_kg.store.dataset import load_store

    return load_store()


@st.cache_data(show_spinner=False)
def top_level(day: datetime.date | None = None) -> dict[str, list[browse.Node]]:
    return browse.top_level(store(), day)


@st.cache_data(show_spinner=False)
def parts(iri: str, day: datetime.date | None = None) -> list[browse.Node]:
    return browse.parts(store(), iri, day)


@st.cache_data(show_spinner=False)
def show(citation: str, day: datetime.date | None = None) -> dict:
    """``provision.show`` of a citation on ``day`` (default today; ``UserError`` if
    it names no provision, or one not in force on that day)."""
    return provision.show(store(), citation, day)


@st.cache_data(show_spinner=False)
def changes() -> list[versions.Change]:
    """Every change an amending act made, in the order of dates and of the Act."""
    return versions.changes(store())


@st.cache_data(show_spinner=False)
def before_after(change: versions.Change) -> tuple[str | None, str | None]:
    return versions.before_after(store(), change)


@st.cache_data(show_spinner=False)
def chapters_of_changes() -> dict[str, str]:
    """Provision IRI of each change -> the chapter or annex it sits in ("Chapter V — …")."""
    return versions.chapters_of(store(), [c.provision_iri for c in versions.changes(store())])


@st.cache_data(show_spinner=False)
def authentic() -> list[dict]:
    """The authentic texts of the law (the OJ original, the amending acts), with their EUR-Lex links."""
    return provision.authentic(store())


def long_date(value: str | datetime.date) -> str:
    """"27 July 2026", as the Official Journal writes a date."""
    day = datetime.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%B} {day.year}"


def documentation_notice() -> str:
    """The words that go with every consolidated text shown: a documentation version, and the authentic acts."""
    acts = " and ".join(f"[{a['citation']}]({a['url']}) ({a['oj']})" for a in authentic())
    return ("Consolidated text: a documentation version with no legal effect, made by gpai-kg from the "
            f"authentic texts, {acts}, as published in the Official Journal.")


@st.cache_data(show_spinner=False)
def texts(iris: tuple[str, ...]) -> dict[str, str]:
    return browse.texts(store(), list(iris))


@st.cache_data(show_spinner="Collecting the definitions of Article 3…")
def glossary(day: datetime.date | None = None) -> list[browse.GlossaryTerm]:
    return browse.glossary(store(), day=day)


@st.cache_data(show_spinner=False)
def act_info() -> dict[str, str]:
    return browse.act_info(store())


@st.cache_data(show_spinner=False)
def flop_thresholds() -> list[tuple[float, str]]:
    return browse.flop_thresholds(store())


@st.cache_data(show_spinner=False)
def stats(day: datetime.date | None = None) -> dict[str, int]:
    return lookup.stats(store(), day or datetime.date.today())


# ------------------------------------------------------------ errors, links

#: The command line's words in the package's messages, and the app's for them.
_APP_WORDS = ((re.compile(r"\s*\(--timeout\)"), ""), (re.compile(r"the --max-rows limit"), "the row limit"),
              (re.compile(r"--param (\w+)=…"), r"a value for \1"))


def app_words(message: str) -> str:
    """A ``UserError`` message as the app says it (fields, not command-line options)."""
    for pattern, words in _APP_WORDS:
        message = pattern.sub(words, message)
    return message


@contextmanager
def user_errors() -> Iterator[None]:
    """Show a ``UserError`` as one line in an error box; the rest of the page goes on."""
    try:
        yield
    except UserError as exc:
        st.error(plain(app_words(str(exc))), icon=":material/error:")


def explore_url(citation: str) -> str:
    """A link (relative, so it works under any base path) to a provision on the Explore page."""
    return f"explore?provision={quote_plus(citation)}"


PROVISION_WORDS = ("Article", "Recital", "Annex", "Chapter")


def explore_link(citation: str) -> str:
    """A Markdown link to a provision on the Explore page (other acts stay plain text)."""
    if not citation.startswith(PROVISION_WORDS):
        return plain(citation)
    return f"[{plain(citation)}]({explore_url(citation)})"


def links(citations, sep: str = " · ") -> str:
    return sep.join(explore_link(c) for c in citations)


@st.cache_resource(show_spinner="Loading the reasoner…")
def reasoner():
    """The closed ontology and law the rules run over (``gpai_kg.reasoner.closed_law``), once per process."""
    from gpai_kg.reasoning.law import closed_law

    return closed_law()


@st.cache_data(show_spinner=False)
def provision_texts(citations: tuple[str, ...]) -> dict[str, str]:
    """Citation → verbatim ``gpai:text`` of the provision, for those that resolve."""
    from gpai_kg.citations import to_iri

    index = lookup.citation_index(store())
    iris = {}
    for citation in citations:
        try:
            iris[citation] = to_iri(index.resolve(citation))
        except UserError:
            continue
    found = browse.texts(store(), list(iris.values()))
    return {c: found[i] for c, i in iris.items() if i in found}
