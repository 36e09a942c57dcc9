"""The parent's side of validation: start the GX process early, hand it the frames, read its answer.

GX's import takes seconds, longer than the rest of a refine of a real case, so the refine step
starts the worker before it reads a single workbook; by the time the frames are ready GX is loaded.
"""

from __future__ import annotations

import os
import pickle
import queue
import select
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from core.errors import Cancelled, InternalError

PROJECT_PARENT = Path(__file__).resolve().parents[2]  # the folder that holds the `core` package
ANSWER_TIMEOUT_S = 600.0


class ValidationWorker:
    """One GX process for one run. Use as a context manager: leaving always ends the process."""

    def __init__(self, log_path: Path, template_cache: Path | None = None) -> None:
        """`template_cache`: a folder where compiled Data Docs templates are kept between runs."""
        self.log_path = log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "GX_ANALYTICS_ENABLED": "False", "PYTHONWARNINGS": "ignore",
               "PYTHONPATH": os.pathsep.join(p for p in (str(PROJECT_PARENT), os.environ.get("PYTHONPATH", "")) if p)}
        with open(log_path, "ab") as log:  # what the interpreter says before the worker redirects itself
            self.process = subprocess.Popen(
                [sys.executable, "-m", "core.validate.worker", str(log_path),
                 *([str(template_cache)] if template_cache is not None else [])], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=log, cwd=log_path.parent, env=env, start_new_session=True)
        self.started = time.perf_counter()
        self.spawned_at = time.time()
        self._outbox: queue.Queue[bytes | None] = queue.Queue()
        self._writer: threading.Thread | None = None
        self._failure: list[BaseException] = []

    def __enter__(self) -> ValidationWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._outbox.put(None)  # a run that failed before its final request: the writer thread ends too
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.process.stdin, self.process.stdout):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass

    def submit(self, request: dict[str, Any], final: bool = True) -> None:
        """Hand the worker suites and their frames; it validates them as soon as GX is loaded. The
        last request is `final`: the verdict covers every suite submitted."""
        self._outbox.put(pickle.dumps({**request, "final": final}, protocol=pickle.HIGHEST_PROTOCOL))
        if final:
            self._outbox.put(None)
        if self._writer is None:
            self._writer = threading.Thread(target=self._write, name="hotpass-validate-send", daemon=True)
            self._writer.start()

    def _write(self) -> None:  # blocks while the worker is still importing GX (a pipe holds 64 KB)
        try:
            assert self.process.stdin is not None
            while (payload := self._outbox.get()) is not None:
                self.process.stdin.write(payload)
                self.process.stdin.flush()
            self.process.stdin.close()
        except (OSError, ValueError) as exc:
            self._failure.append(exc)

    def validate(self, request: dict[str, Any], cancel: threading.Event | None = None) -> dict[str, Any]:
        """Send the (final) request; return the verdict as soon as the worker has it."""
        self.submit(request)
        return self.verdict(cancel)

    def verdict(self, cancel: threading.Event | None = None) -> dict[str, Any]:
        """The verdict (outcomes, results) on every suite submitted; the Data Docs are built after
        it: `wait_for_docs` returns when they are written."""
        try:
            return self._message(cancel)
        except InternalError:
            if self._failure:
                raise self._died(f"could not hand the frames to the validation process: {self._failure[0]}") from None
            raise

    def wait_for_docs(self, cancel: threading.Event | None = None) -> dict[str, Any]:
        """The second message: the Data Docs are in the folder the request named."""
        return self._message(cancel)

    def _message(self, cancel: threading.Event | None) -> dict[str, Any]:
        header = self._read(8, cancel)
        payload = self._read(int.from_bytes(header, "big"), cancel)
        try:
            message = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - a truncated message: the worker died mid-reply
            raise self._died("the validation process ended without an answer") from None
        if "error" in message:
            raise self._died("Great Expectations failed while validating", message["error"])
        return message

    def _read(self, size: int, cancel: threading.Event | None) -> bytes:
        stdout = self.process.stdout
        assert stdout is not None
        chunks: list[bytes] = []
        wanted = size
        deadline = time.monotonic() + ANSWER_TIMEOUT_S
        fd = stdout.fileno()
        while wanted:
            if cancel is not None and cancel.is_set():
                self.close()
                raise Cancelled("refine was cancelled during validation", hint="nothing was written")
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                chunk = os.read(fd, min(wanted, 1 << 20))
                if not chunk:
                    raise self._died("the validation process ended without an answer")
                chunks.append(chunk)
                wanted -= len(chunk)
            elif time.monotonic() > deadline:
                self.close()
                raise self._died(f"the validation process gave no answer in {ANSWER_TIMEOUT_S:.0f} s")
        return b"".join(chunks)

    def _died(self, message: str, trace: str = "") -> InternalError:
        if trace:
            try:
                with open(self.log_path, "a", encoding="utf-8") as log:
                    log.write(trace)
            except OSError:
                pass
        return InternalError(f"{message}; details are in {self.log_path}",
                             hint="run again with --no-validate to refine without validation (recorded as a deviation)")
