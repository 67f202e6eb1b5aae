"""The review folder.

Takes a folder holding ``case.yaml``, ``report.md`` and ``action-plan.yaml``, and the
confidential key; gives a checked ``Case`` and ``Key``. YAML is read keeping every value's
line (``yamlio``) and checked against the JSON Schemas in ``schemas/`` (``schema``), so
every problem is reported as ``file:line: message``.
"""
