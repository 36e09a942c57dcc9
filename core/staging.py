"""A run's outputs land together or not at all.

A step writes every output under `<output dir>/.runs/<run-id>/`, then `commit()` writes a journal
(the commit point, one atomic rename) and moves each file into place. A run killed before the
journal leaves the previous outputs untouched and a staging folder that the next run removes; a run
killed after it is rolled forward by the next reader (`settle`), so two runs' outputs never stand
side by side. Files of the previous run that this run does not produce (an `invalid-values.csv` the
new run has no reason to write) are removed in the same commit.

A live run holds an exclusive lock on its folder, so a second process settling the same case never
touches a run still in progress.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.errors import OutputFailed

JOURNAL = "journal.json"
LOCK = ".lock"
FILES = "files"


@dataclass(frozen=True)
class Artefact:
    """A file a step read or wrote, with the hash of its exact bytes."""

    path: Path
    sha256: str | None
    bytes: int = 0

    def facts(self) -> dict:
        return {"path": str(self.path), "sha256": self.sha256, "bytes": self.bytes}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def artefact(path: Path) -> Artefact:
    try:
        return Artefact(Path(path), sha256_of(path), Path(path).stat().st_size)
    except OSError:
        return Artefact(Path(path), None, 0)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def operator_mode() -> int:
    """The mode a file created by the operator's shell would get (their umask), not mkstemp's 0600."""
    return 0o666 & ~_umask()


class RunStaging:
    """The staging folder of one run. Use as a context manager: leaving without commit discards it."""

    def __init__(self, runs_dir: Path, run_id: str) -> None:
        self.folder = runs_dir / run_id
        self._targets: dict[Path, Path] = {}  # final path -> staged path
        self._removals: set[Path] = set()
        self._lock_fd: int | None = None
        self.committed = False

    def __enter__(self) -> RunStaging:
        try:
            (self.folder / FILES).mkdir(parents=True, exist_ok=True)
            self._lock_fd = os.open(self.folder / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        except OSError as exc:
            raise OutputFailed(f"cannot stage this run's outputs: {exc.strerror}", file=self.folder.parent.parent,
                               hint="check free disk space and permissions; the previous outputs are unchanged") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            self.discard()
        self._unlock()

    # -- writing -----------------------------------------------------------------------------
    def path_for(self, target: Path) -> Path:
        """Where to write `target` for now; the same staged path for the same target."""
        target = Path(os.path.abspath(target))
        if target not in self._targets:
            staged = self.folder / FILES / f"{len(self._targets):03d}-{target.name}"
            self._targets[target] = staged
        return self._targets[target]

    def replaces(self, targets: Iterable[Path]) -> None:
        """Outputs of earlier runs that this run's commit replaces: those it does not write are removed."""
        self._removals.update(Path(os.path.abspath(t)) for t in targets)

    def artefacts(self) -> list[Artefact]:
        """The staged files' own hashes, under their final names: what the ledger records."""
        out = []
        for target, staged in self._targets.items():
            if staged.exists():
                found = artefact(staged)
                out.append(Artefact(target, found.sha256, found.bytes))
        return out

    # -- committing --------------------------------------------------------------------------
    def commit(self) -> list[Path]:
        moves = [(str(staged), str(target)) for target, staged in self._targets.items() if staged.exists()]
        written = {target for _, target in moves}
        removes = sorted(str(t) for t in self._removals if str(t) not in written)
        journal = {"moves": moves, "removes": removes}
        temp = self.folder / f".{JOURNAL}.tmp"
        try:
            mode = operator_mode()
            for staged, _ in moves:
                os.chmod(staged, mode)
            temp.write_text(json.dumps(journal), encoding="utf-8")
            os.replace(temp, self.folder / JOURNAL)  # the commit point
        except OSError as exc:
            raise OutputFailed(f"could not commit this run's outputs: {exc.strerror}", file=self.folder,
                               hint="check free disk space and permissions; the previous outputs are unchanged") from None
        self.committed = True
        _roll_forward(self.folder, journal)
        try:
            self.folder.parent.rmdir()  # .runs/ goes when no other run is staging
        except OSError:
            pass
        return [Path(target) for _, target in moves]

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


def _roll_forward(folder: Path, journal: dict) -> None:
    for staged, target in journal.get("moves", []):
        if os.path.exists(staged):
            _move(Path(staged), Path(target))
    for target in journal.get("removes", []):
        try:
            os.unlink(target)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise OutputFailed(f"could not remove an earlier run's output: {exc.strerror}", file=target) from None
    shutil.rmtree(folder, ignore_errors=True)


def _move(staged: Path, target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise OutputFailed(f"could not move an output into place: {exc.strerror}", file=target,
                               hint="check free disk space and permissions") from None
        temp = target.with_name(f".{target.name}.{os.getpid()}.xdev.tmp")
        shutil.copy2(staged, temp)  # another file system: copy beside the target, then rename there
        os.replace(temp, target)
        staged.unlink(missing_ok=True)


def settle(runs_dir: Path) -> None:
    """Finish what killed runs left: roll committed ones forward, remove the rest (never a live one)."""
    folders = sorted(p for p in runs_dir.iterdir() if p.is_dir()) if runs_dir.is_dir() else []
    for folder in folders:
        fd = _try_lock(folder)
        if fd is None:
            continue  # a run in progress
        try:
            journal_path = folder / JOURNAL
            if journal_path.exists():
                try:
                    journal = json.loads(journal_path.read_text(encoding="utf-8"))
                except ValueError:
                    journal = {}
                _roll_forward(folder, journal)
            else:
                shutil.rmtree(folder, ignore_errors=True)
        finally:
            os.close(fd)
    _remove_dead_temporaries(runs_dir.parent)


def finish_committed(runs_dir: Path) -> None:
    """Roll forward runs killed after their commit point, and nothing else: what a command that only
    reads a case's outputs does first, so it never reads two runs' files side by side. Runs killed
    before their commit point stay for the next step run's `settle` to remove. Costs one stat when no
    run is staged."""
    if not runs_dir.is_dir():
        return
    for folder in sorted(p for p in runs_dir.iterdir() if p.is_dir() and (p / JOURNAL).exists()):
        fd = _try_lock(folder)
        if fd is None:
            continue  # the live run is finishing its own renames
        try:
            try:
                journal = json.loads((folder / JOURNAL).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # settle, at the next step run, decides what a damaged journal means
            _roll_forward(folder, journal)
        finally:
            os.close(fd)
    try:
        runs_dir.rmdir()
    except OSError:
        pass


def _try_lock(folder: Path) -> int | None:
    try:
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _remove_dead_temporaries(folder: Path) -> None:
    """`.name.hp<pid>.<random>.tmp` files (core.write.atomic_path) whose process no longer lives.

    Older versions named them `.name.<random>.tmp`, without a pid: those are left from killed runs.
    """
    if not folder.is_dir():
        return
    runs = folder / ".runs"
    try:
        runs.rmdir()  # only when empty: nothing of a live run is touched
    except OSError:
        pass
    for path in folder.rglob(".*.tmp"):
        if ".runs" in path.parts:
            continue
        parts = path.name.split(".")
        pid = next((int(p[2:]) for p in parts if p.startswith("hp") and p[2:].isdigit()), None)
        if pid is None or not _alive(pid):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != 0
