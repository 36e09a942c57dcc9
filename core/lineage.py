"""OpenLineage RunEvents for every refine: START, then COMPLETE or FAIL.

Each event is appended to `dist/<case>/lineage/events.jsonl` at once (the record that always
exists), and, when OPENLINEAGE_URL is set, posted to it by openlineage-python's HTTP transport in
a background thread, with a short timeout and no retries. A lineage server that is down, slow or
erroring costs the run at most `DELIVERY_WAIT_S` at its end and becomes a warning: lineage is
evidence about the run, never a reason for the run to fail.

Events hold names of files, sheets and columns and counts; never a value from a workbook.
"""

from __future__ import annotations

import json
import os
import queue
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

PRODUCER = "https://github.com/hotpass/hotpass/tree/main/core/lineage.py"
SPEC = "https://openlineage.io/spec"
RUN_EVENT_SCHEMA = f"{SPEC}/2-0-2/OpenLineage.json#/$defs/RunEvent"
FACETS = {
    "schema": f"{SPEC}/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet",
    "dataQualityAssertions": f"{SPEC}/facets/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet",
    "dataQualityMetrics": f"{SPEC}/facets/1-0-3/DataQualityMetricsInputDatasetFacet.json#/$defs/DataQualityMetricsInputDatasetFacet",
    "outputStatistics": f"{SPEC}/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet",
    "errorMessage": f"{SPEC}/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet",
    "jobType": f"{SPEC}/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet",
}
POST_TIMEOUT_S = 0.4  # per request; a refine sends two
DELIVERY_WAIT_S = 0.6  # at the end of the run, for whatever is still on its way
ENDPOINT = "api/v1/lineage"


def facet(kind: str, **values: Any) -> dict[str, Any]:
    return {"_producer": PRODUCER, "_schemaURL": FACETS[kind], **values}


