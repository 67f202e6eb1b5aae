"""The chair's live preview.

Takes a review folder; serves its rendered HTML on 127.0.0.1, rebuilding on every save and
highlighting the gate's findings in place.
"""
