"""Pseudonymisation.

Takes a review folder and its key; gives ``build/<id>/source/``, the same sources with every
key variant replaced by its pseudonym, and a masked change log. Ambiguities are reported
with ``file:line``, never guessed.
"""
