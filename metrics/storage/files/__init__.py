"""Readers of CSV and Excel files that several engines share (values, catalogue): their guards against
hostile files, the CSV reader, the workbook reader and their progress reports."""
