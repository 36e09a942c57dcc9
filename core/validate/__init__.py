"""Validation (refine step 8): Great Expectations suites built from the profile, run on each source
sheet and on the refined Data, in a second process that imports GX while the workbooks are read.

spec.py (the profile section) and suites.py (suites as GX JSON) never import GX; worker.py is the
only module that does, and it runs in its own process (runner.py starts and feeds it).
"""
