"""Name verdicts worked out by a helper process beside scoring, where memory affords no copy of the whole process.

At 1M rows scoring compares ~1.1M pairs of spellings on one core (18 s of its 31). A forked copy of the
process (core.parallel) comes to own ~1.5 GB of it, past the 4 GB budget: CPython writes a reference count
into every object either side reads, so each page both use is copied. Even a forked process that reads
nothing of the groups owned 1.7 GB by the end of scoring, as the parent went on writing to the pages they
shared. The helper is therefore a fresh interpreter (`python -m core.resolve.verdict_helper`) that shares
nothing: it is sent the settings and the case's vocabulary once (pickled), each spelling's key once
(marshalled fields), then pairs of key numbers, and it sends back each pair's verdict as fields.

A verdict depends only on the two keys and the case's vocabulary, which is settled before scoring, so it is
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
from array import array
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from core.resolve.keys import NameKey
from core.resolve.names import MAX_NAMES, NameVerdict, _key_pairs, compare_keys
from core.resolve.settings import ResolutionSettings
from core.resolve.vocabulary import Vocabulary

_HEADER = struct.Struct("<Q")
_POLL_SECONDS = 0.2  # how often a wait for the helper checks for cancel
# What a verdict reads of the vocabulary; the rest are caches the helper fills for itself, and the case's memo
_VOCABULARY_READ = ("frequency", "names", "places", "common_share", "common_min", "leading", "brands",
                    "kind_changes", "brand_kinds", "town_province")


class VerdictHelper:
    """A helper process answering batches of (key, key) pairs with their verdicts, in the order asked.

    `ask` returns at once (a thread writes the batch); `answers` waits for the oldest batch's verdicts.
    The keys must differ in their compact form (equal ones need the raw names for their reason)."""

    def __init__(self, settings: ResolutionSettings, vocab: Vocabulary) -> None:
        root = str(Path(__file__).resolve().parents[2])  # the folder holding the core package
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))}
        self._process = subprocess.Popen([sys.executable, "-m", "core.resolve.verdict_helper"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, bufsize=0)
        self._requests, self._replies = self._process.stdin.fileno(), self._process.stdout.fileno()
        self._codes: dict[int, int] = {}  # id(key) -> its number in the helper
        self._sent: list[NameKey] = []  # the keys sent, alive while their ids are numbers here
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="hotpass-verdicts-out")
        self._answered: queue.Queue = queue.Queue()
        self._reader = threading.Thread(target=self._read, name="hotpass-verdicts-in", daemon=True)
        self._reader.start()
        self._asked: deque[int] = deque()  # batch sizes, oldest first
        self.alive = True
        self._closed = False
        read = {name: getattr(vocab, name) for name in _VOCABULARY_READ}
        self._send(pickle.dumps((settings, read), protocol=pickle.HIGHEST_PROTOCOL))

    def ask(self, pairs: list[tuple[NameKey, NameKey]]) -> None:
        codes, sent = self._codes, self._sent
        new: list[tuple] = []
        numbers = array("q")
        for pair in pairs:
            for key in pair:
                code = codes.get(id(key))
                if code is None:
                    code = codes[id(key)] = len(sent)
                    sent.append(key)
                    new.append(key.fields())
                numbers.append(code)
        self._asked.append(len(pairs))
        self._send(marshal.dumps((new, numbers.tobytes())))

    def answers(self, check: Callable[[], None] | None = None) -> list[NameVerdict] | None:
        """The oldest batch's verdicts, or None when the helper has failed."""
        size = self._asked.popleft()
        while self.alive:
            try:
                reply = self._answered.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if check:
                    check()
                continue
            if reply is None:
                break
            verdicts = [NameVerdict(*fields) for fields in marshal.loads(reply)]
            if len(verdicts) == size:
                return verdicts
            break
        self.alive = False
        return None

    def ready(self) -> bool:
        """Whether the oldest batch's verdicts are already here (the helper waits for this process)."""
        return not self._answered.empty()

    def close(self) -> None:
        if self._closed:
            return
        self._closed, self.alive = True, False
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
    keys: list[NameKey] = []
    while (frame := _read_frame(requests)) is not None:
        new, numbers = marshal.loads(frame)
        keys += [NameKey(*fields) for fields in new]
        codes = array("q")
        codes.frombytes(numbers)
        verdicts = [compare_keys("", keys[a], "", keys[b], settings, vocab) for a, b in zip(codes[0::2], codes[1::2])]
        _write_frame(replies, marshal.dumps([v.fields() for v in verdicts]))


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
    """The verdicts of scoring's spellings, block of pairs by block, as memos for compare_names: the helper's
    share of a block asked for while the block before is scored, the rest worked out here.

    `steps`: the (start, end) slices of `left`/`right` scoring walks, in order; a block is some consecutive
    steps. The helper's share follows how the last block went: larger when its answers were waiting here,
    smaller when this process waited for them, so that neither side idles for long."""

    def __init__(self, helper: VerdictHelper, steps: list[tuple[int, int]], left, right, groups,
                 settings: ResolutionSettings, vocab: Vocabulary, block_pairs: int = 50_000) -> None:
        self.helper, self.left, self.right, self.groups = helper, left, right, groups
        self.settings, self.vocab = settings, vocab
        self.block_of: list[int] = []
        self.blocks: list[tuple[int, int]] = []
        for start, end in steps:
            if not self.blocks or self.blocks[-1][1] - self.blocks[-1][0] >= block_pairs:
                self.blocks.append((start, end))
            else:
                self.blocks[-1] = (self.blocks[-1][0], end)
            self.block_of.append(len(self.blocks) - 1)
        self.share = 0.75  # of a block's verdicts, the helper's
        self._current, self._memo = -1, {}
        self._own: deque[list] = deque()  # per block asked, what is left to work out here
        self._asked = 0
        if self.blocks:
            self._ask(0)

    def memo(self, step: int, check: Callable[[], None] | None = None) -> dict:
        block = self.block_of[step]
        if block != self._current:
            self._current, self._memo = block, {}  # the last block's memo is let go
            if block + 1 < len(self.blocks):
                self._ask(block + 1)
            self._memo = self._work_out(check)
        return self._memo

    def _ask(self, block: int) -> None:
        wanted = _spellings(self.left, self.right, self.groups, *self.blocks[block])
        theirs = int(len(wanted) * self.share) if self.helper.alive else 0
        self.helper.ask([pair for _, pair in wanted[:theirs]])
        self._own.append((wanted[:theirs], wanted[theirs:]))

    def _work_out(self, check) -> dict:
        theirs, mine = self._own.popleft()
        settings, vocab = self.settings, self.vocab
        memo = {seen: compare_keys(seen[0], ka, seen[2], kb, settings, vocab) for seen, (ka, kb) in mine}
        waiting = self.helper.ready()
        answers = self.helper.answers(check)
        if answers is not None:
            memo.update(zip((seen for seen, _ in theirs), answers))
        self.share = min(0.95, self.share + 0.05) if waiting else max(0.2, self.share - 0.05)
        return memo


