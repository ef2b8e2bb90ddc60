"""Model modules the window names when it is imported but loads only once a plan needs them.

The start page, the menus and the empty panels need nothing of the model's tables, so the
window comes up without importing SQLAlchemy and the ORM (about a third of its cold start).
A ui module that uses, say, `reading` in its methods writes

    if TYPE_CHECKING:
        from planstudio.model import reading
    else:
        reading = deferred("planstudio.model.reading")

and calls `reading.items(...)` as before: the first attribute looked up imports the module.
Once the window has painted, a worker thread imports them (`start_loading_plan_modules`), so
that opening a plan does not wait for them, and then the exporters, so that the first export
does not import them on its thread while the window waits for the interpreter lock. A first
use meanwhile waits for that worker to finish rather than import alongside it: two threads
importing the same modules in different orders can deadlock on Python's module locks.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import sys
import threading
from typing import Any

from planstudio.model.collection import collection_paused

# The worker importing the plan's modules, while it runs.
_loader: threading.Thread | None = None


class DeferredModule:
    """Stands for a module until its first attribute is looked up, then forwards to it."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        loader = _loader
        if loader is not None and loader is not threading.current_thread():
            loader.join()
        # sys.modules first: a dictionary look-up, where import_module checks a parent
        # package and the module's initialisation each time. A module still being
        # imported by another thread is only found in the second way, which waits for it.
        module = sys.modules.get(self._name)
        if module is None or getattr(module.__spec__, "_initializing", False):
            module = importlib.import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<deferred module {self._name!r}>"


def deferred(name: str) -> Any:
    """`name` as a module that is imported on first use (already loaded: the module itself)."""
    module = sys.modules.get(name)
    return module if module is not None else DeferredModule(name)


# What showing and checking a plan imports: the tables, SQLAlchemy and the ORM with them.
PLAN_MODULES = (
    "planstudio.model.document",
    "planstudio.model.reading",
    "planstudio.model.clipboard",
    "planstudio.model.numbering",
    "planstudio.model.queries",
    "planstudio.model.loading",
    "planstudio.model.spelling",
    "planstudio.model.checks",
    "planstudio.model.validation",
)


# What an export imports: reportlab, the Word writer, the layouts. Each may be missing from an
# installation (a failed import is reported by the export that needs it).
EXPORT_MODULES = (
    "planstudio.export",
    "planstudio.export.pdf",
    "planstudio.export.docx",
)


def start_loading_plan_modules() -> threading.Thread:
    """Import what showing a plan needs on a worker thread, which is returned."""
    global _loader
    # Not a daemon: the interpreter's exit waits for a half-done import to finish.
    _loader = threading.Thread(target=load_plan_modules, name="load-plan-modules")
    _loader.start()
    return _loader


def load_plan_modules() -> None:
    """Import what showing a plan needs, as opening one would.

    A failure is left for the import on first use to report, where the user sees it. The
    collector is held meanwhile: its passes over the objects being imported would hold
    Python's lock, and the window would stop for them (tens of ms each). What the imports
    made lives as long as the program, so it goes where the collector no longer scans:
    left young, the objects of the exporters' imports (tens of thousands) were scanned by
    the first collections after the first export, 10-40 ms each on the window's thread.
    """
    global _loader
    try:
        # The process's one counted pause: a check slice or export ending meanwhile must
        # not turn collection back on under these imports.
        with collection_paused():
            try:
                for name in PLAN_MODULES:
                    importlib.import_module(name)
                for name in EXPORT_MODULES:
                    with contextlib.suppress(ImportError):
                        importlib.import_module(name)
            finally:
                gc.freeze()
    except Exception:  # reported again, and properly, by the import on first use
        return
    finally:
        if _loader is threading.current_thread():
            _loader = None
