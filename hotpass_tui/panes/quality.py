"""Step 6, Quality gates: not built yet; says so and shows the command line it will take."""

from __future__ import annotations

from hotpass_tui.panes.base import NotBuiltPane


class QualityPane(NotBuiltPane):
    STEP = "6"
    TITLE = "Quality gates"
    SUMMARY = "run every gate, file incidents"
    NOT_BUILT = "The pass/fail table of the gates and incident filing arrive with their own issue."
    TODAY = [
        "hotpass qa all   (planned)",
    ]