def _spellings(left, right, groups, start: int, end: int) -> list[tuple[tuple, tuple[NameKey, NameKey]]]:
    """The pairs of spellings compare_names meets in pairs start..end, each once, by its memo key; not those
    equal in compact form (quick here, and their reason needs the raw names)."""
    wanted: dict[tuple, tuple[NameKey, NameKey]] = {}
    for a, b in zip(left[start:end].tolist(), right[start:end].tolist()):
        names_a, names_b = groups[a].names, groups[b].names
        if len(names_a) == 1 and len(names_b) == 1 and len(names_a[0][1]) == 1 and len(names_b[0][1]) == 1:
            (raw_a, (ka,)), (raw_b, (kb,)) = names_a[0], names_b[0]
            if ka.compact != kb.compact:
                wanted.setdefault((raw_a, ka.key, raw_b, kb.key), (ka, kb))
            continue
        for raw_a, keys_a in names_a[:MAX_NAMES]:
            for raw_b, keys_b in names_b[:MAX_NAMES]:
                for ka, kb in _key_pairs(keys_a, keys_b):
                    if ka.compact != kb.compact:
                        wanted.setdefault((raw_a, ka.key, raw_b, kb.key), (ka, kb))
    return list(wanted.items())


if __name__ == "__main__":
    import gc

    gc.disable()  # as in the asker's resolve: millions of keys and verdicts, no cycles among them
    _serve(sys.stdin.fileno(), sys.stdout.fileno())
