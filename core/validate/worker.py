"""The validation process: imports Great Expectations while the parent reads the workbooks, then
validates the frames it is handed and builds Data Docs. The only module that imports GX.

Run as `python -m core.validate.worker LOG_PATH`. The parent writes one pickled request on stdin
and reads one pickled response on stdout. Before GX is imported, file descriptors 1 and 2 point at
the run's log file and logging goes there too, so nothing GX prints or logs can reach the
operator's terminal or the UI (nor corrupt the reply).
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import logging
import os
import pickle
import sys
import time
import traceback
import warnings
from pathlib import Path
from typing import Any, BinaryIO

# Keys of a GX result that hold values themselves. GX is asked for none of them (reports and Data
# Docs must not carry personal data); these are dropped again in case a GX version sends them anyway.
VALUE_KEYS = ("partial_unexpected_list", "partial_unexpected_counts", "partial_unexpected_index_list",
              "unexpected_list", "unexpected_index_list", "unexpected_index_query", "unexpected_rows")
FAILING_SHOWN = 5


# GX imports these at start-up for expectations, charts and SQL data sources that Hotpass never uses:
# scipy.stats and altair load only if touched, and sqlalchemy reads as not installed (GX treats it as
# optional), and so do boto3 and botocore (S3 data sources). GX's import went from 6.7 to 3.5 s of CPU
# here; the validation and Data Docs are the same.
LAZY_PACKAGES = ("scipy", "altair")
ABSENT_PACKAGES = ("sqlalchemy", "boto3", "botocore", "s3transfer")


class _LightImports(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):  # noqa: ANN001, ANN201 - the import protocol's shape
        top = name.split(".")[0]
        if top in ABSENT_PACKAGES:
            raise ImportError(f"{name} is not used by Hotpass's validation", name=name)
        if top not in LAZY_PACKAGES:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = importlib.util.LazyLoader(spec.loader)
                return spec
        return None


def lighten_imports() -> None:
    if not any(isinstance(f, _LightImports) for f in sys.meta_path):
        sys.meta_path.insert(0, _LightImports())


def _redirect_output(log_path: Path) -> tuple[BinaryIO, BinaryIO]:
    reply = os.fdopen(os.dup(1), "wb")
    request = os.fdopen(os.dup(0), "rb")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdout = sys.stderr = open(1, "w", buffering=1, encoding="utf-8", closefd=False)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
    logging.captureWarnings(True)
    warnings.simplefilter("default")
    return reply, request


def _context(docs_dir: Path):
    import great_expectations as gx
    from great_expectations.data_context.types.base import (DataContextConfig, InMemoryStoreBackendDefaults,
                                                             ProgressBarsConfig)

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        data_docs_sites={"hotpass": {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }},
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    # An ephemeral context re-serialises its whole config to YAML after every data source and asset it
    # adds, into memory, for nobody: a third of the validation time on a real case.
    context._save_project_config = lambda *args, **kwargs: None  # noqa: SLF001
    _share_compiled_templates()
    return context


def _share_compiled_templates() -> None:
    """GX builds a Jinja environment per page and compiles every template again for each: one
    in-memory bytecode cache shared by them all compiles each template once."""
    import jinja2
    from great_expectations.render.view.view import DefaultJinjaView

    if getattr(DefaultJinjaView, "_hotpass_shared_cache", False):
        return

    class SharedCache(jinja2.BytecodeCache):
        store: dict[str, bytes] = {}

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            if bucket.key in self.store:
                bucket.bytecode_from_string(self.store[bucket.key])

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            self.store[bucket.key] = bucket.bytecode_to_string()

    cache, original = SharedCache(), DefaultJinjaView.__init__

    def init(self, *args, **kwargs) -> None:  # noqa: ANN001
        original(self, *args, **kwargs)
        self.env.bytecode_cache = cache

    DefaultJinjaView.__init__ = init
    DefaultJinjaView._hotpass_shared_cache = True


def load_suite(suite_json: dict):
    """A GX ExpectationSuite from its JSON; raises when GX kept fewer expectations than it was given."""
    import great_expectations as gx

    suite = gx.ExpectationSuite(**{k: v for k, v in suite_json.items() if k in ("name", "expectations", "meta", "notes")})
    if len(suite.expectations) != len(suite_json.get("expectations", [])):
        raise ValueError(f"suite {suite_json['name']!r}: GX read {len(suite.expectations)} of "
                         f"{len(suite_json['expectations'])} expectations")
    return suite


def validate(request: dict[str, Any], reply: BinaryIO | None = None) -> dict[str, Any]:
    """Validate, then build Data Docs. With `reply`, the verdict is sent before the pages are built,
    and a second message says they are done."""
    import datetime as dt

    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    from core.validate.docs import make_offline

    began = time.perf_counter()
    docs_dir = Path(request["docs_dir"])
    context = _context(docs_dir)
    source = context.data_sources.add_pandas("hotpass")
    run_id = RunIdentifier(run_name=request["run_name"], run_time=dt.datetime.now(dt.timezone.utc))
    results, loaded = [], {}
    for suite_json in request["suites"]:
        name = suite_json["name"]
        frame = request["frames"].get(name)
        if frame is None:
            continue
        suite = context.suites.add(load_suite(suite_json))
        loaded[name] = len(suite.expectations)
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole")
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
        # No values in what GX keeps, renders or returns (partial_unexpected_count 0): the few the
        # operator sees are picked below, from the frame itself.
        result = definition.run(batch_parameters={"dataframe": frame}, run_id=run_id,
                                result_format={"result_format": "SUMMARY", "partial_unexpected_count": 0})
        results.append((name, result))
    validated = time.perf_counter()
    outcomes = {name: [_outcome(r, request["frames"][name]) for r in result.results] for name, result in results}
    documents = [result.to_json_dict() for _, result in results]
    for document in documents:
        for item in document.get("results", []):
            for key in VALUE_KEYS:
                (item.get("result") or {}).pop(key, None)
    verdict = {"outcomes": outcomes, "results": documents, "loaded": loaded, "gx_version": gx.__version__,
               "timings": {"import": request.get("import_s", 0.0), "validate": validated - began}}
    if reply is not None:
        send(reply, verdict)  # the parent goes on writing the workbook while the pages are built
    if request.get("data_docs", True):  # qa's data-quality gate asks for the verdict only
        context.build_data_docs(site_names=["hotpass"])
        make_offline(docs_dir)
        if reply is not None:
            send(reply, {"data_docs": str(docs_dir), "timings": {"data_docs": time.perf_counter() - validated}})
    verdict["timings"]["data_docs"] = time.perf_counter() - validated
    return verdict


def send(stream: BinaryIO, message: dict[str, Any]) -> None:
    """One message to the parent: its length (8 bytes, big-endian), then the pickle."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(payload).to_bytes(8, "big") + payload)
    stream.flush()


