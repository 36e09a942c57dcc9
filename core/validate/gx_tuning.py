"""Changes to how Great Expectations spends its CPU in the validation process, after GX is
imported (core.validate.light_imports is what comes before). None changes a result or a page:
each was checked against GX as shipped on the real aviation case (validation results equal, Data
Docs equal but for their timestamps and element ids).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def share_compiled_templates(cache_dir: Path | None = None) -> None:
    """GX builds a Jinja environment per page and compiles every template again for each: one
    bytecode cache shared by them all compiles each template once per process, and with
    `cache_dir` (the workspace's cache) once per GX version, since later runs read the compiled
    templates back. Jinja checks each entry against its template's source and this Python, so a
    stale or foreign entry is compiled again, never used."""
    import jinja2
    from great_expectations.render.view.view import DefaultJinjaView

    if getattr(DefaultJinjaView, "_hotpass_shared_cache", False):
        DefaultJinjaView._hotpass_shared_cache.directory = cache_dir
        return

    class SharedCache(jinja2.BytecodeCache):
        def __init__(self) -> None:
            self.store: dict[str, bytes] = {}
            self.directory: Path | None = cache_dir

        def _file(self, key: str) -> Path | None:
            return self.directory / f"{key}.jinja" if self.directory is not None else None

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            code = self.store.get(bucket.key)
            if code is None and (file := self._file(bucket.key)) is not None:
                try:
                    code = self.store[bucket.key] = file.read_bytes()
                except OSError:
                    code = None
            if code is not None:
                bucket.bytecode_from_string(code)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            code = self.store[bucket.key] = bucket.bytecode_to_string()
            if (file := self._file(bucket.key)) is not None:
                _write_quietly(file, code)

    cache, original = SharedCache(), DefaultJinjaView.__init__

    def init(self, *args, **kwargs) -> None:  # noqa: ANN001
        original(self, *args, **kwargs)
        self.env.bytecode_cache = cache

    DefaultJinjaView.__init__ = init
    DefaultJinjaView._hotpass_shared_cache = cache


def _write_quietly(file: Path, code: bytes) -> None:
    """A cache entry written whole or not at all (another run may read it meanwhile); a cache that
    cannot be written costs the next run a compile, nothing else."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(code)
        os.replace(temp, file)
    except OSError:
        pass


def reuse_configurations() -> None:
    """`Expectation.configuration` builds a new ExpectationConfiguration (a pydantic `.dict()` and a
    regex over the class name) on every read, about a hundred reads per expectation validated: a
    quarter of the validation's CPU. It is built once per expectation here and built again only
    after a field of the expectation is assigned. The one change GX makes to a configuration in
    place is substituting suite parameters, which Hotpass's suites have none of."""
    from great_expectations.expectations.expectation import Expectation

    if getattr(Expectation, "_hotpass_reused_configurations", False):
        return
    built: dict[int, tuple[object, object]] = {}  # id -> (the expectation, kept alive so no id is reused; its configuration)
    build, assign = Expectation.configuration.fget, Expectation.__setattr__

    def configuration(self):  # noqa: ANN001, ANN202
        found = built.get(id(self))
        if found is None or found[0] is not self:
            found = built[id(self)] = (self, build(self))
        return found[1]

    def __setattr__(self, name, value) -> None:  # noqa: ANN001, N807
        built.pop(id(self), None)
        assign(self, name, value)

    Expectation.configuration = property(configuration, doc=Expectation.configuration.__doc__)
    Expectation.__setattr__ = __setattr__
    Expectation._hotpass_reused_configurations = True


def plain_json_ids() -> None:
    """GX names every metric it computes by the MD5 of its arguments as JSON, a few thousand times
    per run, each time through its own converter (a recursive walk that asks isinstance for a
    dozen types per value): a fifth of the validation's CPU. Arguments made only of plain JSON
    values (str, int, float but NaN, bool, None, lists, tuples and dicts with text keys, by exact
    type) give the same JSON without the walk; anything else goes through GX's converter."""
    from great_expectations.core.id_dict import IDDict

    if getattr(IDDict, "_hotpass_plain_ids", False):
        return
    import hashlib
    import json

    converted = IDDict.to_id

    def to_id(self, id_keys=None, id_ignore_keys=None):  # noqa: ANN001, ANN202
        keys = set(self.keys() if id_keys is None else id_keys)
        keys -= set(self._id_ignore_keys if id_ignore_keys is None else id_ignore_keys)
        if len(keys) < 2:
            return converted(self, id_keys, id_ignore_keys)
        data = {k: self[k] for k in keys}
        if not _plain(data):
            return converted(self, id_keys, id_ignore_keys)
        return hashlib.md5(json.dumps(data, sort_keys=True).encode("utf-8"), usedforsecurity=False).hexdigest()

    IDDict.to_id = to_id
    IDDict._hotpass_plain_ids = True


_SCALARS = (str, int, bool, type(None))


def _plain(value: object) -> bool:
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is float:
        return value == value  # noqa: PLR0124 - NaN: GX writes null, json.dumps NaN
    if kind is list or kind is tuple:
        return all(_plain(v) for v in value)
    if kind is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


def forget_batches(source) -> None:
    """A pandas data source's execution engine keeps every batch it validated, each holding its
    whole DataFrame, until the process ends: the source sheets (0.4 GB at 1M rows) stayed in the
    worker through the parent's resolve, its memory peak. Their results are already kept, and
    Data Docs are built from the results, so the batches are let go. GX's own reset clears the
    batches, not the data cache beside them, so both are emptied. On a GX without these
    attributes nothing happens (the memory is held, the results are the same)."""
    try:
        manager = source.get_execution_engine().batch_manager
        manager.reset_batch_cache()
        manager._batch_data_cache.clear()  # noqa: SLF001
        manager._active_batch_data_id = None  # noqa: SLF001
    except AttributeError:
        pass
