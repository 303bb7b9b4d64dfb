"""Entry point: ``streamlit run dashboard.py``. Signs the visitor in and wires the navigation of their role
(``ui.navigation``); each page draws its own frame and checks the role itself. The whole run reads the
database through one read lease (``ui.data.reading``): nothing changes under a page while it is drawn.

Streamlit runs this file as the script of every page (as ``__main__``). ``streamlit run`` also finds the
``app`` below and serves the dashboard through it, with the server routes that set and delete the
HttpOnly sign-in cookie (``ui.auth_routes``), which no page script can do. Once the server runs, it warms
itself for the first visitor in the background (``ui.warmup``, from the app's ``lifespan``).
"""

import contextlib

import streamlit as st

from metrics.judging import charts
from metrics.vocabulary.errors import UserError
from ui import auth_routes, data, memory, navigation, warmup
from ui.texts import t
from ui.widgets import safe


def main() -> None:
    lang = "en" if st.query_params.get("lang") == "en" or st.session_state.get("lang") == "en" else "vi"
    # A favicon of our own, set before the navigation: otherwise Streamlit shows the page's :material: icon
    # as favicon, fetched from fonts.gstatic.com, a request to the internet on every visit (offline halls).
    st.set_page_config(page_icon="📊")
    with contextlib.ExitStack() as run:
        try:
            run.enter_context(data.reading())  # a database that cannot be opened is reported here, before anything else
        except UserError as exc:
            st.error(t("database_problem", lang), icon=":material/error:")
            st.error(safe(exc.message(lang)))
            st.stop()
        navigation.run(lang)


if __name__ == "__main__":
    main()
else:  # imported by ``streamlit run`` (or any ASGI server) to serve the dashboard
    @contextlib.asynccontextmanager
    async def warmed(_app):
        """Once the server runs: warm it for the first visitor in the background, and again after every write
        by anyone, this process or another (``ui.warmup``)."""
        warmup.start()
        watcher = warmup.watch()
        yield
        watcher.stop()

    app = st.App(__file__, routes=auth_routes.routes(), lifespan=warmed)
    charts.warm_up()  # Plotly's validators and template, before the first visitor's chart needs them
    memory.settle()  # then all of it out of the way of the collection after every page run