def _outcome(result, frame) -> dict[str, Any]:
    config = result.expectation_config
    facts = dict(result.result or {})
    exception = result.exception_info or {}
    raised = bool(exception.get("raised_exception")) if isinstance(exception, dict) else False
    success = bool(result.success) and not raised
    kwargs = dict(config.kwargs)
    return {"expectation": config.type, "kwargs": kwargs, "meta": dict(config.meta or {}), "success": success,
            "facts": {k: v for k, v in facts.items() if k not in VALUE_KEYS},
            "error": str(exception.get("exception_message") or "") if raised else "",
            "failing": [] if success or raised else failing_values(config.type, kwargs, frame)}


def failing_values(kind: str, kwargs: dict, frame) -> list[tuple[int, str]]:
    """The first rows (the frame's index: the row as the workbook shows it) that break a column check,
    decided as GX decides them (regex: `str.contains`; nulls are not checked but by not-null)."""
    column = kwargs.get("column")
    if column is None or column not in frame:
        return []
    values = frame[column]
    present = values[values.notna()]
    if kind == "expect_column_values_to_not_be_null":
        bad = values[values.isna()].map(lambda _: "(empty)")
    elif kind == "expect_column_values_to_match_regex":
        bad = present[~present.astype(str).str.contains(kwargs["regex"], regex=True)]
    elif kind == "expect_column_values_to_be_in_set":
        bad = present[~present.isin(list(kwargs["value_set"]))]
    elif kind == "expect_column_values_to_be_unique":
        bad = present[present.duplicated(keep=False)]
    elif kind == "expect_column_values_to_be_between":
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        numbers = present.astype(float)
        bad = present[((numbers < low) if low is not None else False) | ((numbers > high) if high is not None else False)]
    else:
        return []
    return [(int(row), str(value)) for row, value in bad.head(FAILING_SHOWN).items()]


def main(argv: list[str]) -> int:
    reply, request_stream = _redirect_output(Path(argv[1]))
    lighten_imports()
    try:
        started = time.perf_counter()
        import great_expectations  # noqa: F401  the seconds this takes overlap the parent's reading
        imported = time.perf_counter() - started
        request = pickle.load(request_stream)
        request["import_s"] = imported
        validate(request, reply)
    except (EOFError, BrokenPipeError):  # the parent went away (cancelled, failed): nothing to say
        return 0
    except BaseException:  # noqa: BLE001 - told to the parent, which logs it and fails the run
        logging.getLogger("hotpass.validate").exception("validation failed")
        try:
            send(reply, {"error": traceback.format_exc()})
        except OSError:
            pass
    finally:
        for stream in (reply, request_stream):
            try:
                stream.close()
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
