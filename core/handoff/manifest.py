"""MANIFEST.sha256: one `<sha256>  <relative path>` line per file of a bundle, as `sha256sum -c` reads it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ExpectationFailed, InputNotFound
from core.staging import sha256_of

MANIFEST = "MANIFEST.sha256"


def manifest_text(entries: dict[str, str]) -> str:
    """{relative path: sha256} → the manifest, sorted so that the same bundle gives the same bytes."""
    return "".join(f"{sha}  {name}\n" for name, sha in sorted(entries.items()))


def read_manifest(path: Path) -> dict[str, str]:
    entries = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        sha, sep, name = line.partition("  ")
        if not sep or len(sha) != 64:
            raise ExpectationFailed(f"line {number} of the manifest is not `<sha256>  <path>`", file=path, row=number,
                                    hint="rebuild the bundle with `hotpass handoff`")
        entries[name] = sha
    return entries


@dataclass
class BundleCheck:
    folder: Path
    manifest_sha256: str = ""
    files: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.extra)

    def problems(self) -> list[str]:
        return ([f"{name}: changed (its SHA-256 differs from the manifest)" for name in self.changed]
                + [f"{name}: missing" for name in self.missing]
                + [f"{name}: not in the manifest (added)" for name in self.extra])


def check_bundle(folder: Path) -> BundleCheck:
    """Every file the manifest names is there with its hash, and nothing else is."""
    manifest = folder / MANIFEST
    if not folder.is_dir() or not manifest.is_file():
        raise InputNotFound("no hand-off bundle here (no MANIFEST.sha256)", file=folder,
                            hint="build one with `hotpass handoff --case ID`")
    entries = read_manifest(manifest)
    check = BundleCheck(folder, sha256_of(manifest), len(entries))
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {MANIFEST}
    for name, sha in sorted(entries.items()):
        path = folder / name
        if name not in present:
            check.missing.append(name)
        elif sha256_of(path) != sha:
            check.changed.append(name)
    check.extra = sorted(present - set(entries))
    return check
