"""Step 5, Telemetry: not built yet; says so and shows the command lines it will take."""

from __future__ import annotations

from hotpass_tui.panes.base import NotBuiltPane


class TelemetryPane(NotBuiltPane):
    STEP = "5"
    TITLE = "Telemetry"
    SUMMARY = "tunnels to Prefect and Marquez, the dashboard"
    NOT_BUILT = "Tunnels through the bastion and the dashboard arrive with their own issue."
    TODAY = [
        "hotpass net up --via ssh-bastion --host HOST --detach   (planned)",
        "hotpass net status   (planned)",
        "hotpass net down   (planned)",
    ]
