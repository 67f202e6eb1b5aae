"""The proof: a look at every page before publishing (``dhr proof``, ``make proof``)."""
