"""gpai-kg — the EU AI Act's rules for general-purpose AI models, for people
who do not write SPARQL. Run: ``streamlit run app.py`` (the embedded graph;
no server needed).

This file only routes: each page is a module of ``gpai_kg/ui/`` (see
``gpai_kg.ui.PAGES``) that calls the package.
"""

import runpy

import streamlit as st

from gpai_kg.ui import PAGES, PAGES_DIR

st.set_page_config(page_title="gpai-kg · EU AI Act, general-purpose AI models", page_icon=":material/gavel:",
                   layout="wide")
# The landing page answers at / and, for a shared link, at its own path too (/assess): Streamlit serves the
# default page only at / (its url_path is reserved, not served), so a hidden page runs the same script there.
pages = [st.Page(PAGES_DIR / module, title=title, icon=icon, url_path=None if i == 0 else url, default=i == 0)
         for i, (module, url, title, icon) in enumerate(PAGES)]
module, url, title, icon = PAGES[0]
landing = st.Page(lambda: runpy.run_path(str(PAGES_DIR / module), run_name="__main__"), title=title, icon=icon,
                  url_path=url, visibility="hidden")
st.navigation([*pages, landing]).run()
st.sidebar.caption("Regulation (EU) 2024/1689 (OJ L, 2024/1689, 12.7.2024), as amended by Regulation (EU) 2026/1744 "
                   "(OJ L, 2026/1744, 24.7.2026). Not legal advice.")
