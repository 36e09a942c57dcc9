"""A held-out case: veterinary practices and agricultural co-operatives, typed as a hurried clerk types.

Written without reading the resolver or the project's own generators, so that the project can be
measured on data nobody tuned against. Engineers improving resolution, scale or header mapping
should run `python -m tests.holdout.score` and read its figures, not this folder.
"""
