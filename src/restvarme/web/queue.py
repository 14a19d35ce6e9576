"""The run queue: runs are executed by worker processes, never in the web process.

A :class:`RunQueue` keeps ``workers`` worker processes, each a
:class:`concurrent.futures.ProcessPoolExecutor` of one process started with ``spawn`` (no copy of
the web process's threads and sockets), which imports the numerical stack once when it starts
(:func:`restvarme.store.execute.warm_up`) and then executes run after run
(:func:`restvarme.store.execute.execute_run`), recording its phase, results or error in the store
itself. Runs wait in the queue's own list until a worker is free; one pool per worker, so that
a worker that dies takes no other worker's run with it.

The queue is bounded: at most ``workers + max_waiting`` runs are queued or running; one more is
refused with :class:`QueueFull` (the API answers 429 with a ``Retry-After`` header).

A worker that dies (killed, out of memory) breaks its pool: the run it was executing is marked
failed with the reason (a run it had not yet claimed goes back to the front of the queue), and
the next run gets a new worker.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from restvarme.store.execute import execute_run, warm_up
from restvarme.store.models import RunStatus
from restvarme.store.runs import RunStore

log = logging.getLogger("restvarme.web")


class QueueFull(Exception):
    """Every slot of the queue is taken; ``retry_after_s`` is a hint when to try again."""

    def __init__(self, capacity: int, retry_after_s: int) -> None:
        self.capacity, self.retry_after_s = capacity, retry_after_s
        super().__init__(
            f"the run queue is full ({capacity} runs queued or running); try again in "
            f"{retry_after_s} s"
        )


def _init_worker(server_mode: bool) -> None:
    import os

    if server_mode:
        os.environ["RESTVARME_SERVER_MODE"] = "1"
    warm_up()


@dataclass
class _Worker:
    """One worker process (a pool of one) and the run it executes."""

    pool: ProcessPoolExecutor | None = None
    run_id: int | None = None


class RunQueue:
    """Runs of ``store`` executed by ``workers`` processes, at most ``max_waiting`` waiting."""

    def __init__(
        self, store: RunStore, workers: int = 1, max_waiting: int = 8, retry_after_s: int = 10
    ) -> None:
        if workers < 1 or max_waiting < 0:
            raise ValueError("workers must be at least 1 and max_waiting at least 0")
        self.store, self.workers, self.max_waiting = store, workers, max_waiting
        self.retry_after_s = retry_after_s
        self._lock = threading.Lock()
        self._waiting: deque[int] = deque()
        self._slots = [_Worker() for _ in range(workers)]
        self._closed = False

    @property
    def capacity(self) -> int:
        return self.workers + self.max_waiting

    def _new_pool(self) -> ProcessPoolExecutor:
        from restvarme.errors import server_mode

        return ProcessPoolExecutor(
            1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(server_mode(),),
        )

    def _in_flight(self) -> int:
        return len(self._waiting) + sum(w.run_id is not None for w in self._slots)

    def in_flight(self) -> int:
        """Runs queued or running in this queue."""
        with self._lock:
            return self._in_flight()

    def start(self, create: Callable[[], int]) -> int:
        """Make a run with ``create`` (returns its id) and queue it, if there is a free slot;
        else raise :class:`QueueFull` without calling ``create``."""
        with self._lock:
            if self._closed or self._in_flight() >= self.capacity:
                raise QueueFull(self.capacity, self.retry_after_s)
            run_id = create()
            self._waiting.append(run_id)
            self._dispatch()
            return run_id

    def _dispatch(self) -> None:
        """Under the lock: give waiting runs to free workers."""
        for worker in self._slots:
            if self._closed or not self._waiting:
                return
            if worker.run_id is not None:
                continue
            run_id = self._waiting.popleft()
            if worker.pool is None:
                worker.pool = self._new_pool()
            pool = worker.pool
            worker.run_id = run_id
            future = pool.submit(execute_run, str(self.store.data_dir), self.store.url, run_id)
            future.add_done_callback(functools.partial(self._done, worker, run_id, pool=pool))

    def _done(
        self, worker: _Worker, run_id: int, future: Future, *, pool: ProcessPoolExecutor
    ) -> None:
        error = None if future.cancelled() else future.exception()
        with self._lock:
            if worker.run_id == run_id:
                worker.run_id = None
            try:
                self._ended(worker, run_id, future, error, pool)
            finally:
                self._dispatch()

    def _ended(
        self,
        worker: _Worker,
        run_id: int,
        future: Future,
        error: BaseException | None,
        pool: ProcessPoolExecutor,
    ) -> None:
        """Under the lock: record how a run's future ended, unless its worker did."""
        if future.cancelled():  # by shutdown, before it started
            self.store.end(
                run_id, RunStatus.failed, "the server stopped before it started; run it again"
            )
            return
        if error is None:
            return
        if not isinstance(error, BrokenProcessPool):
            log.error("run %s: %s: %s", run_id, type(error).__name__, error)
            self.store.end(run_id, RunStatus.failed, f"internal error ({type(error).__name__})")
            return
        if worker.pool is pool:
            worker.pool = None  # its next run gets a new worker
        info = self.store.run(run_id)
        if info["status"] == RunStatus.queued.value and not self._closed:
            self._waiting.appendleft(run_id)  # had not started: first in line again
            return
        self.store.end(
            run_id,
            RunStatus.failed,
            f"the worker process running it ended during its {info['phase'] or 'start'} phase "
            "(killed, or out of memory); run it again",
        )

    def shutdown(self, wait: bool = False) -> None:
        """Stop taking runs; fail those still waiting; let running ones finish in their workers
        (``wait``: wait for them)."""
        with self._lock:
            self._closed = True
            waiting, self._waiting = list(self._waiting), deque()
            pools = [w.pool for w in self._slots if w.pool is not None]
            for w in self._slots:
                w.pool = None
        for run_id in waiting:
            self.store.end(
                run_id, RunStatus.failed, "the server stopped before it started; run it again"
            )
        for pool in pools:
            pool.shutdown(wait=wait, cancel_futures=True)
