"""The hand-off bundle: built from a real case, verified file by file, signed off in the ledger, and
pushed to a folder and to a real S3 endpoint on 127.0.0.1 (moto's server mode), resuming when cut off."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_hotpass


def _prepared_case(workspace: Path) -> Path:
    for argv in (["refine", "--no-validate"], ["enrich"], ["contracts", "emit"]):
        result = run_hotpass(*argv, cwd=workspace)
        assert result.returncode == 0, (argv, result.stderr)
    contract = workspace / "dist" / "sample" / "contracts" / "generic.yaml"
    approved = run_hotpass("ledger", "approve", "contract", "sample/generic", "--artefact", str(contract),
                           "--case", "sample", cwd=workspace)
    assert approved.returncode == 0, approved.stderr
    return workspace / "dist" / "sample" / "handoff"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    workspace = tmp_path_factory.mktemp("handoff")
    folder = _prepared_case(workspace)
    built = run_hotpass("handoff", "--case", "sample", cwd=workspace)
    assert built.returncode == 0, built.stderr
    signed = run_hotpass("handoff", "sign", "--case", "sample", "-m", "checked with the owner", cwd=workspace)
    assert signed.returncode == 0, signed.stderr
    return folder


def test_the_bundle_holds_every_piece_and_a_summary_of_what_was_done(bundle: Path) -> None:
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    for wanted in ("refined.xlsx", "enriched.xlsx", "contracts/generic.yaml", "reports/refine-summary.md",
                   "ledger/Next_Steps_Log.md", "ledger/governance-log.md", "SUMMARY.md", "MANIFEST.sha256"):
        assert wanted in names
    summary = (bundle / "SUMMARY.md").read_text()
    assert "`hotpass refine --no-validate`" in summary and "`hotpass enrich`" in summary
    assert "approve contract `sample/generic`" in summary
    assert "validation skipped" in summary.lower() or "no-validate" in summary  # the deviation is listed
    assert "review pairs still open: 2" in summary
    manifest = (bundle / "MANIFEST.sha256").read_text().splitlines()
    assert len(manifest) == len(names) - 1 and all(len(line.split("  ")[0]) == 64 for line in manifest)


def test_the_ledger_remembers_the_export_where_the_bundle_keeps_it(bundle: Path) -> None:
    """An auditor following the export history beside the ledger must find the files, not a temp folder."""
    history = bundle.parents[2] / ".hotpass" / "ledger.db.exports.jsonl"
    remembered = [json.loads(line)["out_dir"] for line in history.read_text().splitlines() if line.strip()]
    assert remembered and remembered[-1] == str((bundle / "ledger").resolve())
    assert (Path(remembered[-1]) / "ledger-anchor.json").is_file()


def test_verify_passes_and_then_names_a_changed_a_missing_and_an_added_file(bundle: Path, tmp_path: Path) -> None:
    import shutil

    workspace = bundle.parent.parent.parent
    ok = run_hotpass("handoff", "verify", str(bundle), cwd=workspace)
    assert ok.returncode == 0 and "bundle verifies" in ok.stdout
    copy = tmp_path / "copy"
    shutil.copytree(bundle, copy)
    book = copy / "refined.xlsx"
    data = bytearray(book.read_bytes())
    data[len(data) // 2] ^= 0x01
    book.write_bytes(bytes(data))
    (copy / "reports" / "refine-summary.md").unlink()
    (copy / "extra.txt").write_text("not from us")
    bad = run_hotpass("handoff", "verify", str(copy), cwd=workspace)
    assert bad.returncode == 11
    assert "refined.xlsx: changed" in bad.stderr and "reports/refine-summary.md: missing" in bad.stderr
    assert "extra.txt: not in the manifest" in bad.stderr


def test_a_missing_piece_stops_the_bundle_unless_a_deviation_excuses_it(tmp_path: Path) -> None:
    assert run_hotpass("refine", "--no-validate", cwd=tmp_path).returncode == 0
    stopped = run_hotpass("handoff", "--case", "sample", cwd=tmp_path)
    assert stopped.returncode == 3
    assert "missing enriched.xlsx (enriched), contracts/generic.yaml (contract)" in stopped.stderr
    assert not (tmp_path / "dist" / "sample" / "handoff").exists()  # nothing half-written
    for piece in ("enriched", "contract"):
        assert run_hotpass("handoff", "deviate", "--case", "sample", piece, "--why", "not in scope",
                           cwd=tmp_path).returncode == 0
    built = run_hotpass("handoff", "--case", "sample", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    summary = (tmp_path / "dist" / "sample" / "handoff" / "SUMMARY.md").read_text()
    assert "missing from the bundle: `enriched.xlsx` (excused: not in scope)" in summary


def test_batch_without_approval_stops_before_the_handoff_and_with_it_builds_a_verified_bundle(tmp_path: Path) -> None:
    stopped = run_hotpass("--batch", "--steps", "refine,enrich,contracts,handoff", cwd=tmp_path)
    assert stopped.returncode == 10
    events = [json.loads(line) for line in stopped.stdout.splitlines()]
    [error] = [e for e in events if e["event"] == "error"]
    assert error["step"] == "handoff" and error["key"] == "contract" and "sample/generic" in error["message"]
    assert not (tmp_path / "dist" / "sample" / "handoff").exists()
    done = run_hotpass("--batch", "--steps", "refine,enrich,contracts,handoff", "--approve", "contract",
                       cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert any(e["event"] == "approval" and e["source"] == "flag" and e["kind"] == "contract" for e in events)
    assert run_hotpass("handoff", "sign", "--case", "sample", cwd=tmp_path).returncode == 0
    assert run_hotpass("handoff", "verify", "dist/sample/handoff", cwd=tmp_path).returncode == 0
    assert run_hotpass("ledger", "verify", cwd=tmp_path).returncode == 0


def test_push_to_a_folder_resumes_and_never_overwrites_other_content(bundle: Path, tmp_path: Path) -> None:
    from core.errors import OutputFailed
    from core.handoff.push import push_bundle

    store = tmp_path / "evidence"
    store.mkdir()
    calls = []

    def cut_off(done: int, total: int) -> None:
        calls.append(done)
        if done == 5:
            raise KeyboardInterrupt  # the operator's ctrl+c, half-way

    with pytest.raises(KeyboardInterrupt):
        push_bundle(bundle, str(store), progress=cut_off)
    again = push_bundle(bundle, str(store))
    assert calls == [1, 2, 3, 4, 5]
    assert len(again.already_there) == 5 and len(again.uploaded) == again.objects - 5 > 0
    assert (store / "MANIFEST.sha256").read_text() == (bundle / "MANIFEST.sha256").read_text()
    (store / "SUMMARY.md").write_text("someone else's summary")
    with pytest.raises(OutputFailed, match="SUMMARY.md is already in the store with other content"):
        push_bundle(bundle, str(store))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    env = {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "test",
           "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1"}
    try:
        yield env
    finally:
        server.terminate()
        server.wait(10)


def test_push_to_s3_killed_half_way_resumes_with_every_object_once(bundle: Path, s3_endpoint, monkeypatch) -> None:
    import boto3

    for key, value in s3_endpoint.items():
        monkeypatch.setenv(key, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint["AWS_ENDPOINT_URL"])
    client.create_bucket(Bucket="evidence")
    workspace = bundle.parent.parent.parent
    env = {**os.environ, **s3_endpoint, "HOTPASS_LEDGER": str(workspace / ".hotpass" / "ledger.db")}
    push = subprocess.Popen([sys.executable, "-m", "hotpass_tui.cli", "handoff", "push", str(bundle), "--to",
                             "s3://evidence/cases/sample"], cwd=workspace, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and push.poll() is None:
        listed = client.list_objects_v2(Bucket="evidence", Prefix="cases/sample/").get("KeyCount", 0)
        if listed >= 3:
            push.kill()  # SIGKILL half-way
            break
        time.sleep(0.01)
    push.wait(30)
    result = run_hotpass("handoff", "push", str(bundle), "--to", "s3://evidence/cases/sample", cwd=workspace,
                         env=s3_endpoint)
    assert result.returncode == 0, result.stderr
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    objects = client.list_objects_v2(Bucket="evidence", Prefix="cases/sample/")["Contents"]
    keys = [o["Key"].removeprefix("cases/sample/") for o in objects]
    assert sorted(keys) == sorted(names)  # every file once, nothing else
    from core.staging import sha256_of

    for name in names:
        head = client.head_object(Bucket="evidence", Key=f"cases/sample/{name}", ChecksumMode="ENABLED")
        import base64

        assert base64.b64decode(head["ChecksumSHA256"]).hex() == sha256_of(bundle / name)
    from ledger import Ledger

    pushes = Ledger(workspace / ".hotpass" / "ledger.db").entries(kind="handoff_push")
    assert pushes and pushes[0].payload["destination"] == "s3://evidence/cases/sample"


def test_a_store_that_refuses_is_a_network_error_and_no_traceback(bundle: Path, s3_endpoint) -> None:
    workspace = bundle.parent.parent.parent
    result = run_hotpass("handoff", "push", str(bundle), "--to", "s3://no-such-bucket/x", cwd=workspace,
                         env=s3_endpoint)
    assert result.returncode == 12
    assert "refused" in result.stderr and "no-such-bucket" in result.stderr and "Traceback" not in result.stderr
