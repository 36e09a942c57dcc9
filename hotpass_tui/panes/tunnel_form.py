"""The new-tunnel dialog: bastion host, SSH port, user, key file, label. Returns NewTunnel or None.

Prefect and Marquez are forwarded to their usual places behind the bastion (127.0.0.1:4200 and
:5000, local ports 4200 and 5000, moved when busy); other targets are `hotpass net up` flags.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from hotpass_tui.screens.form import FormModal


@dataclass(frozen=True)
class NewTunnel:
    host: str
    ssh_port: int
    user: str | None
    identity: str | None
    label: str


class TunnelModal(FormModal[NewTunnel | None]):
    FIELDS = ("#tunnel-host", "#tunnel-port", "#tunnel-user", "#tunnel-identity", "#tunnel-label")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("New tunnel through the bastion", classes="dialog-title")
            yield Input(placeholder="bastion host (Enter moves on)", id="tunnel-host")
            yield Input(placeholder="SSH port (22)", id="tunnel-port")
            yield Input(placeholder="user (yours)", id="tunnel-user")
            yield Input(placeholder="key file (the SSH agent's keys)", id="tunnel-identity")
            yield Input(placeholder="label (default), Enter opens it", id="tunnel-label")
            yield Static("", id="tunnel-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Open", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#save")
    def submit(self) -> None:
        value = {name: self.query_one(f"#tunnel-{name}", Input).value.strip()
                 for name in ("host", "port", "user", "identity", "label")}
        problem = self.query_one("#tunnel-problem", Static)
        if not value["host"]:
            problem.update("Name the bastion host.")
            self.focus_field("#tunnel-host")
            return
        if value["port"] and not (value["port"].isdigit() and 1 <= int(value["port"]) <= 65535):
            problem.update("The SSH port is a number from 1 to 65535, or empty for 22.")
            self.focus_field("#tunnel-port")
            return
        self.dismiss(NewTunnel(value["host"], int(value["port"] or 22), value["user"] or None,
                               value["identity"] or None, value["label"] or "default"))
