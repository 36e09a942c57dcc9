"""Name verdicts worked out by a helper process beside scoring, where memory affords no copy of the whole process.

At 1M rows scoring compares ~1.1M pairs of spellings on one core (18 s of its 31). A forked copy of the
process (core.parallel) comes to own ~1.5 GB of it, past the 4 GB budget: CPython writes a reference count
into every object either side reads, so each page both use is copied. Even a forked process that reads
nothing of the groups owned 1.7 GB by the end of scoring, as the parent went on writing to the pages they
shared. The helper is therefore a fresh interpreter (`python -m core.resolve.verdict_helper`) that shares
nothing: it is sent the settings and the case's vocabulary once (pickled), each spelling once (its raw
name and its key's fields, marshalled), then pairs of spelling numbers; it sends back each pair's verdict
as fields.

A verdict depends only on the two spellings and the case's vocabulary, which is settled before scoring, so it is
the same whichever process works it out. A helper that fails to start or dies (an exception, the OOM
killer) only costs time: its answers come back as None and the asker works those verdicts out itself.
"""

from __future__ import annotations

import marshal
import os
import pickle
import queue
import subprocess
import struct
import sys
import threading
import time
from array import array
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from core.resolve.keys import NameKey
from core.resolve.names import NameVerdict, compare_keys
from core.resolve.settings import ResolutionSettings
from core.resolve.vocabulary import Vocabulary

_HEADER = struct.Struct("<Q")
_NONE: frozenset[str] = frozenset()
_POLL_SECONDS = 0.2  # how often a wait for the helper checks for cancel
BLOCK_PAIRS = 50_000  # pairs per batch: ~1 s of the helper's work, ~40k verdicts in flight
HANG_SECONDS = 120.0  # a batch takes ~1 s: a helper silent this long is stuck, and its work is done here
PIPE_BYTES = 1 << 20  # Linux's pipe-max-size by default
# What a verdict reads of the vocabulary; the rest are caches the helper fills for itself, and the case's memo
_VOCABULARY_READ = ("frequency", "names", "places", "common_share", "common_min", "leading", "brands",
                    "kind_changes", "brand_kinds", "town_province")


