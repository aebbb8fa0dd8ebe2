"""gpai-kg — the EU AI Act's rules for general-purpose AI models, for people
who do not write SPARQL. Run: ``streamlit run app.py`` (the embedded graph;
no server needed).

This file only routes: each page is a module of ``gpai_kg/ui/`` (see
``gpai_kg.ui.PAGES``) that calls the package.
"""

import streamlit as st

from gpai_kg.ui import PAGES, PAGES_DIR

st.set_page_config(page_title="gpai-kg · EU AI Act, general-purpose AI models", page_icon=":material/gavel:",
                   layout="wide")
pages = [st.Page(PAGES_DIR / module, title=title, icon=icon, url_path=url, default=i == 0)
         for i, (module, url, title, icon) in enumerate(PAGES)]
st.navigation(pages).run()
st.sidebar.caption("Regulation (EU) 2024/1689 (OJ L, 2024/1689, 12.7.2024). Not legal advice.")
