"""The run queue: runs are executed by worker processes, never in the web process.

A :class:`RunQueue` holds a :class:`concurrent.futures.ProcessPoolExecutor` of ``workers``
processes, started with ``spawn`` (no copy of the web process's threads and sockets), each of
which imports the numerical stack once when it starts (:func:`restvarme.store.execute.warm_up`)
and then executes run after run (:func:`restvarme.store.execute.execute_run`), recording its
phase, results or error in the store itself.

The queue is bounded: at most ``workers + max_waiting`` runs are queued or running; one more is
refused with :class:`QueueFull` (the API answers 429 with a ``Retry-After`` header).

A worker that dies (killed, out of memory) breaks the pool: the run it was executing is marked
failed with the reason, runs that had not started yet are given to a new pool.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

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
        self._futures: dict[int, Future] = {}
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False

    @property
    def capacity(self) -> int:
        return self.workers + self.max_waiting

    def _new_pool(self) -> ProcessPoolExecutor:
        from restvarme.errors import server_mode

        return ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(server_mode(),),
        )

    def in_flight(self) -> int:
        """Runs queued or running in this queue."""
        with self._lock:
            return len(self._futures)

    def start(self, create: Callable[[], int]) -> int:
        """Make a run with ``create`` (returns its id) and queue it, if there is a free slot;
        else raise :class:`QueueFull` without calling ``create``."""
        with self._lock:
            if self._closed:
                raise QueueFull(self.capacity, self.retry_after_s)
            if len(self._futures) >= self.capacity:
                raise QueueFull(self.capacity, self.retry_after_s)
            run_id = create()
            self._submit(run_id)
            return run_id

    def _submit(self, run_id: int) -> None:
        """Under the lock: give a run to the pool."""
        if self._pool is None:
            self._pool = self._new_pool()
        pool = self._pool
        future = pool.submit(execute_run, str(self.store.data_dir), self.store.url, run_id)
        self._futures[run_id] = future
        future.add_done_callback(lambda f: self._done(run_id, f, pool))

    def _done(self, run_id: int, future: Future, pool: ProcessPoolExecutor) -> None:
        error = None if future.cancelled() else future.exception()
        with self._lock:
            if self._futures.get(run_id) is future:
                del self._futures[run_id]
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
            if self._pool is pool:
                self._pool = None  # the next submit makes a new pool
            status = self.store.run(run_id)["status"]
            if status == RunStatus.queued.value and not self._closed:
                self._submit(run_id)  # had not started: give it to a new pool
                return
            phase = self.store.run(run_id)["phase"] or "start"
            self.store.end(
                run_id,
                RunStatus.failed,
                f"the worker process running it ended during its {phase} phase (killed, or out "
                "of memory); run it again",
            )

    def shutdown(self, wait: bool = False) -> None:
        """Stop taking runs; let running ones finish in their workers (``wait``: wait)."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)
