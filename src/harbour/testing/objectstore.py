"""A private S3-compatible server on loopback for tests and benchmarks (moto's server mode).

``s3_server()`` starts ``moto_server`` on a free 127.0.0.1 port, waits for it to say it is
listening (no sleeping), creates a bucket, and yields the settings Harbour reads; the server stops
with the block. Nothing leaves the machine.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harbour.testing.chatserver import free_port

MOTO = str(Path(sys.executable).with_name("moto_server"))


@dataclass(frozen=True)
class ObjectStore:
    endpoint_url: str
    bucket: str
    access_key: str = "harbour-test"
    secret_key: str = "harbour-test-secret"  # noqa: S105 - a throwaway local server's
    region: str = "eu-west-2"

    def environment(self) -> dict[str, str]:
        """What ``harbour serve`` / ``worker`` read to put evidence in this store."""
        return {
            "HARBOUR_EVIDENCE_S3_BUCKET": self.bucket,
            "HARBOUR_EVIDENCE_S3_ENDPOINT_URL": self.endpoint_url,
            "HARBOUR_EVIDENCE_S3_REGION": self.region,
            "HARBOUR_EVIDENCE_S3_ACCESS_KEY_ID": self.access_key,
            "HARBOUR_EVIDENCE_S3_SECRET_ACCESS_KEY": self.secret_key,
        }

    def storage_setting(self) -> dict[str, Any]:
        """The ``STORAGES["evidence"]`` entry Harbour's settings build from ``environment()``."""
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": self.bucket,
                "endpoint_url": self.endpoint_url,
                "region_name": self.region,
                "access_key": self.access_key,
                "secret_key": self.secret_key,
                "file_overwrite": False,
                "default_acl": None,
            },
        }

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
        )

    def objects(self) -> dict[str, bytes]:
        s3 = self.client()
        listed = s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])
        return {
            o["Key"]: s3.get_object(Bucket=self.bucket, Key=o["Key"])["Body"].read() for o in listed
        }


@contextmanager
def s3_server(bucket: str = "harbour-evidence") -> Iterator[ObjectStore]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own environment's moto_server
        [MOTO, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    lines = []
    for line in process.stderr:  # blocks until it listens
        lines.append(line)
        if "Running on" in line:
            break
    else:
        raise RuntimeError("moto_server stopped:\n" + "".join(lines[-20:]))
    threading.Thread(target=lambda: [None for _ in process.stderr or ()], daemon=True).start()
    store = ObjectStore(endpoint_url=f"http://127.0.0.1:{port}", bucket=bucket)
    try:
        store.client().create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": store.region}
        )
        yield store
    finally:
        process.terminate()
        process.wait(timeout=30)
