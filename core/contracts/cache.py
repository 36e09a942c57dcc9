"""A contract emitted before from the same files by the same code is those bytes again, without pydantic.

A contract's bytes are a function of the profile's files (the profile and what it extends, found as
the loader finds them), the case's overlay, and the code that validates and renders them. Loading a
profile costs pydantic's import and model build, most of what `contracts emit` would cost; when none
of those inputs has changed since an emit that succeeded, the profile is as valid as it was then and
the bytes are the ones written then. So the key holds every one of them: the chain's names, paths and
bytes, the overlay's bytes, the source of every module of core/, and the versions of Python, pydantic
and PyYAML. A change to any is a miss, and a miss takes the whole path (load and validate the profile,
build, render), whose result is kept for the next emit. Entries live in .hotpass/cache/contracts/; one
that cannot be read or written is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import ProfileError
from core.profile_files import extends_chain, find_profile_file, parent_file

if TYPE_CHECKING:
    from core.profiles import Profile

KEY_VERSION = "1"  # bump when the entry's shape or the key's recipe changes
OVERLAY_NAME = "hotpass.yaml"  # core.case_overlay.OVERLAY_NAME (that module imports pydantic; a test holds them equal)
CORE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Emitted:
    data: bytes
    columns: int
    rules: int
    personal_columns: list[str]
    profile_json: str  # the profile as loaded, as JSON: the run's settings key (core.runbook.batch) without a load
    overlay: Path | None  # the case overlay the profile was extended by
    cached: bool = False


Chain = list[tuple[str, Path]]  # (the name asked for, the file found), the profile first, then what it extends


def emitted(cache_dir: Path, profile_name: str, search_path: list[Path], input_dir: Path | None, fmt: str,
            load: Callable[[], "Profile"]) -> Emitted:
    """The contract in `fmt` for the profile and case: read back when nothing it depends on changed, else
    built from `load()` (the profile with the case's overlay, validated) and kept."""
    overlay = Path(input_dir) / OVERLAY_NAME if input_dir is not None else None
    entry_file = _entry_file(cache_dir, profile_name, fmt, search_path, overlay)
    hit = _read(entry_file, search_path, overlay, fmt)
    if hit is not None:
        return hit
    chain = profile_chain(profile_name, search_path)
    before = key_of(chain, overlay, fmt)
    built = _build(load(), fmt, overlay if overlay is not None and overlay.is_file() else None)
    if before is not None and key_of(chain, overlay, fmt) == before:  # no file changed while it was built
        _write(entry_file, before, chain, built)
    return built


def profile_chain(profile_name: str, search_path: list[Path]) -> Chain:
    files = extends_chain(find_profile_file(profile_name, search_path), search_path)
    names = [profile_name, *(str(data["extends"]) for _, data in files[:-1])]
    return list(zip(names, (path for path, _ in files)))


def key_of(chain: Chain, overlay: Path | None, fmt: str) -> str | None:
    """Everything the bytes depend on, hashed; None when a file cannot be read (no entry is kept then)."""
    digest = hashlib.sha256(f"{KEY_VERSION}\0{fmt}\0".encode())
    try:
        for name, path in chain:
            digest.update(f"{name}\0{path}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        digest.update(b"overlay\0")
        if overlay is not None and overlay.is_file():
            digest.update(hashlib.sha256(overlay.read_bytes()).digest())
        digest.update(_code_digest())
        digest.update("\0".join(_versions()).encode())
    except OSError:
        return None
    return digest.hexdigest()


def _build(profile: "Profile", fmt: str, overlay: Path | None) -> Emitted:
    from core.contracts.columns import PERSONAL
    from core.contracts.emit import build_contract, contract_bytes

    data = contract_bytes(profile, fmt)
    properties = build_contract(profile)["schema"][0]["properties"]
    return Emitted(data, len(properties), sum(len(p.get("quality") or []) for p in properties),
                   [p["name"] for p in properties if p.get("classification") == PERSONAL],
                   profile.model_dump_json(), overlay)


def _resolves_to(chain: Chain, search_path: list[Path]) -> bool:
    """Each name still finds the file it found (a profile added earlier on the search path would not)."""
    if not chain or find_profile_file(chain[0][0], search_path) != chain[0][1]:
        return False
    return all(parent_file(name, child, search_path) == path for (name, path), (_, child) in zip(chain[1:], chain))


def _read(entry_file: Path, search_path: list[Path], overlay: Path | None, fmt: str) -> Emitted | None:
    try:
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
        chain = [(str(name), Path(path)) for name, path in entry["chain"]]
        if not _resolves_to(chain, search_path) or key_of(chain, overlay, fmt) != entry["key"]:
            return None
        found = Path(entry["overlay"]) if entry["overlay"] else None
        return Emitted(entry["contract"].encode("utf-8"), int(entry["columns"]), int(entry["rules"]),
                       [str(c) for c in entry["personal_columns"]], str(entry["profile_json"]), found, cached=True)
    except (OSError, ValueError, KeyError, TypeError, ProfileError):
        return None


def _write(entry_file: Path, key: str, chain: Chain, built: Emitted) -> None:
    entry = {"key": key, "chain": [[name, str(path)] for name, path in chain],
             "overlay": str(built.overlay) if built.overlay else None, "contract": built.data.decode("utf-8"),
             "columns": built.columns, "rules": built.rules, "personal_columns": built.personal_columns,
             "profile_json": built.profile_json}
    partial = entry_file.with_name(f".{entry_file.name}.{os.getpid()}")
    try:
        entry_file.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(entry), encoding="utf-8")
        os.replace(partial, entry_file)
    except OSError:
        partial.unlink(missing_ok=True)


def _entry_file(cache_dir: Path, profile_name: str, fmt: str, search_path: list[Path], overlay: Path | None) -> Path:
    ident = json.dumps([KEY_VERSION, profile_name, fmt, [str(p) for p in search_path], str(overlay)])
    return Path(cache_dir) / "contracts" / f"{hashlib.sha256(ident.encode()).hexdigest()[:32]}.json"


def _code_digest() -> bytes:
    """The source of every module of core/: the code that reads, validates and renders a contract is in
    there, and so is whatever it will import after the next edit."""
    digest = hashlib.sha256()
    for folder, subfolders, files in os.walk(CORE):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(f for f in files if f.endswith(".py")):
            path = os.path.join(folder, name)
            digest.update(os.path.relpath(path, CORE).encode() + b"\0")
            with open(path, "rb") as source:
                digest.update(hashlib.sha256(source.read()).digest())
    return digest.digest()


def _versions() -> list[str]:
    """Python's version, and the files that name pydantic's and PyYAML's, found without importing them."""
    import importlib.util

    found = [sys.version]
    for package, file in (("pydantic", "version.py"), ("yaml", "__init__.py")):
        spec = importlib.util.find_spec(package)
        origin = Path(spec.origin).parent / file if spec is not None and spec.origin else None
        found.append(hashlib.sha256(origin.read_bytes()).hexdigest() if origin is not None else f"no {package}")
    return found
