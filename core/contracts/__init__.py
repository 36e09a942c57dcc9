"""Step 4, Contracts: the Open Data Contract (ODCS v3.1.0) of a profile's refined dataset.

emit.py builds it from the profile and the columns refine writes (deterministic bytes, so its
SHA-256 names it); load.py reads one back and refuses what is not ODCS; check.py holds a workbook
against it; diff.py classes the changes between two; approval.py is what the hand-off asks.
No pandas here: `contracts emit` must answer in well under a second.
"""
