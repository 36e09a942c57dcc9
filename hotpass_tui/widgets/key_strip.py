"""The footer of keys: one line, one widget.

Textual's Footer recomposes a widget per key on every focus change; on a loaded two-core
bastion that cost most of half a second before the first frame showed any keys. This strip
renders the same active bindings as text, and keys are marked by reverse video rather than
colour, so they read in 16 colours and with NO_COLOR.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class KeyStrip(Widget):
    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen) -> None:
        self.refresh()

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        seen_actions: set[str] = set()
        palette_key = self.app.COMMAND_PALETTE_BINDING
        for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if not binding.show or binding.action in seen_actions or key == palette_key:
                continue
            seen_actions.add(binding.action)
            style = "" if enabled else "dim"
            text.append(f" {self.app.get_key_display(binding)} ", style=f"bold reverse {style}".strip())
            text.append(f" {binding.description} ", style=style)
        palette = Text.assemble((" ^p ", "bold reverse"), " palette")
        room = self.size.width - text.cell_len - palette.cell_len
        if room < 1:
            text.truncate(max(0, self.size.width - palette.cell_len - 1))
            room = 1
        text.append(" " * room)
        return text + palette
