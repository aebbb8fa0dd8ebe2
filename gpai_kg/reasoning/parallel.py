"""One function over many chunks, in order: in this process, on N worker
processes of this machine, or on a Dask cluster (``distributed``), with the
same results in the same order whichever runs it.

At most ``2 × workers`` chunks are in flight, so the memory held does not
grow with the number of chunks; results come back in the order of the chunks.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from gpai_kg.errors import UserError


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def ordered_map(fn: Callable[[Any], Any], chunks: Iterable, workers: int = 1, dask: Any = None,
                initializer: Callable | None = None, initargs: tuple = ()) -> Iterator:
    """``fn(chunk)`` for each chunk, in order. ``workers`` > 1: that many
    processes (forked, so what this process has loaded is theirs; each runs
    ``initializer(*initargs)`` first, its arguments inherited, not sent);
    ``dask``: a ``distributed.Client`` or a scheduler's address
    (``tcp://host:8786``)."""
    if dask is not None:
        yield from _on_dask(fn, chunks, dask)
    elif workers <= 1:
        for chunk in chunks:
            yield fn(chunk)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=initializer,
                                 initargs=initargs) as pool:
            yield from _window(pool.submit, fn, chunks, 2 * workers)


def _window(submit, fn, chunks: Iterable, size: int) -> Iterator:
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(fn, chunk))
        if len(pending) >= size:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _on_dask(fn, chunks: Iterable, dask) -> Iterator:
    from distributed import Client

    if isinstance(dask, Client):
        client = dask
    else:
        try:
            client = Client(dask, timeout="20s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise UserError(f"--dask {dask}: cannot reach the Dask scheduler ({exc.__class__.__name__}: {exc})") \
                from None
    try:
        size = 2 * max(1, sum(client.nthreads().values()))
        yield from _window(lambda f, chunk: client.submit(f, chunk, pure=False), fn, chunks, size)
    finally:
        if client is not dask:
            client.close()
