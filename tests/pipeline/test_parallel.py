"""The one parallel map: ordered, chunked, context sent once, failures named, workers stopped."""

from __future__ import annotations

import os

import pytest

from analysis.pipeline.parallel import ParallelMap, serial_map


def scaled(context: int, item: int) -> int:
    return context * item


def fails_on_seven(context: None, item: int) -> int:
    if item == 7:
        raise ValueError(f"bad {item}")
    return item


def worker_state(context: object, item: int) -> tuple[int, int, int]:
    """The worker's pid, its BLAS thread limit and the context's identity, to see what each worker received."""
    from threadpoolctl import threadpool_info

    threads = max((pool["num_threads"] for pool in threadpool_info()), default=1)
    return os.getpid(), threads, id(context)


def test_results_come_back_in_input_order_whatever_the_workers_and_chunks():
    items = list(range(100))
    expected = [3 * i for i in items]
    assert list(serial_map(scaled, items, 3)) == expected
    assert list(ParallelMap(workers=1)(scaled, items, 3)) == expected
    assert list(ParallelMap(workers=2, chunk_size=7)(scaled, iter(items), 3)) == expected  # a stream, last chunk short


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failure_keeps_its_type_and_names_its_item(workers):
    with pytest.raises(ValueError, match="bad 7") as caught:
        list(ParallelMap(workers=workers, chunk_size=3)(fails_on_seven, range(20)))
    assert "(on item 8 of the input: 7)" in caught.value.__notes__


def test_workers_get_the_context_once_and_one_blas_thread():
    context = list(range(1000))
    seen = list(ParallelMap(workers=2, chunk_size=1)(worker_state, range(40), context))
    assert {threads for _, threads, _ in seen} == {1}
    by_worker: dict[int, set[int]] = {}
    for pid, _, context_id in seen:
        by_worker.setdefault(pid, set()).add(context_id)
    assert all(len(ids) == 1 for ids in by_worker.values())  # one copy per worker, not one per task
    assert os.getpid() not in by_worker


def test_an_abandoned_iteration_stops_early():
    results = ParallelMap(workers=2, chunk_size=1, progress="test")(scaled, range(10_000), 2)
    assert [next(results) for _ in range(3)] == [0, 2, 4]
    results.close()  # must return promptly: queued chunks are cancelled, the pool shut down


@pytest.mark.parametrize("field", ["workers", "chunk_size"])
def test_counts_must_be_positive(field):
    with pytest.raises(ValueError, match=f"{field} must be a positive integer"):
        ParallelMap(**{field: 0})
