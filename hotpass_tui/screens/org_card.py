"""An organisation's card (Enter on it in Refine › Organisations): the lines `hotpass show` prints, and the
review keys on its rows.

Above, the fields with where each value came from, why the rows are one organisation and the decisions on
its rows; below, a list with the cursor: its member rows (s splits the row out, after an optional comment)
and the queued pairs between its rows and others (a merge, x keep apart, m unsure). Every decision is
planned as `hotpass review split-out` plans it and recorded as the Refine pane's review records its own
(service.decide); u takes the card's last one back. The next refine applies them. The card is read, and
each decision written, in a thread worker; the card is read again after each, so it says what the ledger
now holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Static

from hotpass_tui.screens.form import FormModal
from hotpass_tui.widgets.table import Table

# Every key in words on the card itself: a modal has no footer.
KEY_LINE = Text.assemble(*[part for key, what in (("s", "split"), ("a/x/m", "merge/apart/unsure"),
                                                    ("f/d", "force with/apart"), ("u", "undo"), ("esc", "close"))
                           for part in ((key, "bold"), f" {what}  ")])
PAIR_ACTIONS = {"approve": "approved (merge)", "reject": "rejected (keep apart)", "unsure": "put aside as unsure",
                "force_together": "forced together", "force_apart": "forced apart"}
FORCE_WORDS = {"force_together": "together with", "force_apart": "apart from"}


class CardRead(Message):
    def __init__(self, card: Any = None, error: str = "") -> None:
        super().__init__()
        self.card, self.error = card, error


class CardDecided(Message):
    """A decision taken on the card reached the ledger (or did not: `error`)."""

    def __init__(self, decision: Any = None, undone: bool = False, error: str = "") -> None:
        super().__init__()
        self.decision, self.undone, self.error = decision, undone, error


class CardCommands(Provider):
    """The card's keys in the command palette (ctrl+p), as the panes' keys are."""

    async def search(self, query: str) -> Hits:
        screen = self.screen
        if not isinstance(screen, OrgCardScreen):
            return
        matcher = self.matcher(query)
        for binding in screen.card_bindings():
            text = f"Organisation card: {binding.description}"
            if (score := matcher.match(text)) > 0:
                yield Hit(score, matcher.highlight(text), partial(screen.run_action, binding.action),
                          help=f"key {binding.key_display or binding.key}")


class OrgCardScreen(ModalScreen[list]):
    """Dismissed with the decisions taken on it and still standing (core.org_decisions.OrgDecision)."""

    COMMANDS = {CardCommands}
    BINDINGS = [
        Binding("escape", "close", "Close the card"),
        Binding("q", "close", "Close", show=False),
        Binding("s", "split", "Split the row out of the organisation (asks for a comment)"),
        Binding("k", "split", "Split the row out (as k in Refine › Review)", show=False),
        Binding("a", "pair('approve')", "Approve the pair: merge the two rows"),
        Binding("x", "pair('reject')", "Reject the pair: keep the two rows apart"),
        Binding("m", "pair('unsure')", "Unsure: ask about the pair again last"),
        Binding("f", "force('force_together')", "Force together with another organisation (its slug)"),
        Binding("d", "force('force_apart')", "Force apart from another organisation (its slug)"),
        Binding("u", "undo", "Undo the card's last decision"),
        Binding("question_mark,f1", "help", "Help: every key, the card's first", show=False),
    ]

    def __init__(self, service: Any, case_id: str, input_dir: Any, slug: str) -> None:
        """`slug`: the organisation's, or a row's record id (FILE#SHEET!ROW) for the organisation it is in."""
        super().__init__()
        self.service, self.case_id, self.input_dir, self.slug = service, case_id, input_dir, slug
        self.card: Any = None
        self.taken: list[Any] = []  # decisions of this card still standing, newest last: what u takes back
        self.rows: dict[str, Any] = {}  # table row key -> the member row or the queued pair it shows
        self.said_on: str | None = None  # the row whose decision the status line tells, until the cursor moves

    def card_bindings(self) -> list[Binding]:
        return [binding for binding in self.BINDINGS if binding.description and binding.show]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog org-card-dialog"):
            yield Static(f"Organisation {self.slug} — Esc closes", classes="dialog-title", id="org-card-title",
                         markup=False)
            with VerticalScroll(id="org-card-body"):
                yield Static("reading the refined workbook…", id="org-card-text", markup=False)
            yield Table(id="org-card-rows", cursor_type="row", zebra_stripes=True)
            yield Static("", id="org-card-status")
            yield Static(KEY_LINE, id="org-card-keys")

    def on_mount(self) -> None:
        self.query_one("#org-card-rows", DataTable).add_columns("", "decision", "member row or queued pair")
        self.query_one("#org-card-rows").focus()
        self._read()

    # -- reading the card, in a worker ---------------------------------------------------------------
    def _read(self) -> None:
        service, case_id, input_dir, slug = self.service, self.case_id, self.input_dir, self.slug

        def read() -> None:
            try:
                card = service.org_card(case_id, input_dir, slug)
            except Exception as exc:  # noqa: BLE001 - shown in the card's place; the app stays up
                self.post_message(CardRead(error=_said(exc)))
                return
            self.post_message(CardRead(card))

        self.run_worker(read, name="org-card", group="org-card", thread=True, exit_on_error=False)

    def on_card_read(self, message: CardRead) -> None:
        from core.org_card_text import field_lines, merge_lines, review_lines

        text = self.query_one("#org-card-text", Static)
        if message.card is None:
            text.update(f"The card cannot be read: {message.error}")
            return
        self.card = card = message.card
        opened_for = self.slug if card.slug != self.slug else None
        if opened_for:  # opened from a row (Refine › Review): the organisation it is in
            self.slug = card.slug
            self.query_one("#org-card-title", Static).update(f"Organisation {card.slug} — Esc closes")
        text.update("\n".join(field_lines(card) + merge_lines(card) + review_lines(card, with_pairs=False)))
        self._fill_rows(card)
        if opened_for and "!" in opened_for:
            self._point_at(opened_for)

    def _point_at(self, record_id: str) -> None:
        """The cursor on the queued pair of the row the card was opened from, else on the row itself."""
        from core.org_decisions import CardPair, place

        wanted = [key for key, shown in self.rows.items() if isinstance(shown, CardPair) and shown.row == place(record_id)]
        wanted.append(f"row:{record_id}")
        table = self.query_one("#org-card-rows", DataTable)
        for key in wanted:
            if key in self.rows:
                table.move_cursor(row=table.get_row_index(key))
                return

    def _fill_rows(self, card: Any) -> None:
        from core.org_card_text import member_text, pair_state, pending_splits

        table = self.query_one("#org-card-rows", DataTable)
        at = table.cursor_row
        table.clear()
        self.rows = {}
        pending = pending_splits(card)
        for member in card.members:
            key = f"row:{member.record_id}"
            self.rows[key] = member
            state = "split: next refine" if member.record_id in pending else ""
            table.add_row("row", state, Text(member_text(member)), key=key)  # workbook text: not markup
        for pair in card.review.pairs if card.review else []:
            item = pair.item
            key = f"pair:{item.pair_id}"
            self.rows[key] = pair
            table.add_row("pair", pair_state(item), Text(_pair_text(pair)), key=key)
        if table.row_count:
            table.move_cursor(row=min(max(at, 0), table.row_count - 1))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The row under the cursor in full (the list cuts long names), until a decision says what it did."""
        from core.org_card import MemberRow
        from core.org_card_text import member_text

        if event.cursor_row != event.data_table.cursor_row:
            return  # stale: the list was filled again and the cursor put back since
        key = str(event.row_key.value)
        if key == self.said_on:
            return  # the list was read again after a decision: the status keeps saying what was recorded
        self.said_on = None
        shown = self.rows.get(key)
        if isinstance(shown, MemberRow):
            self._say(f"{member_text(shown)} — s splits it out of {self.slug}")
        elif shown is not None:
            item = shown.item
            self._say(f"pair {item.pair_id} · score {item.score:.2f}: {_pair_text(shown)}; evidence: "
                      f"{item.explanation or '(none given)'} — a merge, x keep apart, m unsure")

    # -- deciding ------------------------------------------------------------------------------------
    def _current(self) -> Any:
        table = self.query_one("#org-card-rows", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.rows.get(str(key))

    def _say(self, text: str, bold: bool = False) -> None:
        self.query_one("#org-card-status", Static).update(Text(text, style="bold" if bold else ""))

    def action_split(self) -> None:
        from core.org_card import MemberRow
        from hotpass_tui.screens.approval import ApprovalModal

        member = self._current()
        if self.card is None:
            return
        if not isinstance(member, MemberRow):
            self._say("s splits a member row out: move the cursor to one of the rows first.")
            return
        if len(self.card.members) < 2:
            self._say("This organisation has one row: it is its own already, there is nothing to split.")
            return
        # A split keeps this row apart from the rest; a row that is this one's own duplicate (same
        # name, its phone) may go with it, as the operator would want: say so before, not after
        body = (f"{member.place} leaves {self.slug} on the next refine, with any row that matches it "
                "rather than the rest. The decision goes to the ledger, keyed by the rows' content; u undoes it.")
        self.app.push_screen(ApprovalModal(f"Split a row out of {self.slug}", body, confirm="Split"),
                             partial(self._split_confirmed, member))

    def _split_confirmed(self, member: Any, answer: Any) -> None:
        if answer is None:
            self._say("Split cancelled: nothing was recorded.")
            return
        service, case_id, input_dir, slug = self.service, self.case_id, self.input_dir, self.slug
        self._write(lambda: service.split_out(case_id, input_dir, slug, member.record_id, answer.comment))

    def action_pair(self, decision: str) -> None:
        from core.org_decisions import CardPair, OrgDecision

        pair = self._current()
        if not isinstance(pair, CardPair):
            self._say("a, x and m answer a queued pair: move the cursor to a pair row first."
                      if self.card is not None and self.card.review and self.card.review.pairs else
                      "No queued pair involves this organisation's rows; s splits a row out.")
            return
        item, service, case_id = pair.item, self.service, self.case_id
        summary = f"{item.left.get('organization_name', '?')} ~ {item.right.get('organization_name', '?')}"
        planned = OrgDecision(case_id, item.pair_id, decision, summary, self.slug, None, item.decision)

        def write() -> Any:
            service.decide(case_id, item.pair_id, decision, summary)  # as Refine › Review records it
            return planned

        self._write(write)

    def action_force(self, decision: str) -> None:
        from core.org_decisions import CardPair

        if self.card is None:
            return
        shown = self._current()  # a queued pair's other organisation is the likely one
        other = shown.other_slug if isinstance(shown, CardPair) and shown.other_slug else ""
        self.app.push_screen(ForceModal(self.slug, decision, other), partial(self._force_confirmed, decision))

    def _force_confirmed(self, decision: str, answer: Any) -> None:
        if answer is None:
            self._say("Nothing was recorded.")
            return
        service, case_id, input_dir, slug = self.service, self.case_id, self.input_dir, self.slug
        self._write(lambda: service.force(case_id, input_dir, slug, answer.other, decision, answer.comment))

    def action_undo(self) -> None:
        if not self.taken:
            self._say("Nothing decided on this card to undo.")
            return
        last, service = self.taken[-1], self.service
        back = last.before or "undo"  # an earlier answer comes back as a new entry, else "undo" clears it

        def write() -> Any:
            service.decide(last.case_id, last.pair_id, back, last.summary)
            return last

        self._write(write, undone=True)

    def _write(self, call: Any, undone: bool = False) -> None:
        def work() -> None:
            try:
                decided = call()
            except Exception as exc:  # noqa: BLE001 - said on the card; nothing else changes
                self.post_message(CardDecided(error=_said(exc)))
                return
            self.post_message(CardDecided(decided, undone))

        self.run_worker(work, name="org-card-decide", group="org-card-decide", thread=True, exit_on_error=False)

    def on_card_decided(self, message: CardDecided) -> None:
        decision = message.decision
        table = self.query_one("#org-card-rows", DataTable)
        if table.row_count:
            self.said_on = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        if decision is None:
            self._say(f"Not recorded: {message.error}", bold=True)
            return
        if message.undone:
            self.taken = [d for d in self.taken if d is not decision]
            back = (f"the pair is back to {decision.before}" if decision.before else
                    "withdrawn: the next refine does not apply it")
            self._say(f"Undone: {_what(decision)} — {back} (pair {decision.pair_id}).", bold=True)
        else:
            self.taken.append(decision)
            self._say(f"Recorded: {_what(decision)} (pair {decision.pair_id}). The next refine applies it; "
                      "u undoes it.", bold=True)
        self._read()

    # -- leaving ------------------------------------------------------------------------------------
    def action_help(self) -> None:
        from hotpass_tui.screens.help import HelpScreen

        keys = [(self.app.get_key_display(b), b.description) for b in self.BINDINGS if b.description and b.show]
        self.app.push_screen(HelpScreen([("Organisation card", keys), *self.app.help_sections()]))

    def action_close(self) -> None:
        self.dismiss(list(self.taken))


@dataclass(frozen=True)
class ForceAnswer:
    other: str
    comment: str


class ForceModal(FormModal[ForceAnswer | None]):
    """The other organisation (its slug or id, as the Data sheet names it) and an optional comment."""

    FIELDS = ("#force-other", "#force-comment")

    def __init__(self, slug: str, decision: str, other: str) -> None:
        super().__init__()
        self._slug, self._decision, self._other = slug, decision, other

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Force {self._slug} {FORCE_WORDS[self._decision]} another organisation",
                         classes="dialog-title", markup=False)
            yield Static("On every refine from now on; the decision goes to the ledger, keyed by the rows' "
                         "content, and u undoes it.", classes="dialog-body")
            yield Input(self._other, placeholder="the other organisation's slug or id (Enter moves on)",
                        id="force-other")
            yield Input(placeholder="comment for the ledger (optional), Enter to confirm", id="force-comment")
            yield Static("", id="force-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Record", variant="primary", id="confirm")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#confirm")
    def submit(self) -> None:
        other = self.query_one("#force-other", Input).value.strip()
        if not other:
            self.query_one("#force-problem", Static).update("Name the other organisation by its slug or id.")
            self.focus_field("#force-other")
            return
        self.dismiss(ForceAnswer(other, self.query_one("#force-comment", Input).value.strip()))


def _what(decision: Any) -> str:
    if decision.decision == "split":
        return f"split {decision.summary}"
    return f"{PAIR_ACTIONS.get(decision.decision, decision.decision)}: {decision.summary}"


def _pair_text(pair: Any) -> str:
    """A queued pair from the card's side: its row ~ the other row's organisation."""
    item = pair.item
    other = item.right if _place(item.left) == pair.row else item.left
    where = f" ({pair.other_slug})" if pair.other_slug else " (this organisation)"
    return f"{pair.row} ~ {other.get('organization_name') or '(no name)'}{where}"


def _place(side: dict) -> str:
    from core.org_decisions import place

    return place(str(side.get("record_id")))


def _said(exc: BaseException) -> str:
    return getattr(exc, "message", None) or type(exc).__name__
