"""The Home Office data-collection form.

Takes a case and its parsed report; gives the answers (``answers``), cross-checks with the
report as warnings (``check``), and the fillable PDF, JSON and CSV (``pdf``).
"""
