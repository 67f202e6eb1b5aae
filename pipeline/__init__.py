"""dhr: the publication pipeline for Domestic Homicide Reviews.

The package is a library of stages (case loading, validation, rendering, ...) with a thin
click CLI in ``pipeline.cli``. Each stage lives in a module of its own.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("dhr")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
