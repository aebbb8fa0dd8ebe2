"""The Streamlit front end of gpai-kg: one module per page, plus shared helpers.

``app.py`` (top level) only routes: it registers each ``*_page.py`` file of
this package as an ``st.Page``. A page module runs as a script (Streamlit
executes it with ``__name__ == "__main__"``) and calls its ``render()``; it
can also be imported (its small functions are tested on their own). Pages
call the package (``gpai_kg.lookup``, ``sparql``, ``canned``, ``assess``,
``screen``, ``browse``) and never re-implement reasoning or query safety.
"""

from pathlib import Path

PAGES_DIR = Path(__file__).resolve().parent

#: (module file, url path, title, icon) in menu order; the first is the landing page.
PAGES = (
    ("assess_page.py", "assess", "Assess a model", ":material/fact_check:"),
    ("compare_page.py", "compare", "Compare two assessments", ":material/compare_arrows:"),
    ("explore_page.py", "explore", "Explore the Act", ":material/menu_book:"),
    ("queries_page.py", "queries", "Canned queries", ":material/list_alt:"),
    ("sparql_page.py", "sparql", "SPARQL editor", ":material/code:"),
    ("screen_page.py", "screen", "Screen a registry", ":material/table_view:"),
    ("about_page.py", "about", "About / sources", ":material/info:"),
)
