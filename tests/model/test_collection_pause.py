"""A pause of the garbage collector on one thread is not ended by another thread's pause ending.

The window's problems check pauses the collector for each slice while an export or
a save on a worker has paused it too; a slice's end that turned it back on let a
collection scan the worker's whole young heap, holding the interpreter lock.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from planstudio.model.collection import collection_paused, release_in_pieces
from planstudio.model.loading import collection_paused as loading_pause

pytestmark = pytest.mark.timeout(30)


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_stays_paused_until_the_last_pause_ends() -> None:
    worker_in = threading.Event()
    window_done = threading.Event()
    seen: list[bool] = []

    def worker() -> None:
        with collection_paused():  # an export, begun during a slice of the check
            worker_in.set()
            window_done.wait(10)
            seen.append(gc.isenabled())

    thread = threading.Thread(target=worker)
    with loading_pause():  # the window's slice
        thread.start()
        assert worker_in.wait(10)
    assert not gc.isenabled()  # the slice is over, the export is not
    window_done.set()
    thread.join(10)
    assert seen == [False]
    assert gc.isenabled()


def test_a_pause_leaves_a_collector_that_was_off_off() -> None:
    gc.disable()
    with collection_paused(), collection_paused():
        pass
    assert not gc.isenabled()


def test_a_document_is_emptied_part_by_part() -> None:
    area = {"title": "an area"}
    document = {"plan": {"goal_areas": [{"objectives": [{"title": "x"}] * 3}, area]}, "n": 1}
    release_in_pieces(document)
    assert document == {}
    assert area == {}  # a part: emptied too
