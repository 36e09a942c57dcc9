"""The validation process: imports Great Expectations while the parent reads the workbooks, then
validates the frames it is handed and builds Data Docs. The only module that imports GX.

Run as `python -m core.validate.worker LOG_PATH [TEMPLATE_CACHE_DIR]`. The parent writes pickled requests on stdin (the
last says `final`) and reads length-prefixed pickled answers on stdout (the verdict, then the
Data Docs). Before GX is imported, file descriptors 1 and 2 point at
the run's log file and logging goes there too, so nothing GX prints or logs can reach the
operator's terminal or the UI (nor corrupt the reply).
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import sys
import time
import traceback
import warnings
from pathlib import Path
from typing import Any, BinaryIO

from core.validate.gx_tuning import forget_batches, plain_json_ids, reuse_configurations, share_compiled_templates
from core.validate.light_imports import lighten_imports, register_expectations

# Keys of a GX result that hold values themselves. GX is asked for none of them (reports and Data
# Docs must not carry personal data); these are dropped again in case a GX version sends them anyway.
VALUE_KEYS = ("partial_unexpected_list", "partial_unexpected_counts", "partial_unexpected_index_list",
              "unexpected_list", "unexpected_index_list", "unexpected_index_query", "unexpected_rows")
FAILING_SHOWN = 5


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


def _context(docs_dir: Path, template_cache: Path | None = None):
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
    share_compiled_templates(template_cache)
    reuse_configurations()
    plain_json_ids()
    return context


def load_suite(suite_json: dict):
    """A GX ExpectationSuite from its JSON; raises when GX kept fewer expectations than it was given."""
    import great_expectations as gx

    register_expectations([str(e.get("type", "")) for e in suite_json.get("expectations", [])])
    suite = gx.ExpectationSuite(**{k: v for k, v in suite_json.items() if k in ("name", "expectations", "meta", "notes")})
    if len(suite.expectations) != len(suite_json.get("expectations", [])):
        raise ValueError(f"suite {suite_json['name']!r}: GX read {len(suite.expectations)} of "
                         f"{len(suite_json['expectations'])} expectations")
    return suite


class Validation:
    """One run's validation: one ephemeral context, suites validated as their frames arrive (the
    source sheets while the parent is still resolving, the refined Data last), then Data Docs."""

    def __init__(self, first: dict[str, Any], template_cache: Path | None = None) -> None:
        import datetime as dt

        from great_expectations.core.run_identifier import RunIdentifier

        began = time.perf_counter()
        self.docs_dir = Path(first["docs_dir"])
        self.data_docs = bool(first.get("data_docs", True))  # qa's data-quality gate asks for the verdict only
        self.context = _context(self.docs_dir, template_cache)
        self.source = self.context.data_sources.add_pandas("hotpass")
        self.run_id = RunIdentifier(run_name=first["run_name"], run_time=dt.datetime.now(dt.timezone.utc))
        self.results: list[tuple[str, Any]] = []
        self.outcomes: dict[str, list[dict[str, Any]]] = {}
        self.loaded: dict[str, int] = {}
        self.seconds = time.perf_counter() - began

    def run(self, message: dict[str, Any]) -> None:
        import great_expectations as gx

        began = time.perf_counter()
        for suite_json in message["suites"]:
            name = suite_json["name"]
            frame = message["frames"].get(name)
            if frame is None:
                continue
            suite = self.context.suites.add(load_suite(suite_json))
            self.loaded[name] = len(suite.expectations)
            batch = self.source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole")
            definition = self.context.validation_definitions.add(
                gx.ValidationDefinition(name=name, data=batch, suite=suite))
            # No values in what GX keeps, renders or returns (partial_unexpected_count 0): the few the
            # operator sees are picked below, from the frame itself.
            result = definition.run(batch_parameters={"dataframe": frame}, run_id=self.run_id,
                                    result_format={"result_format": "SUMMARY", "partial_unexpected_count": 0})
            self.results.append((name, result))
            # The few failing values are picked now, so the frame can go: the source sheets arrive while
            # the parent resolves, and held to the end they were 0.4 GB of the run's peak at 1M rows.
            self.outcomes[name] = [_outcome(r, frame) for r in result.results]
        forget_batches(self.source)
        self.seconds += time.perf_counter() - began

    def verdict(self) -> dict[str, Any]:
        import great_expectations as gx

        began = time.perf_counter()
        outcomes = self.outcomes
        documents = [result.to_json_dict() for _, result in self.results]
        for document in documents:
            for item in document.get("results", []):
                for key in VALUE_KEYS:
                    (item.get("result") or {}).pop(key, None)
        self.seconds += time.perf_counter() - began
        return {"outcomes": outcomes, "results": documents, "loaded": self.loaded, "gx_version": gx.__version__,
                "timings": {"validate": self.seconds}}

    def build_docs(self) -> float:
        from core.validate.docs import make_offline

        began = time.perf_counter()
        self.context.build_data_docs(site_names=["hotpass"])
        make_offline(self.docs_dir)
        return time.perf_counter() - began


def validate(request: dict[str, Any]) -> dict[str, Any]:
    """One request validated in this process, Data Docs included (what the worker does, in-process)."""
    validation = Validation(request)
    validation.run(request)
    verdict = validation.verdict()
    if validation.data_docs:
        verdict["timings"]["data_docs"] = validation.build_docs()
    return verdict


def serve(request_stream: BinaryIO, reply: BinaryIO, imported: float, template_cache: Path | None = None) -> None:
    """Messages until one is `final` (a request without the key is), then the verdict, then the
    Data Docs: the parent goes on writing the workbook while the pages are built.

    `clock` (time.time() when GX was imported and when the verdict was sent) lets the parent see
    how much of the wait was GX's import."""
    ready = time.time()
    request = pickle.load(request_stream)
    validation = Validation(request, template_cache)
    validation.run(request)
    _let_go(request)
    waited = 0.0
    while not request.get("final", True):
        began = time.perf_counter()
        request = pickle.load(request_stream)
        waited += time.perf_counter() - began
        validation.run(request)
        _let_go(request)
    verdict = validation.verdict()
    verdict["timings"] = {"import": imported, **verdict["timings"], "waited": waited}
    verdict["clock"] = {"ready": ready, "verdict": time.time()}
    send(reply, verdict)
    if validation.data_docs:
        seconds = validation.build_docs()
        send(reply, {"data_docs": str(validation.docs_dir), "timings": {"data_docs": seconds}})


def _let_go(request: dict[str, Any]) -> None:
    """A request's frames, once validated, handed back to the system: the worker waits with the source
    sheets' results only while the parent resolves (its memory peak)."""
    from core.runtime import give_back_memory

    request.pop("frames", None)
    gc.collect()
    give_back_memory()


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
        # No cyclic collection while GX's hundreds of modules load (a seventh of the import's CPU),
        # then what they made is frozen: later collections do not walk it again.
        gc.disable()
        import great_expectations  # noqa: F401  the seconds this takes overlap the parent's reading

        gc.freeze()
        gc.enable()
        serve(request_stream, reply, time.perf_counter() - started, Path(argv[2]) if len(argv) > 2 else None)
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
