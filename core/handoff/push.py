"""The evidence store: a verified bundle uploaded, object by object, with its SHA-256.

An object that is already there with the same content is skipped, so an interrupted push
resumes; one that is there with other content is never overwritten. Every object is checked after
it lands. S3 (boto3, the `hotpass[s3]` extra; credentials from the standard AWS chain) or a
mounted folder.
"""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from core.errors import ExpectationFailed, NetworkError, OutputFailed, UsageError
from core.handoff.manifest import MANIFEST, check_bundle


@dataclass
class PushResult:
    destination: str
    manifest_sha256: str
    uploaded: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)

    @property
    def objects(self) -> int:
        return len(self.uploaded) + len(self.already_there)


class Store(Protocol):
    def existing_sha256(self, name: str) -> str | None: ...
    def put(self, name: str, path: Path, sha256: str) -> None: ...


def push_bundle(folder: Path, destination: str, progress: Callable[[int, int], None] | None = None,
                environ: dict[str, str] | None = None) -> PushResult:
    check = check_bundle(folder)
    if not check.ok:
        raise ExpectationFailed("the bundle does not verify, so it is not pushed", file=folder,
                                details=check.problems(), hint="rebuild it with `hotpass handoff`")
    store = open_store(destination, environ or dict(os.environ))
    from core.handoff.manifest import read_manifest

    entries = {**read_manifest(folder / MANIFEST), MANIFEST: check.manifest_sha256}
    result = PushResult(destination, check.manifest_sha256)
    # The manifest goes last: a store that holds it holds every file it names.
    names = sorted(n for n in entries if n != MANIFEST) + [MANIFEST]
    for done, name in enumerate(names, 1):
        there = store.existing_sha256(name)
        if there == entries[name]:
            result.already_there.append(name)
        elif there is not None:
            raise OutputFailed(f"{name} is already in the store with other content; it was not overwritten",
                               file=f"{destination.rstrip('/')}/{name}",
                               hint="push to a new prefix, or ask the store's owner which bundle is right")
        else:
            store.put(name, folder / name, entries[name])
            if store.existing_sha256(name) != entries[name]:
                raise NetworkError(f"{name} did not land whole (its SHA-256 in the store differs)",
                                   file=f"{destination.rstrip('/')}/{name}", hint="push again: it resumes")
            result.uploaded.append(name)
        if progress:
            progress(done, len(names))
    return result


def open_store(destination: str, environ: dict[str, str]) -> Store:
    if destination.startswith("s3://"):
        bucket, _, prefix = destination[5:].partition("/")
        if len(bucket) < 3:
            raise UsageError(f"{destination!r} names no bucket", key="--to", hint="s3://BUCKET/PREFIX")
        return S3Store(bucket, prefix.strip("/"), environ)
    if "://" in destination:
        raise UsageError(f"the evidence store {destination!r} is neither s3:// nor a folder", key="--to")
    return FolderStore(Path(destination))


class FolderStore:
    """A mounted folder: each file copied beside its place, then renamed into it."""

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise UsageError("the evidence folder does not exist", file=root, key="--to",
                             hint="mount it, or create it first")
        self.root = root

    def existing_sha256(self, name: str) -> str | None:
        from core.staging import sha256_of

        path = self.root / name
        return sha256_of(path) if path.is_file() else None

    def put(self, name: str, path: Path, sha256: str) -> None:
        target = self.root / name
        temp = target.with_name(f".{target.name}.hp{os.getpid()}.push.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, temp)
            os.replace(temp, target)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise OutputFailed(f"could not write {name} to the evidence folder: {exc.strerror}", file=target,
                               hint="free space or fix permissions, then push again: it resumes") from None


class S3Store:
    """An S3 bucket (or any S3-compatible endpoint: AWS_ENDPOINT_URL), SHA-256 checksums on every object."""

    def __init__(self, bucket: str, prefix: str, environ: dict[str, str]) -> None:
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise UsageError("pushing to S3 needs boto3", hint="install the extra: pip install 'hotpass[s3]'") from None
        timeout = float(environ.get("HOTPASS_NETWORK_TIMEOUT", "") or 10)
        config = Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 2, "mode": "standard"})
        self.client = boto3.client("s3", endpoint_url=environ.get("AWS_ENDPOINT_URL") or None, config=config)
        self.bucket, self.prefix = bucket, prefix

    def _key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def existing_sha256(self, name: str) -> str | None:
        from botocore.exceptions import ClientError

        try:
            head = self._call(self.client.head_object, Bucket=self.bucket, Key=self._key(name), ChecksumMode="ENABLED")
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise self._error(name, exc) from None
        stored = head.get("ChecksumSHA256")
        return base64.b64decode(stored).hex() if stored else "unknown"

    def put(self, name: str, path: Path, sha256: str) -> None:
        from botocore.exceptions import ClientError

        checksum = base64.b64encode(bytes.fromhex(sha256)).decode()
        try:
            with open(path, "rb") as body:
                # IfNoneMatch: never replace an object someone else wrote since we looked
                self._call(self.client.put_object, Bucket=self.bucket, Key=self._key(name), Body=body,
                           ChecksumAlgorithm="SHA256", ChecksumSHA256=checksum, IfNoneMatch="*")
        except ClientError as exc:
            raise self._error(name, exc) from None

    def _call(self, method, **kwargs):
        from botocore.exceptions import BotoCoreError

        try:
            return method(**kwargs)
        except BotoCoreError as exc:  # unreachable, timed out, no credentials
            raise NetworkError(f"the evidence store did not answer: {type(exc).__name__}",
                               file=f"s3://{self.bucket}/{kwargs.get('Key', '')}",
                               hint="check the endpoint and credentials (standard AWS chain), then push again") from None

    def _error(self, name: str, exc) -> NetworkError:
        code = exc.response.get("Error", {}).get("Code", "error")
        return NetworkError(f"the evidence store refused {name} ({code})", file=f"s3://{self.bucket}/{self._key(name)}",
                            hint="check the bucket and your permissions, then push again: it resumes")
