"""Shared fixtures: the shared data folder, the CLI binary, and a 2-worker LocalCluster."""

import os
import subprocess

import pytest

SHARED = os.environ.get("SAMESTORY_SHARED_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
BINARY = os.environ.get("SAMESTORY_BINARY", os.path.join(os.path.dirname(__file__), "..", "..", "build", "samestory"))


def shared(*parts):
    path = os.path.join(SHARED, *parts)
    if not os.path.exists(path):
        pytest.skip(f"{path} is not there")
    return path


def cli(*args, output=None):
    """Runs the samestory CLI; returns what it wrote to `output` (a path it was given)."""
    subprocess.run([BINARY, "-q", *args], check=True)
    if output:
        with open(output, encoding="utf-8") as f:
            return f.read()
    return None


@pytest.fixture(scope="session")
def client():
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with Client(cluster) as c:
        yield c
    cluster.close()
