"""Real concurrency: processes and threads appending at once lose nothing and never see "database is locked"."""

from __future__ import annotations

import multiprocessing as mp
import threading
import traceback
from pathlib import Path

from ledger import Ledger

CTX = mp.get_context("fork")


def _appender(path: str, n: int, tag: str, start, errors) -> None:
    try:
        led = Ledger(Path(path))
        start.wait(30)
        for i in range(n):
            if i % 4 == 0:
                led.add_next_step(f"{tag} step {i}")
            elif i % 4 == 1:
                led.record_approval("contract", f"{tag}-{i}", None, "approve")
            else:
                led.record_incident(f"{tag}-{i}", "load test", "low")
        led.close()
    except BaseException:  # noqa: BLE001 - reported to the parent, which fails the test
        errors.put(f"{tag}: {traceback.format_exc()}")
        raise


def _run_processes(path: Path, per_process: int, tags: list[str]) -> list[str]:
    start, errors = CTX.Event(), CTX.Queue()
    procs = [CTX.Process(target=_appender, args=(str(path), per_process, tag, start, errors)) for tag in tags]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert [p.exitcode for p in procs] == [0] * len(procs), found
    return found


def test_two_processes_append_2000_each_without_loss(tmp_path):
    path = tmp_path / ".hotpass" / "ledger.db"
    Ledger(path).close()  # created (and migrated) up front; the race on creation has its own test
    assert _run_processes(path, 2000, ["A", "B"]) == []
    led = Ledger(path)
    assert led.head()[0] == 4000
    report = led.verify()
    assert report.ok, report.problems[:5]
    assert report.count == 4000
    entries = led.all_entries()
    assert [e.seq for e in entries] == list(range(1, 4001))
    for tag in "AB":
        assert sum(1 for e in entries if e.subject.startswith((f"{tag}-", f"contract:{tag}-"))
                   or e.payload.get("text", "").startswith(f"{tag} ")) == 2000
    ids = [s.id for s in led.next_steps()]
    assert len(ids) == 1000 and sorted(ids, key=lambda s: int(s[3:])) == [f"NS-{i}" for i in range(1, 1001)]
    assert led.read_anchor()["count"] == 4000 and "mismatches" not in led.read_anchor()
    led.close()


def test_several_processes_creating_and_migrating_one_fresh_ledger_at_once(tmp_path):
    path = tmp_path / "fresh" / "ledger.db"
    assert _run_processes(path, 25, [f"P{i}" for i in range(6)]) == []
    led = Ledger(path)
    assert led.head()[0] == 150 and led.verify().ok
    led.close()


def test_threads_sharing_a_ledger_and_threads_with_their_own(tmp_path):
    path = tmp_path / "ledger.db"
    shared = Ledger(path)
    errors: list[str] = []
    barrier = threading.Barrier(6)

    def work(led: Ledger, tag: str) -> None:
        try:
            barrier.wait()
            for i in range(150):
                led.add_next_step(f"{tag}-{i}") if i % 2 else led.record_review_decision("c1", f"{tag}-{i}", "approve")
        except BaseException:  # noqa: BLE001
            errors.append(traceback.format_exc())

    threads = [threading.Thread(target=work, args=(shared, f"s{i}")) for i in range(4)]
    threads += [threading.Thread(target=work, args=(Ledger(path), f"o{i}")) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert shared.head()[0] == 900
    assert shared.verify().ok
    ids = [s.id for s in shared.next_steps()]
    assert len(set(ids)) == len(ids) == 450
    assert len(shared.review_decisions("c1")) == 450
    shared.close()


def test_a_reader_sees_a_consistent_chain_while_writers_append(tmp_path):
    path = tmp_path / "ledger.db"
    led = Ledger(path)
    start, errors = CTX.Event(), CTX.Queue()
    proc = CTX.Process(target=_appender, args=(str(path), 600, "W", start, errors))
    proc.start()
    start.set()
    reports = []
    while proc.is_alive() or not reports:
        reports.append(led.verify())
    proc.join(60)
    assert proc.exitcode == 0
    assert all(r.ok for r in reports), [r.problems for r in reports if not r.ok][:1]
    assert led.verify().count == 600
    led.close()
