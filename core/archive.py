"""`refine --archive`: one zip of a run's outputs with a full SHA-256 manifest, and its check.

`dist/<case>/archive/refined-<UTC stamp>-<sha12>.zip` holds the refined workbook, the reports
(Data Docs included), the review queue and the contract notices, under the paths they have in the
case's output folder (notices under `contract-notices/<run-id>/`), plus `SHA256SUMS` in
`sha256sum` format. `<sha12>` is the start of the manifest's own SHA-256, so the name changes
whenever any byte inside does. Archives are kept: a later run adds one, it never replaces one.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from core.errors import UnreadableInput

MANIFEST = "SHA256SUMS"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    from core.staging import sha256_of

    return sha256_of(path)


def archive_name(output_dir: Path, manifest: bytes, when: datetime | None = None) -> Path:
    stamp = (when or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    return output_dir / "archive" / f"refined-{stamp}-{_sha256(manifest)[:12]}.zip"


def member_name(final: Path, output_dir: Path, dist_root: Path) -> str:
    """Where a file goes inside the zip: its path under the case's output folder, else under dist/."""
    final = Path(os.path.abspath(final))
    for base in (Path(os.path.abspath(output_dir)), Path(os.path.abspath(dist_root))):
        try:
            return final.relative_to(base).as_posix()
        except ValueError:
            continue
    return final.name


def manifest_text(members: Iterable[tuple[str, str]]) -> bytes:
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(members)).encode("utf-8")


def write_archive(files: list[tuple[str, Path]], output_dir: Path, place=lambda p: p,
                  when: datetime | None = None) -> Path:
    """Zip `files` (member name, where its bytes are now); returns the archive's final path.

    `place` maps the final path to where to write it now (a run's staging folder).
    """
    members = [(name, _file_sha256(source)) for name, source in files]
    manifest = manifest_text(members)
    final = archive_name(output_dir, manifest, when)
    target = Path(place(final))
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, source in sorted(files):
            archive.write(source, name)
        archive.writestr(MANIFEST, manifest)
    return final


@dataclass
class ArchiveCheck:
    path: Path
    checked: int = 0
    differing: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # in SHA256SUMS, not in the zip
    added: list[str] = field(default_factory=list)  # in the zip, not in SHA256SUMS

    @property
    def ok(self) -> bool:
        return not (self.differing or self.missing or self.added)


def verify_archive(path: Path) -> ArchiveCheck:
    """Check every member against SHA256SUMS. A file that is not a readable zip raises UnreadableInput."""
    path = Path(path)
    if not path.is_file():
        from core.errors import InputNotFound

        raise InputNotFound("no such archive", file=path, hint="give the path of a refined-….zip")
    hint = "the archive is truncated or is not a zip; use another copy, or run refine --archive again"
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableInput(f"not a readable zip archive ({exc})", file=path, hint=hint) from None
    check = ArchiveCheck(path)
    with archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        if MANIFEST not in names:
            raise UnreadableInput(f"the archive has no {MANIFEST}", file=path, hint=hint)
        try:
            expected = _parse_manifest(archive.read(MANIFEST).decode("utf-8"))
        except (zipfile.BadZipFile, zlib.error, UnicodeDecodeError, ValueError, EOFError, OSError) as exc:
            raise UnreadableInput(f"{MANIFEST} cannot be read ({exc})", file=path, hint=hint) from None
        for name in names:
            if name == MANIFEST:
                continue
            if name not in expected:
                check.added.append(name)
                continue
            check.checked += 1
            try:
                actual = _sha256(archive.read(name))
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError):  # damaged bytes fail the CRC
                actual = ""
            if actual != expected[name]:
                check.differing.append(name)
        check.missing = sorted(set(expected) - set(names))
    return check


def _parse_manifest(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            raise ValueError(f"malformed line {line[:80]!r}")
        out[name] = digest
    return out
