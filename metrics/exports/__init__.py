"""Presenting and handing out: the slide model, the PowerPoint deck, the PDF and Excel reports, data files.

Nothing here imports Streamlit: the presentation page, the download buttons and ``python -m metrics
export`` all go through ``metrics.exports.bundle`` with the same choices and get the same bytes.
"""
