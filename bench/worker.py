"""A Celery worker process (-c 1) on a benchmark's database and queue, its peak memory sampled
from /proc while it runs."""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from bench import ROOT


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process in kB ({} when it is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    values = {}
    for line in lines:
        key, _sep, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (from /proc/<pid>/task/*/children)."""
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                todo.extend(int(c) for c in (task / "children").read_text().split())
    return tree


class Worker:
    """One Celery worker process (-c 1) on the benchmark's database and queue."""

    def __init__(self, env: dict, queue: str, log: Path):
        celery = Path(sys.executable).with_name("celery")
        command = [str(celery)] if celery.exists() else [sys.executable, "-m", "celery"]
        self.log = log
        self.process = subprocess.Popen(
            [
                *command,
                "-A",
                "config",
                "worker",
                "-l",
                "info",
                "-P",
                "prefork",
                "-c",
                "1",
                "-Q",
                queue,
                "-n",
                f"bench-{uuid.uuid4().hex[:8]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.peak_hwm_kb = 0
        self.peak_rss_kb = 0
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"the worker did not start:\n{self.log.read_text()[-3000:]}")

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.measure()
            time.sleep(0.2)

    def measure(self) -> None:
        statuses = [proc_status(pid) for pid in process_tree(self.process.pid)]
        self.peak_hwm_kb = max(self.peak_hwm_kb, sum(s.get("VmHWM", 0) for s in statuses))
        self.peak_rss_kb = max(self.peak_rss_kb, sum(s.get("VmRSS", 0) for s in statuses))

    def stop(self) -> None:
        self.measure()
        self._stop.set()
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
