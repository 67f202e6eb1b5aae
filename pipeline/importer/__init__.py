"""Bringing chairs' Word drafts in (``dhr import``); named ``importer`` because ``import``
is a Python keyword.

``pandoc`` runs the converter (pandoc's docx reader, from the pypandoc-binary wheel);
``writer`` turns its document tree into the report Markdown ``dhr`` reads; ``word`` does
one import: refuses unresolved tracked changes and comments, maps headings to sections,
copies the pictures, reports the document's personal properties; ``new`` starts an empty
review folder (``dhr new``) from the structure profile.
"""
