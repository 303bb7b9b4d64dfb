"""Entry point: ``streamlit run dashboard.py``. Wires navigation; each page draws its own frame."""

import streamlit as st

from ui.texts import t

lang = "en" if st.query_params.get("lang") == "en" or st.session_state.get("lang") == "en" else "vi"

pages = [
    st.Page("pages/overview.py", title=t("page_overview", lang), icon=":material/dashboard:",
            url_path="overview", default=True),
]

st.navigation(pages).run()
