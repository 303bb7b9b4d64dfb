"""Entry point: ``streamlit run dashboard.py``. Wires navigation; each page draws its own frame."""

import streamlit as st

from ui.texts import t

lang = "en" if st.query_params.get("lang") == "en" or st.session_state.get("lang") == "en" else "vi"
# A favicon of our own, set before the navigation: otherwise Streamlit shows the page's :material: icon
# as favicon, fetched from fonts.gstatic.com, a request to the internet on every visit (offline halls).
st.set_page_config(page_icon="📊")

pages = [
    st.Page("pages/overview.py", title=t("page_overview", lang), icon=":material/dashboard:",
            url_path="overview", default=True),
    st.Page("pages/target.py", title=t("page_target", lang), icon=":material/flag:", url_path="target"),
    st.Page("pages/units.py", title=t("page_units", lang), icon=":material/account_tree:", url_path="units"),
    st.Page("pages/about.py", title=t("page_about", lang), icon=":material/info:", url_path="about"),
    st.Page("pages/present.py", title=t("page_present", lang), icon=":material/slideshow:", url_path="present"),
    st.Page("pages/import.py", title=t("page_intake", lang), icon=":material/upload_file:", url_path="import"),
]

st.navigation(pages).run()
