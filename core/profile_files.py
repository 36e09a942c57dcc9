"""Profile files on the search path: finding one, reading it, following `extends`. No pydantic here.

core/profiles.py validates what these functions read. `contracts emit` uses them alone to tell that a
profile's files are the ones a cached contract was built from (core/contracts/cache.py), without
paying pydantic's import and model build; so the lookup rules live here, once, for both.
"""

from __future__ import annotations

from pathlib import Path

from core.errors import ProfileError

BUNDLED_PROFILES = Path(__file__).resolve().parent.parent / "profiles"
if not BUNDLED_PROFILES.is_dir():  # installed as a wheel: profiles ride along inside core/
    BUNDLED_PROFILES = Path(__file__).resolve().parent / "_bundled" / "profiles"

def profile_dirs(search_path: list[Path] | None) -> list[Path]:
    return [*(search_path or []), BUNDLED_PROFILES]


def find_profile_file(name: str, search_path: list[Path] | None = None) -> Path:
    for folder in profile_dirs(search_path):
        for suffix in (".yaml", ".yml"):
            candidate = Path(folder) / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
    searched = ", ".join(str(d) for d in profile_dirs(search_path))
    raise ProfileError(f"no profile named {name!r}", key=name, hint=f"searched {searched}; try `hotpass profiles list`")


def parent_file(parent_name: str, child: Path, search_path: list[Path] | None) -> Path:
    """The file that `extends: parent_name` in `child` names."""
    parent = find_profile_file(parent_name, search_path)
    if parent == child:  # a profile may shadow a bundled one of the same name
        parent = find_profile_file(parent_name, [d for d in (search_path or []) if d != child.parent])
    return parent


def extends_chain(path: Path, search_path: list[Path] | None) -> list[tuple[Path, dict]]:
    """The profile file and the files it extends, each with its data, the profile's own first."""
    chain: list[tuple[Path, dict]] = []
    while True:
        if any(path == seen for seen, _ in chain):
            names = " -> ".join(p.stem for p in [*(seen for seen, _ in chain), path])
            raise ProfileError(f"profiles extend each other in a loop: {names}", file=path, key="extends")
        data = read_yaml(path)
        chain.append((path, data))
        parent_name = data.get("extends")
        if not parent_name:
            return chain
        path = parent_file(str(parent_name), path, search_path)


def resolve_extends(path: Path, search_path: list[Path] | None) -> dict:
    """The profile's data with everything it extends merged under it."""
    merged: dict = {}
    for _, data in reversed(extends_chain(path, search_path)):
        merged = deep_merge(merged, data)
    return merged


def deep_merge(base: dict, override: dict) -> dict:
    """Dicts merge key by key; lists of strings extend (aliases add up); anything else replaces."""
    merged = dict(base)
    for key, value in override.items():
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            merged[key] = deep_merge(old, value)
        elif isinstance(old, list) and isinstance(value, list) and all(isinstance(v, str) for v in old + value):
            merged[key] = old + [v for v in value if v not in old]
        else:
            merged[key] = value
    return merged


def read_yaml(path: Path) -> dict:
    import yaml  # here, not above: finding a file (a cached contract's check) needs no YAML

    # libyaml's safe loader reads a profile ~8x faster than PyYAML's pure-Python one, to the same data
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise ProfileError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=path, row=row) from None
    except OSError as exc:
        raise ProfileError(f"cannot read profile: {exc.strerror}", file=path) from None
    if not isinstance(data, dict):
        raise ProfileError("a profile must be a YAML mapping", file=path)
    return data
