"""The script ui/client.py puts into every page (ui/client.js) as Streamlit's st.html inserts it."""

import re

from ui import client


def test_the_script_holds_no_markup():
    """st.html takes the script as HTML: a tag written inside it (a Plotly ``<br>`` in a string) made the
    browser drop the whole script, and with it the page's language, Streamlit's words in Vietnamese, label
    placement and the dismissal of Streamlit's "Page not found" dialog, which then blocked the sign-in."""
    for lang in ("vi", "en"):
        assert not re.search(r"<[A-Za-z/!?]", client.script(lang))
