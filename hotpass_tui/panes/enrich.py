"""Step 3, Enrich: not built yet; says so and shows the command line it will take."""

from __future__ import annotations

from hotpass_tui.panes.base import NotBuiltPane


class EnrichPane(NotBuiltPane):
    STEP = "3"
    TITLE = "Enrich"
    SUMMARY = "fill empty cells from local lookups; network only after approval"
    NOT_BUILT = ("Deterministic enrichment (lookup tables, values derived from the data) and the "
                 "compliance-gated network research arrive with their own issue.")
    TODAY = [
        "hotpass enrich --input dist/{case}/refined.xlsx --output dist/{case}/enriched.xlsx "
        "--profile {profile} --allow-network=false   (planned)",
    ]
