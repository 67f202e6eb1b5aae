"""Site packages and submission bundles.

Takes the rendered publication set and the site profiles in ``templates/sites/``; gives one
package folder and reproducible zip per council and the bundles for the Home Office and the
Domestic Abuse Commissioner, each with a manifest.
"""
