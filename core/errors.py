"""Errors an operator can cause, each with an exit code and a hint.

Anything that is not a HotpassError is a bug: the faces log it with a traceback to the run's
log file and tell the operator where that log is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Documented exit codes (README, "Exit codes"). Schedulers act on these numbers."""

    OK = 0
    INTERNAL = 1
    USAGE = 2
    INPUT_NOT_FOUND = 3
    UNREADABLE_INPUT = 4
    NO_ORGANISATION_DATA = 5
    BAD_PROFILE = 6
    OUTPUT_FAILED = 7
    LEDGER_ERROR = 8
    LEDGER_TAMPERED = 9
    APPROVAL_MISSING = 10
    EXPECTATION_FAILED = 11
    NETWORK_ERROR = 12
    CANCELLED = 130


@dataclass
class HotpassError(Exception):
    """An operator-facing failure: what went wrong, where, and what to do about it."""

    message: str
    hint: str = ""
    exit_code: ExitCode = ExitCode.INTERNAL
    file: Path | str | None = None
    sheet: str | None = None
    row: int | None = None
    key: str | None = None
    details: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def location(self) -> str:
        """`file › sheet › row N › key`, only the parts that are known."""
        parts = []
        if self.file is not None:
            parts.append(str(self.file))
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.key:
            parts.append(f"key {self.key!r}")
        return " › ".join(parts)

    def one_line(self) -> str:
        where = self.location
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} ({self.hint})" if self.hint else text

    def as_dict(self) -> dict:
        return {
            "error": type(self).__name__,
            "message": self.message,
            "hint": self.hint,
            "exit_code": int(self.exit_code),
            "file": str(self.file) if self.file is not None else None,
            "sheet": self.sheet,
            "row": self.row,
            "key": self.key,
        }


def _kind(name: str, code: ExitCode, doc: str) -> type[HotpassError]:
    def __init__(self, message: str, **kwargs) -> None:  # noqa: N807
        kwargs.setdefault("exit_code", code)
        HotpassError.__init__(self, message, **kwargs)

    return dataclass(type(name, (HotpassError,), {"__doc__": doc, "__init__": __init__}), init=False)


InputNotFound = _kind("InputNotFound", ExitCode.INPUT_NOT_FOUND, "A path the operator named does not exist.")
UnreadableInput = _kind("UnreadableInput", ExitCode.UNREADABLE_INPUT, "A file is corrupt, encrypted or not a spreadsheet.")
NoOrganisationData = _kind("NoOrganisationData", ExitCode.NO_ORGANISATION_DATA, "No sheet yields organisations.")
ProfileError = _kind("ProfileError", ExitCode.BAD_PROFILE, "A profile is missing or invalid.")
OutputFailed = _kind("OutputFailed", ExitCode.OUTPUT_FAILED, "An output could not be written.")
LedgerError = _kind("LedgerError", ExitCode.LEDGER_ERROR, "The ledger file cannot be used.")
LedgerTampered = _kind("LedgerTampered", ExitCode.LEDGER_TAMPERED, "The ledger's hash chain does not verify.")
ApprovalMissing = _kind("ApprovalMissing", ExitCode.APPROVAL_MISSING, "A step needs an approval that is not recorded.")
ExpectationFailed = _kind("ExpectationFailed", ExitCode.EXPECTATION_FAILED, "A blocking expectation failed.")
NetworkError = _kind("NetworkError", ExitCode.NETWORK_ERROR, "A network peer refused or could not be reached.")
Cancelled = _kind("Cancelled", ExitCode.CANCELLED, "The operator cancelled the work.")
InternalError = _kind("InternalError", ExitCode.INTERNAL, "A bug in Hotpass: the traceback is in the log named.")
UsageError = _kind("UsageError", ExitCode.USAGE, "A command was called with arguments that do not fit.")
