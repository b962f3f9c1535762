"""One parallel map for every stage: reading files, cleaning articles, fitting models.

:class:`ParallelMap` is the only place where the package starts worker processes. It is
ordered (results come back in input order, so a corpus or a sweep is the same for any
number of workers), chunked (items travel to workers in chunks, so small tasks do not pay
one round trip each), bounded (only a few chunks are in flight, so a streamed archive is
never held whole), and it names the failing item when a worker raises.

A task is a picklable top-level function ``func(context, item)``. The ``context`` (rules,
a cleaning configuration, a vector space) is what every item needs; it is sent to each
worker once when the worker starts, instead of once per item, and handed back to ``func``
as its first argument, so no module keeps worker state of its own.

Stages before this one (``ingest``) accept any *mapper* with the same call signature, so
the pipeline decides how work is spread: :func:`serial_map` in this process, a
:class:`ParallelMap` over local processes, or later a cluster backend.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol, TypeVar

from analysis.checks import positive_int

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Chunks queued per worker: enough to keep every worker busy while the parent consumes
#: results, few enough that memory does not grow with the input.
CHUNKS_IN_FLIGHT_PER_WORKER = 2

_CONTEXT: Any = None  # in a worker process: the context it was started with (set by _start_worker)


class Mapper(Protocol):
    """What the stages call to apply ``func(context, item)`` to many items, in order."""

    def __call__(
        self, func: Callable[[Any, Item], Result], items: Iterable[Item], context: Any = None
    ) -> Iterator[Result]: ...


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1.

    Returns
    -------
    int
        ``len(os.sched_getaffinity(0))`` where available, else ``os.cpu_count()``.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores)


def can_spawn() -> bool:
    """Whether ``spawn`` workers can start: they re-import the main script, which must be a file.

    Returns
    -------
    bool
        False in an interpreter fed from standard input, where workers could not start.
    """
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    return main_file is None or os.path.exists(main_file)


def serial_map(func: Callable[[Any, Item], Result], items: Iterable[Item], context: Any = None) -> Iterator[Result]:
    """``func(context, item)`` for each item, in this process, lazily; a failure names its item.

    Parameters
    ----------
    func : callable
        The task.
    items : iterable
        Its inputs.
    context : Any
        Passed to every call.

    Yields
    ------
    Any
        Each result, in input order.
    """
    for index, item in enumerate(items):
        yield call_task(func, context, item, index)


def call_task(func: Callable[[Any, Item], Result], context: Any, item: Item, index: int) -> Result:
    """``func(context, item)``; an exception gets a note naming the item and its place in the input.

    Every mapper runs its tasks through this (here, in worker processes, in Spark tasks), so a
    failure reads the same on every backend.
    """
    try:
        return func(context, item)
    except Exception as error:
        error.add_note(f"(on item {index + 1} of the input: {_describe(item)})")
        raise


def with_progress(results: Iterable[Result], label: str | None, unit: str, total: int | None) -> Iterator[Result]:
    """``results`` with a progress bar over them (none when ``label`` is None): a mapper's progress.

    Parameters
    ----------
    results : iterable
        A mapper's results, consumed lazily.
    label : str or None
        The bar's label.
    unit : str
        What a result is called ("file", "article", "fit").
    total : int or None
        How many results to expect, when known.

    Yields
    ------
    Any
        Each result, unchanged.
    """
    if label is None:
        yield from results
        return
    from tqdm.auto import tqdm

    with tqdm(total=total, desc=label, unit=unit) as bar:
        for result in results:
            bar.update()
            yield result


def _start_worker(context: Any) -> None:
    """Worker initialiser: keep the context every task of this worker receives; one BLAS thread.

    The workers already use the cores, and results must not depend on their number, so each
    worker's BLAS runs on one thread (set through threadpoolctl: numpy is loaded by the time
    an initialiser runs, so environment variables would come too late).
    """
    global _CONTEXT
    _CONTEXT = context
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)


def _run_chunk(func: Callable[[Any, Any], Any], chunk: list[Any], start: int) -> list[Any]:
    """Run ``func`` on each item of a chunk in a worker; ``start`` is the chunk's place in the input."""
    return [call_task(func, _CONTEXT, item, start + position) for position, item in enumerate(chunk)]


def _describe(item: Any, width: int = 120) -> str:
    """A short printable description of an item for error notes."""
    text = repr(item)
    return text if len(text) <= width else text[: width - 1] + "…"


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass(frozen=True)
class ParallelMap:
    """An ordered, chunked map over ``workers`` processes (``spawn``), with a progress bar.

    Attributes
    ----------
    workers : int
        Processes; 1 runs every task in this process (no pool is started).
    chunk_size : int
        Items sent to a worker at a time.
    progress : str or None
        Label of a progress bar over items; None shows none.
    unit : str
        What an item is called in the progress bar ("file", "article", "fit").
    total : int or None
        Number of items, for the progress bar when ``items`` has no length.

    Examples
    --------
    >>> from analysis.pipeline.parallel import ParallelMap
    >>> list(ParallelMap(workers=1)(pow, [1, 2, 3], context=2))
    [2, 4, 8]
    """

    workers: int = 1
    chunk_size: int = 1
    progress: str | None = None
    unit: str = "item"
    total: int | None = None

    def __post_init__(self) -> None:
        positive_int(self.workers, "workers", "ParallelMap")
        positive_int(self.chunk_size, "chunk_size", "ParallelMap")

    def __call__(
        self, func: Callable[[Any, Item], Result], items: Iterable[Item], context: Any = None
    ) -> Iterator[Result]:
        """Yield ``func(context, item)`` for each item, in input order.

        Parameters
        ----------
        func : callable
            A picklable top-level function of ``(context, item)``.
        items : iterable
            Inputs; consumed lazily, a few chunks ahead of the results.
        context : Any
            Sent once to each worker and passed to every call.

        Yields
        ------
        Any
            Results in input order.

        Raises
        ------
        Exception
            The first failing task's own exception (``InputError`` naming a file stays an
            ``InputError``), with a note naming the item it failed on.
        """
        results = self._results(func, items, context)
        try:
            total = self.total if self.total is not None else (len(items) if hasattr(items, "__len__") else None)
            yield from with_progress(results, self.progress, self.unit, total)
        finally:  # an abandoned iteration stops the workers now, not when the generator is collected
            results.close()

    def _results(self, func: Callable[[Any, Item], Result], items: Iterable[Item], context: Any) -> Iterator[Result]:
        if self.workers == 1 or not can_spawn():
            yield from serial_map(func, items, context)
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        spawn = multiprocessing.get_context("spawn")  # never fork a notebook kernel's threads
        pool = ProcessPoolExecutor(self.workers, mp_context=spawn, initializer=_start_worker, initargs=(context,))
        try:
            pending: deque = deque()
            limit = self.workers * CHUNKS_IN_FLIGHT_PER_WORKER
            for number, chunk in enumerate(_chunks(items, self.chunk_size)):
                pending.append(pool.submit(_run_chunk, func, chunk, number * self.chunk_size))
                if len(pending) >= limit:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:  # on an error or an abandoned iteration, queued chunks are dropped, not run
            pool.shutdown(wait=True, cancel_futures=True)
