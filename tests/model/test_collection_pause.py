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


def test_large_structures_are_emptied_in_steps() -> None:
    from planstudio.model import collection

    by_id = {f"id-{n}": {"n": n} for n in range(collection._ENTRIES_A_STEP * 2 + 5)}
    rows = [(n, n) for n in range(10)]
    steps = collection.release_in_steps(by_id, rows)
    next(steps)  # a step frees a few thousand entries, then lets the caller go on
    assert 0 < len(by_id) < collection._ENTRIES_A_STEP * 2 + 5
    for _ in steps:
        pass
    assert by_id == {} and rows == []


def test_a_checker_let_go_is_emptied_in_steps() -> None:
    from planstudio.model import PlanDocument
    from planstudio.model.checks import Checker
    from tests.model.test_checks import complete_document

    document = complete_document("ga-dip")
    document["goal_areas"][0]["goal"] = ""
    with PlanDocument.from_interchange(document) as plan:
        checker = Checker(plan.plan, "ga-dip")
        assert checker.run()
        for _ in checker.release_in_steps():
            pass
        assert checker.findings == [] and checker.facts.years  # what it read and found, gone
