"""Streamlit-side helpers shared by the pages: data access, the common frame, widgets."""
