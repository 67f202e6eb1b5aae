"""The one place that chains the stages.

Takes a review folder (and the key); gives ``build/<id>/``: each stage run only when one of
its declared inputs changed.
"""