def run_uuid(namespace: str, run_id: str) -> str:
    """OpenLineage wants a UUID; the same Hotpass run always gets the same one."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"hotpass:{namespace}:{run_id}"))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Lineage:
    """The events of one run: `start()`, then `complete(...)` or `fail(message)`, then `finish()`."""

    events_path: Path
    namespace: str
    job_name: str
    run_id: str
    url: str | None = None
    timeout_s: float = POST_TIMEOUT_S
    problems: list[str] = field(default_factory=list)  # became warnings
    _outbox: queue.Queue | None = None
    _sender: threading.Thread | None = None

    @property
    def run_uuid(self) -> str:
        return run_uuid(self.namespace, self.run_id)

    # -- events ------------------------------------------------------------------------------
    def start(self, inputs: list[dict] | None = None) -> dict:
        return self._emit("START", inputs or [], [])

    def complete(self, inputs: list[dict], outputs: list[dict]) -> dict:
        return self._emit("COMPLETE", inputs, outputs)

    def fail(self, message: str, inputs: list[dict] | None = None) -> dict:
        run_facets = {"errorMessage": facet("errorMessage", message=message, programmingLanguage="python")}
        return self._emit("FAIL", inputs or [], [], run_facets)

    def _emit(self, kind: str, inputs: list[dict], outputs: list[dict], run_facets: dict | None = None) -> dict:
        event = {
            "eventType": kind, "eventTime": _now(), "producer": PRODUCER, "schemaURL": RUN_EVENT_SCHEMA,
            "run": {"runId": self.run_uuid, "facets": run_facets or {}},
            "job": {"namespace": self.namespace, "name": self.job_name,
                    "facets": {"jobType": facet("jobType", processingType="BATCH", integration="HOTPASS",
                                                jobType="REFINE")}},
            "inputs": inputs, "outputs": outputs,
        }
        self._append(event)
        if self.url:
            self._post(event)
        return event

    def _append(self, event: dict) -> None:
        try:
            self.events_path.parent.mkdir(parents=True, exist_ok=True)
            line = (json.dumps(event, sort_keys=True) + "\n").encode("utf-8")
            fd = os.open(self.events_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            try:
                os.write(fd, line)  # one write on O_APPEND: lines of two runs never interleave
            finally:
                os.close(fd)
        except OSError as exc:
            self.problems.append(f"lineage event {event['eventType']} not written to {self.events_path}: {exc.strerror}")

    # -- delivery ----------------------------------------------------------------------------
    def _post(self, event: dict) -> None:
        if self._sender is None:
            self._outbox = queue.Queue()
            self._sender = threading.Thread(target=self._deliver, name="hotpass-lineage", daemon=True)
            self._sender.start()
        assert self._outbox is not None
        self._outbox.put(event)

    def _deliver(self) -> None:
        assert self._outbox is not None
        transport = None
        while True:
            event = self._outbox.get()
            if event is None:
                return
            try:
                if transport is None:
                    transport = http_transport(self.url or "", self.timeout_s)
                transport.emit(event)
            except Exception as exc:  # noqa: BLE001 - any failure of the server or the wire is a warning
                self.problems.append(f"lineage event {event['eventType']} not delivered to {self.url}: "
                                     f"{_reason(exc)}")
            finally:
                self._outbox.task_done()

    def finish(self, wait_s: float = DELIVERY_WAIT_S) -> list[str]:
        """Wait a little for events still on their way; return what went wrong, as warnings."""
        if self._sender is not None and self._outbox is not None:
            self._outbox.put(None)
            self._sender.join(timeout=wait_s)
            if self._sender.is_alive():
                self.problems.append(f"lineage server {self.url} did not answer within {wait_s:.1f} s; "
                                     "the events are in " + str(self.events_path))
        seen: list[str] = []
        for problem in self.problems:
            if problem not in seen:
                seen.append(problem)
        return seen


def http_transport(url: str, timeout_s: float):
    """openlineage-python's HTTP transport, configured here (never from the environment): the
    given timeout, no retries (its default retries five times with back-off, stalling the run)."""
    from openlineage.client.transport.http import HttpConfig, HttpTransport

    base, endpoint = url.rstrip("/"), ENDPOINT
    if base.endswith("/" + ENDPOINT):  # the full endpoint was given
        base = base[: -len(ENDPOINT) - 1]
    no_retry = {"total": 0, "connect": 0, "read": 0, "status": 0, "backoff_factor": 0, "status_forcelist": []}
    return HttpTransport(HttpConfig(url=base + "/", endpoint=endpoint, timeout=timeout_s, retry=no_retry))


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "Max retries exceeded" in text or "Connection refused" in text:
        return "connection refused or unreachable"
    if "timed out" in text.lower() or "Timeout" in type(exc).__name__:
        return "timed out"
    return text[:160]


# -- datasets -------------------------------------------------------------------------------------
def file_dataset(path: Path, columns: list[str], extra_facets: dict | None = None,
                 output_facets: dict | None = None) -> dict:
    fields = [{"name": name, "type": "string", "ordinal_position": i} for i, name in enumerate(columns, start=1)]
    dataset: dict[str, Any] = {"namespace": "file", "name": str(Path(os.path.abspath(path))),
                               "facets": {"schema": facet("schema", fields=fields), **(extra_facets or {})}}
    if output_facets:
        dataset["outputFacets"] = output_facets
    return dataset


def refine_inputs(result_or_preview: Any, input_dir: Path) -> list[dict]:
    """Each workbook read, with the fields its used sheets mapped (names only)."""
    preview = getattr(result_or_preview, "preview", result_or_preview)
    out = []
    for report in preview.files:
        mapped = list(dict.fromkeys(f for s in report.sheets if s.status == "used" for f in s.mapping.values()))
        out.append(file_dataset(Path(input_dir) / report.file, mapped))
    return out


def refined_output(result: Any) -> dict:
    """The refined workbook: its Data columns, row count and size, and the validation's verdicts."""
    data = result.organisations
    columns = [str(c) for c in data.columns] if data is not None else []
    facets: dict[str, Any] = {}
    if data is not None:
        metrics = {name: {"nullCount": int(data[name].isna().sum())} for name in columns}
        if "data_quality_score" in data:
            scores = data["data_quality_score"].dropna()
            if len(scores):
                metrics["data_quality_score"].update({"min": float(scores.min()), "max": float(scores.max()),
                                                      "sum": float(scores.sum()), "count": float(len(scores))})
        facets["dataQualityMetrics"] = facet("dataQualityMetrics", rowCount=int(len(data)), columnMetrics=metrics)
    validation = getattr(result, "validation", None)
    if validation is not None and not validation.skipped:
        assertions = [{"assertion": o.expectation, "success": bool(o.success), "column": o.column or None,
                       "severity": o.severity} for o in validation.outcomes if o.suite == "refined"]
        facets["dataQualityAssertions"] = facet("dataQualityAssertions",
                                                assertions=[{k: v for k, v in a.items() if v is not None}
                                                            for a in assertions])
    size = Path(result.output_path).stat().st_size if Path(result.output_path).exists() else 0
    return file_dataset(result.output_path, columns, facets,
                        {"outputStatistics": facet("outputStatistics", rowCount=int(len(data)) if data is not None else 0,
                                                   size=size)})

