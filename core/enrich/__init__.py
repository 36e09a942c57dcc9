"""Step 3, Enrich: fill empty cells of a refined workbook, deterministic sources first.

Light on purpose: `core.profiles` imports `core.enrich.settings`, and that path must not load pandas.
The modules: `workbook` reads the refined workbook, `strategies` derives values from the data itself,
`towns` and `lookups` read local tables, `research/` is the gated network part, `provenance` records
what was filled, `writer` refuses a workbook without provenance, `summary` words it, `engine` runs them.
"""
