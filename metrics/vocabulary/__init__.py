"""Words and small values every layer shares: errors, languages, number formats, text keys, status names,
problem codes and their titles and messages. Imports nothing else of ``metrics``."""
