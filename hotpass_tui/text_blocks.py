"""Plain-text blocks for the command face that fit the terminal without cutting what matters.

Rich tables squeeze columns until ids and paths break mid-word at 80 columns. These helpers lay a
record out as labelled lines instead: a long value wraps at word boundaries, a value that has no
spaces (an id, a path, a URL) is never split; when it does not fit beside its label it moves to a
line of its own, whole, and the terminal may run it past the edge rather than cut it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Iterable, Sequence

MIN_WIDTH = 40  # narrower terminals get the 40-column layout and let lines run on


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """`text` in lines of at most `width` characters, broken only between words."""
    lead = indent if first is None else first
    return textwrap.wrap(" ".join(str(text).split()), width=max(width, len(lead) + 1), initial_indent=lead,
                         subsequent_indent=indent, break_long_words=False, break_on_hyphens=False) or [lead.rstrip()]


def field_lines(label: str, value: object, width: int, indent: int = 2, label_width: int = 0,
                whole: bool = False) -> list[str]:
    """`label  value`, the value wrapped under itself; alone on the next line when it cannot fit beside.

    `whole` keeps a value that must be copied as it is (a path, an id) on one line even if it has spaces.
    """
    text = str(value) if whole else " ".join(str(value).split())
    pad = " " * indent
    head = f"{pad}{label:<{label_width}}  " if label else pad
    if whole:
        if len(head) + len(text) <= width or not label:
            return [head + text]
        return [f"{pad}{label}", f"{pad}  {text}"]
    lines = wrap(text, width, indent=" " * len(head), first=head)
    if len(lines[0]) > width and label:  # one unbreakable word wider than the room beside the label
        return [f"{pad}{label}", *wrap(text, width, indent=pad + "  ")]
    return lines


def block(heading: str, fields: Iterable[tuple[str, object]], width: int, indent: int = 2,
          whole: Collection[str] = (), label_width: int | None = None) -> list[str]:
    """A heading line, then one labelled line (or more, wrapped) per field with a value.

    Fields named in `whole` are kept unbroken (see `field_lines`).
    """
    shown = [(label, value) for label, value in fields if value not in (None, "")]
    if label_width is None:
        label_width = max((len(label) for label, _ in shown), default=0)
    lines = wrap(heading, width)
    for label, value in shown:
        lines += field_lines(label, value, width, indent, label_width, whole=label in whole)
    return lines


def records(rows: Sequence[Sequence[object]], headers: Sequence[str], width: int, key: int = 0,
            whole: Collection[str] = ()) -> list[str]:
    """Table rows as blocks, a blank line between: `headers[key]` and its value head each block."""
    out: list[str] = []
    for row in rows:
        heading = f"{headers[key]} {row[key]}" if headers[key] else str(row[key])
        out += block(heading, [(h, v) for i, (h, v) in enumerate(zip(headers, row)) if i != key], width,
                     whole=whole)
        out.append("")
    return out[:-1] if out else out


def terminal_width(console) -> int:
    """The console's width (COLUMNS when set), never below MIN_WIDTH."""
    return max(int(getattr(console, "width", 80) or 80), MIN_WIDTH)


def print_lines(console, lines: Iterable[str]) -> None:
    """Print as laid out: no markup, no highlighting, no re-wrapping by rich."""
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


READABLE = 24  # a wrapping column narrower than this (or than its longest cell) reads as a word list


def needed_width(headers: Sequence[str], rows: Sequence[Sequence[object]], whole: Collection[str] = ()) -> int:
    """The narrowest a rich table of these rows can be without cutting a word (or a `whole` value),
    with room for READABLE characters of text in a column that wraps."""
    total = 1  # the left border
    for i, header in enumerate(headers):
        cells = [str(row[i]) for row in rows if row[i] not in (None, "")]
        longest = [len(c) if header in whole else max(max((len(w) for w in c.split()), default=0),
                                                         min(len(c), READABLE)) for c in cells]
        total += max([max((len(w) for w in header.split()), default=0), *longest]) + 3  # padding and border
    return total


def print_table(console, headers: Sequence[str], rows: Sequence[Sequence[object]], *, title: str = "",
                whole: Collection[str] = (), heading: int = 1) -> None:
    """A table when it fits the terminal whole, else one block per row.

    In a block the first `heading` columns make its first line and the others follow, labelled.
    Cells are plain text: what an operator typed is never read as markup.
    """
    from rich.table import Table
    from rich.text import Text

    width = terminal_width(console)
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    # The title goes above, not in the table: rich folds a title to the table's width, paths and all.
    print_lines(console, wrap(title, width) if title else [])
    if needed_width(headers, cells, whole) <= width:
        table = Table()
        for header in headers:
            table.add_column(header, no_wrap=header in whole, overflow="fold")
        for row in cells:
            table.add_row(*(Text(c) for c in row))
        console.print(table)
        return
    lines: list[str] = []
    for row in cells:
        first = [f"#{row[0]}" if headers[0] == "#" else row[0], *row[1:heading]]
        lines += wrap(" · ".join(c for c in first if c), width, indent="    ", first="")
        rest = [(h, c) for h, c in zip(headers[heading:], row[heading:])]
        lines += block("", rest, width, indent=4, whole=whole)[1:]
    print_lines(console, lines)
