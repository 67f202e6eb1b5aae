"""The overview report, the executive summary and the action plan.

Takes a (pseudonymised) review folder; gives HTML and tagged PDF. ``md`` holds the Markdown
features as markdown-it plugins, ``render`` parses the report and renders the documents,
``structure`` and ``summary`` check the Home Office structure and build the summary's parts,
``pdf`` and ``pdf_tags`` turn HTML into PDF/UA with WeasyPrint and pikepdf.
"""
