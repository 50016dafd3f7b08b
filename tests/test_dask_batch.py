"""`cleaner batch --scheduler`: a real cluster on loopback, identical bytes, a worker killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed")
from distributed import Client, LocalCluster  # noqa: E402

from conftest import ROOT, run_cli  # noqa: E402
from test_batch import _corpus, _gazette, tree  # noqa: E402

pytestmark = pytest.mark.slow  # starts a Dask cluster


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as c:
        yield c


def test_cluster_run_equals_local_run(cluster, tmp_path: Path):
    src = tmp_path / "src"
    _corpus(src, files=30)
    _gazette(src / "sites")  # site templates: counted on the workers, merged, then cleaned
    local = tmp_path / "local"
    assert run_cli("batch", str(src), str(local), "--workers", "1").returncode == 0
    remote = tmp_path / "remote"
    proc = run_cli("batch", str(src), str(remote), "--scheduler", cluster.scheduler_address)
    assert proc.returncode == 0, proc.stderr
    assert tree(remote, include_state=True).keys() == tree(local, include_state=True).keys()
    assert tree(remote) == tree(local)
    logs = lambda root: {k: v for k, v in tree(root, include_state=True).items() if "logs" in k}  # noqa: E731
    assert logs(remote) == logs(local)
    manifest = lambda root: sorted((root / ".cleaner" / "manifest.jsonl").read_text().splitlines())  # noqa: E731
    assert manifest(remote) == manifest(local)
    templates = lambda root: (root / ".cleaner" / "templates.json").read_bytes()  # noqa: E731
    assert templates(remote) == templates(local) and json.loads(templates(local))["sites"]


def test_relative_src_and_dest_mean_the_client_s_folders(cluster, tmp_path: Path):
    """Workers run in other working directories than the client: relative SRC and DEST
    name the client's folders, where every output goes (not under a worker's folder)."""
    src = tmp_path / "src"
    _gazette(src)
    local = tmp_path / "local"
    assert run_cli("batch", str(src), str(local), "--workers", "1").returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with Client(cluster.scheduler_address) as client:
        before = client.run(os.getcwd)
        client.run(os.chdir, str(elsewhere))
        try:
            proc = run_cli("batch", "src", "dest", "--scheduler", cluster.scheduler_address, cwd=tmp_path)
        finally:
            for worker, folder in before.items():
                client.run(os.chdir, folder, workers=[worker])
    assert proc.returncode == 0, proc.stderr
    assert list(elsewhere.iterdir()) == []
    assert tree(tmp_path / "dest") == tree(local) and tree(local)
    manifest = (tmp_path / "dest" / ".cleaner" / "manifest.jsonl").read_text().splitlines()
    assert len(manifest) == len(tree(local))


def test_a_worker_killed_mid_run_changes_nothing(cluster, tmp_path: Path):
    src = tmp_path / "src"
    _corpus(src, files=80)
    local = tmp_path / "local"
    assert run_cli("batch", str(src), str(local), "--workers", "1", "--no-templates").returncode == 0
    remote = tmp_path / "remote"
    with Client(cluster.scheduler_address) as client:
        pids = list(client.run(os.getpid).values())

    killed_at = []

    def kill_one() -> None:
        while not list(remote.rglob("*.txt")):  # the batch is under way once outputs appear
            time.sleep(0.02)
        os.kill(pids[0], signal.SIGKILL)
        killed_at.append(len(list(remote.rglob("*.txt"))))

    killer = threading.Thread(target=kill_one)
    killer.start()
    proc = run_cli("batch", str(src), str(remote), "--no-templates", "--scheduler", cluster.scheduler_address)
    killer.join()
    assert killed_at and killed_at[0] < 80, "the worker was killed after the batch had finished"
    assert proc.returncode == 0, proc.stderr
    assert tree(remote) == tree(local)
    lines = (remote / ".cleaner" / "manifest.jsonl").read_text().splitlines()
    assert len(lines) == len(set(lines)) == 80  # every input once, none twice


def test_scheduler_without_dask_is_a_one_line_error(tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("x\n")
    code = ("import sys; sys.modules['distributed'] = None; sys.argv = ['cleaner', 'batch', %r, %r, "
            "'--scheduler', 'tcp://127.0.0.1:1']; from cleaner.cli import main; main()") % (str(src), str(tmp_path / "d"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == "cleaner: --scheduler needs Dask: pip install 'webtext-cleaner[dask]'"


def test_local_batch_imports_nothing_from_dask(tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Some text.\n")
    code = ("import sys; sys.argv = ['cleaner', 'batch', %r, %r]; from cleaner.cli import main\n"
            "try: main()\nexcept SystemExit: pass\n"
            "assert not [m for m in sys.modules if m.startswith(('dask', 'distributed'))], 'dask imported'") % (str(src), str(tmp_path / "d"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
