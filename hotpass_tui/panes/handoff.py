"""Step 7, Hand-off: the bundle is not built yet; next steps already live in the Ledger pane."""

from __future__ import annotations

from hotpass_tui.panes.base import NotBuiltPane


class HandoffPane(NotBuiltPane):
    STEP = "7"
    TITLE = "Hand-off"
    SUMMARY = "sign off, bundle the evidence, record next steps"
    NOT_BUILT = ("The evidence bundle and sign-off arrive with their own issue. Next steps can be "
                 "added and closed today in the Ledger pane: press 8 or l.")
    TODAY = [
        'hotpass ledger next-steps add "what needs doing" --owner NAME --due 2026-06-30 --case {case}',
        "hotpass ledger next-steps list",
        "hotpass ledger log",
    ]
