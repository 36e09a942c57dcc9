"""Step 4, Contracts: not built yet; says so and shows the command line it will take."""

from __future__ import annotations

from hotpass_tui.panes.base import NotBuiltPane


class ContractsPane(NotBuiltPane):
    STEP = "4"
    TITLE = "Contracts"
    SUMMARY = "emit, review and approve the data contract"
    NOT_BUILT = ("Emitting the ODCS contract, reviewing its fields and approving its SHA-256 in the "
                 "ledger arrive with their own issue.")
    TODAY = [
        "hotpass contracts emit --profile {profile} --format yaml "
        "--output dist/{case}/contracts/{profile}.yaml   (planned)",
    ]
