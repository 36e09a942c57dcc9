"""Step 6, Quality gates (SPEC §7): cli, data-quality, contracts, enrichment, ledger, docs.

Each gate reads the case's latest outputs and says what it checked and what failed; a waiver in the
ledger turns one failing gate into "waived". Incidents copy the evidence to dist/incidents/<ticket>/.
"""

TARGETS = ("cli", "data-quality", "contracts", "enrichment", "ledger", "docs")