class VerdictHelper:
    """A helper process answering batches of pairs of spellings with their verdicts, in the order asked.

    `ask` returns at once (a thread writes the batch); `answers` waits for the oldest batch's verdicts, or
    gives up on a helper that sends nothing for HANG_SECONDS."""

    def __init__(self, settings: ResolutionSettings, vocab: Vocabulary) -> None:
        self._sent = np.zeros(0, dtype=bool)  # per spelling number: sent already
        self._asked: deque[int] = deque()  # batch sizes, oldest first
        self._answered: queue.Queue = queue.Queue()
        self._closed = False
        self.seconds = 0.0  # the helper's own time on the last batch answered
        root = str(Path(__file__).resolve().parents[2])  # the folder holding the core package
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))}
        try:
            self._process = subprocess.Popen([sys.executable, "-m", "core.resolve.verdict_helper"],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=subprocess.DEVNULL, env=env, bufsize=0)
        except OSError:  # no interpreter to start (an embedded Python): everything is worked out here
            self._process, self.alive = None, False
            return
        self.alive = True
        self._requests, self._replies = self._process.stdin.fileno(), self._process.stdout.fileno()
        for fd in (self._requests, self._replies):
            _widen(fd)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="hotpass-verdicts-out")
        self._reader = threading.Thread(target=self._read, name="hotpass-verdicts-in", daemon=True)
        self._reader.start()
        read = {name: getattr(vocab, name) for name in _VOCABULARY_READ}
        self._send(pickle.dumps((settings, read), protocol=pickle.HIGHEST_PROTOCOL))

    def ask(self, left: np.ndarray, right: np.ndarray, raws: list[str], keys: list[NameKey]) -> None:
        """The verdicts of spellings left[i] / right[i] (raw name raws[n], key keys[n]), for `answers` to
        return; each spelling is sent the first time it is asked about."""
        sent = self._sent
        if len(sent) < len(keys):
            sent = self._sent = np.concatenate([sent, np.zeros(len(keys) - len(sent), dtype=bool)])
        used = np.unique(np.concatenate([left, right]))
        new = used[~sent[used]]
        sent[new] = True
        fields = [(code, raws[code], keys[code].fields()) for code in new.tolist()]
        self._asked.append(len(left))
        numbers = np.stack([left, right], axis=1).astype(np.int64)
        self._send(marshal.dumps((fields, numbers.tobytes())))

    def answers(self, check: Callable[[], None] | None = None) -> list[NameVerdict] | None:
        """The oldest batch's verdicts, or None when the helper has failed."""
        size = self._asked.popleft()
        deadline = time.monotonic() + HANG_SECONDS
        while self.alive and time.monotonic() < deadline:
            try:
                reply = self._answered.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if check:
                    check()
                continue
            if reply is None:
                break
            self.seconds, answered = marshal.loads(reply)
            verdicts = [NameVerdict(*fields) for fields in answered]
            if len(verdicts) == size:
                return verdicts
            break
        self.alive = False  # failed, or stuck: asked nothing more
        return None

    def close(self) -> None:
        if self._closed:
            return
        self._closed, self.alive = True, False
        if self._process is None:
            return
        self._process.kill()
        self._process.wait()
        self._writer.shutdown(wait=True, cancel_futures=True)
        for stream in (self._process.stdin, self._process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self._reader.join(timeout=5)

    def _send(self, payload: bytes) -> None:
        if self.alive:
            self._writer.submit(_write_frame, self._requests, payload)

    def _read(self) -> None:
        try:
            while (frame := _read_frame(self._replies)) is not None:
                self._answered.put(frame)
        except (OSError, ValueError):
            pass
        self._answered.put(None)


def _serve(requests: int, replies: int) -> None:
    """In the helper: the settings and vocabulary, then batches answered until the asker closes its end."""
    first = _read_frame(requests)
    if first is None:
        return
    settings, read = pickle.loads(first)
    vocab = Vocabulary(**read)
    raws: dict[int, str] = {}
    keys: dict[int, NameKey] = {}
    words: dict[str, str] = {}
    while (frame := _read_frame(requests)) is not None:
        new, numbers = marshal.loads(frame)
        for code, raw, fields in new:
            raws[code], keys[code] = raw, _rebuilt(fields, words)
        codes = array("q")
        codes.frombytes(numbers)
        started = time.perf_counter()
        verdicts = [compare_keys(raws[a], keys[a], raws[b], keys[b], settings, vocab)
                    for a, b in zip(codes[0::2], codes[1::2])]
        _write_frame(replies, marshal.dumps((time.perf_counter() - started, [v.fields() for v in verdicts])))


def _rebuilt(fields: tuple, words: dict[str, str]) -> NameKey:
    """A key from its fields, its words and empty sets shared as the asker's are: marshal makes a new
    empty frozenset each time (216 bytes), three per key, and a new string per word."""
    key, tokens, compact, removed, expanded, qualifiers, numbers, dotted = fields
    return NameKey(key, tuple([words.setdefault(t, t) for t in tokens]), compact, removed, expanded,
                   qualifiers or _NONE, numbers or _NONE, dotted or _NONE)


def _widen(fd: int) -> None:
    """A pipe of PIPE_BYTES where Linux allows it, not 64 kB: a block's answers are ~5 MB, and the thread
    reading them waits for the GIL (up to 5 ms) after each read, while the helper waits to write."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # not Linux, or over /proc/sys/fs/pipe-max-size
        pass


def _write_frame(fd: int, payload: bytes) -> None:
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view):]


def _read_frame(fd: int) -> bytes | None:
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    return _read_exactly(fd, size)


def _read_exactly(fd: int, size: int) -> bytes | None:
    parts, wanted = [], size
    while wanted:
        chunk = os.read(fd, min(wanted, 1 << 20))
        if not chunk:
            return None
        parts.append(chunk)
        wanted -= len(chunk)
    return b"".join(parts)


class BlockVerdicts:
    """The name verdicts of scoring's pairs where both groups have one spelling, block of pairs by block: the
    helper's share of a block asked for while the block before is scored, the rest worked out here.

    `steps`: the (start, end) slices of `left`/`right` scoring walks, in order; a block is some consecutive
    steps. The helper's share is set from how long a verdict took either side and how long scoring a block
    took here, so that neither side idles for long. Pairs where a group has several spellings are left to
    compare_names, as None."""

    def __init__(self, helper: VerdictHelper, steps: list[tuple[int, int]], left: np.ndarray, right: np.ndarray,
                 groups, settings: ResolutionSettings, vocab: Vocabulary) -> None:
        self.helper, self.left, self.right = helper, left, right
        self.settings, self.vocab = settings, vocab
        self.spelling, self.raws, self.keys = _single_spellings(groups)
        self.block_of: list[int] = []
        self.blocks: list[tuple[int, int]] = []
        for start, end in steps:
            if not self.blocks or self.blocks[-1][1] - self.blocks[-1][0] >= BLOCK_PAIRS:
                self.blocks.append((start, end))
            else:
                self.blocks[-1] = (self.blocks[-1][0], end)
            self.block_of.append(len(self.blocks) - 1)
        # Seconds per verdict here and in the helper, and this process's other seconds per block (scoring
        # the pairs, asking): each block's share for the helper is the one that ends both sides together
        self._cost_here, self._cost_there, self._other = 20e-6, 20e-6, 0.0
        self._left_work_out: float | None = None
        self._current, self._verdicts = -1, np.empty(0, dtype=object)
        self._planned: deque[tuple] = deque()  # per block asked: what it needs, and the helper's part
        if self.blocks:
            self._ask(0)

    def verdicts(self, step: int, check: Callable[[], None] | None = None) -> tuple[int, np.ndarray]:
        """(the first pair of the step's block, a verdict or None per pair of the block)."""
        block = self.block_of[step]
        if block != self._current:
            self._current, self._verdicts = block, np.empty(0, dtype=object)  # the last block's let go
            if block + 1 < len(self.blocks):
                self._ask(block + 1)
            self._verdicts = self._work_out(check)
        return self.blocks[block][0], self._verdicts

    def _ask(self, block: int) -> None:
        start, end = self.blocks[block]
        a, b = self.spelling[self.left[start:end]], self.spelling[self.right[start:end]]
        single = (a >= 0) & (b >= 0)
        width = max(len(self.raws), 1)
        distinct, inverse = np.unique(a[single] * width + b[single], return_inverse=True)
        first, second = distinct // width, distinct % width
        theirs = round(len(distinct) * self.share(len(distinct))) if self.helper.alive else 0
        if theirs:
            self.helper.ask(first[:theirs], second[:theirs], self.raws, self.keys)
        self._planned.append((end - start, np.flatnonzero(single), inverse.reshape(-1), first, second, theirs))

    def share(self, verdicts: int) -> float:
        """The helper's share of a block of this many verdicts: while it works out its part, this process
        works out the rest and scores the block before (its other seconds)."""
        if not verdicts:
            return 0.0
        here, there = self._cost_here * verdicts, self._cost_there * verdicts
        return min(0.98, max(0.2, (here + self._other) / (here + there)))

    def _work_out(self, check) -> np.ndarray:
        began = time.perf_counter()
        if self._left_work_out is not None:
            self._other = _mean(self._other, began - self._left_work_out)
        size, positions, inverse, first, second, theirs = self._planned.popleft()
        verdicts = np.empty(len(first), dtype=object)
        verdicts[theirs:] = self._compared(first[theirs:], second[theirs:])
        if len(first) > theirs:
            self._cost_here = _mean(self._cost_here, (time.perf_counter() - began) / (len(first) - theirs))
        if theirs:
            answers = self.helper.answers(check)
            if answers is None:
                answers = self._compared(first[:theirs], second[:theirs])
            else:
                self._cost_there = _mean(self._cost_there, self.helper.seconds / theirs)
            verdicts[:theirs] = answers
        out = np.full(size, None, dtype=object)
        out[positions] = verdicts[inverse]
        self._left_work_out = time.perf_counter()
        return out

    def _compared(self, first: np.ndarray, second: np.ndarray) -> list[NameVerdict]:
        raws, keys, settings, vocab = self.raws, self.keys, self.settings, self.vocab
        return [compare_keys(raws[a], keys[a], raws[b], keys[b], settings, vocab)
                for a, b in zip(first.tolist(), second.tolist())]


def _mean(average: float, seen: float) -> float:
    return 0.5 * average + 0.5 * seen


def _single_spellings(groups) -> tuple[np.ndarray, list[str], list[NameKey]]:
    """Per group, the number of its one spelling (-1 where it has none or several, or a trading name behind
    't/a'); per spelling, its raw name and its key."""
    numbers: dict[str, int] = {}
    raws: list[str] = []
    keys: list[NameKey] = []
    spelling = np.full(len(groups), -1, dtype=np.int64)
    for g, group in enumerate(groups):
        names = group.names
        if len(names) != 1 or len(names[0][1]) != 1:
            continue
        raw, (key,) = names[0]
        number = numbers.get(raw)
        if number is None:
            number = numbers[raw] = len(raws)
            raws.append(raw)
            keys.append(key)
        spelling[g] = number
    return spelling, raws, keys


if __name__ == "__main__":
    import gc
    import signal

    gc.disable()  # as in the asker's resolve: millions of keys and verdicts, no cycles among them
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the asker, which stops the helper
    _serve(sys.stdin.fileno(), sys.stdout.fileno())
