"""The KPI engine of the trade-union dashboard: catalogue, store, progress, exports, command line.

Usable without Streamlit (a test proves this package never imports it).
"""

__version__ = "0.1.0"
