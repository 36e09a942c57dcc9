"""Files read and normalised ahead, one by one, by workers: the Prefect flow's split by file, and
refine's own forked copies on one machine (prepare_in_copies).

A worker runs `prepare_file` on one file and hands back a PreparedFile. The task that refines the
whole case puts them in place with `using_prepared(...)` and runs the ordinary refine step: reading
takes each file from its PreparedFile when the file's bytes and the profile are the ones it was made
from, and normalising takes its rows, so the result is the direct run's, row for row. Where nothing
prepared files (one core, one file, a preview), every file is read and normalised as usual.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.errors import HotpassError
from core.ingest.case_reader import IngestedFile, ingest_file
from core.profiles import Profile
from core.results import InvalidValueReport


@dataclass
class PreparedFile:
    name: str
    sha256: str
    profile: str  # fingerprint of the profile it was read with
    ingested: IngestedFile
    normalised: pd.DataFrame | None  # the file's records after the normalise stage, None if none
    invalid: list[InvalidValueReport] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return 0 if self.normalised is None else len(self.normalised)


# A copy holds its files' frames and pickles them back; the parent is small this early (imports)
READ_COPY_SHARE = 1.0

_PREPARED: ContextVar[dict[str, PreparedFile] | None] = ContextVar("hotpass_prepared_files", default=None)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def profile_fingerprint(profile: Profile) -> str:
    return hashlib.sha256(profile.model_dump_json().encode()).hexdigest()


def prepare_file(path: Path, profile: Profile) -> PreparedFile:
    """Read, map, link and normalise one file: the heavy per-file work, done anywhere."""
    from core.normalize.records import normalise_records

    path = Path(path)
    ingested = ingest_file(path, profile)
    frames = [frame for _, frame in ingested.used]
    normalised, invalid = (None, [])
    if frames:
        normalised, invalid = normalise_records(pd.concat(frames, ignore_index=True), profile)
    return PreparedFile(path.name, file_sha256(path), profile_fingerprint(profile), ingested, normalised, invalid)


def prepare_in_copies(files: list[Path], profile: Profile, progress: Callable[[int], None] | None = None,
                      check: Callable[[], None] | None = None) -> list[PreparedFile]:
    """The files read and normalised ahead, spread over forked copies of this process (core.parallel):
    reading and normalising are per file, and nothing large is in memory yet, so a copy costs little.
    [] where one process is all there is or fewer than two files: the ordinary path reads them. A
    file that fails here (broken, encrypted) is left to the ordinary path, which names what is wrong."""
    from core.parallel import affordable_workers, run_shares, usable_workers

    workers = affordable_workers(min(usable_workers(), len(files)), READ_COPY_SHARE)
    if workers <= 1:
        return []

    def prepare(i: int) -> PreparedFile | None:
        try:
            return prepare_file(files[i], profile)
        except HotpassError:
            return None

    sizes = [_size(path) for path in files]
    return [f for f in run_shares(prepare, len(files), workers, progress, check, weights=sizes) if f is not None]


def _size(path: Path) -> float:
    try:
        return float(path.stat().st_size)
    except OSError:
        return 0.0


@contextmanager
def using_prepared(files: list[PreparedFile]) -> Iterator[None]:
    """Files prepared ahead, beside any already in place (the flow's, then the read-ahead's)."""
    token = _PREPARED.set({**(_PREPARED.get() or {}), **{f.name: f for f in files}})
    try:
        yield
    finally:
        _PREPARED.reset(token)


def prepared_for(path: Path, profile: Profile) -> IngestedFile | None:
    """The file as a worker read it, if one did and neither the file nor the profile changed since."""
    table = _PREPARED.get()
    item = table.get(path.name) if table else None
    if item is None or item.profile != profile_fingerprint(profile) or item.sha256 != file_sha256(path):
        return None
    return item.ingested


def prepared_normalisation(records: pd.DataFrame, profile: Profile,
                           field_order: list[str]) -> tuple[pd.DataFrame, list[InvalidValueReport]] | None:
    """The normalise stage's result assembled from the prepared files, or None to normalise as usual.

    Only when every row of `records` comes from a prepared file, in the files' own contiguous blocks
    and order (as ingest_case concatenates them).
    """
    table = _PREPARED.get()
    if not table or records.empty or "source_file" not in records:
        return None
    names = records["source_file"]
    order = list(dict.fromkeys(names.tolist()))
    parts = [table.get(name) for name in order]
    if any(p is None or p.normalised is None or p.profile != profile_fingerprint(profile) for p in parts):
        return None
    if sum(p.rows for p in parts) != len(records):
        return None
    assembled = pd.concat([p.normalised for p in parts], ignore_index=True)
    if not assembled["record_id"].equals(records["record_id"].reset_index(drop=True)):
        return None
    assembled.index = records.index
    # Reports in the direct run's order: field by field, then row by row.
    rank = {name: i for i, name in enumerate(field_order)}
    invalid = sorted((v for p in parts for v in p.invalid), key=lambda v: rank.get(v.field, len(rank)))
    return assembled, invalid
