"""The redaction gate.

Takes files (sources, rendered HTML and PDF, zip packages) and what may be published (the
key, the review's pseudonyms, agencies and chair); gives findings, each explained and
masked. ``engine`` runs the three layers: the key matcher (``names``), the pattern rules
(``rules``) and NER (``ner``), over the text that ``extract`` reads out of every kind of
file; ``output`` writes the report formats.
"""
