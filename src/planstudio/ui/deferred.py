"""Model modules the window names when it is imported but loads only once a plan needs them.

The start page, the menus and the empty panels need nothing of the model's tables, so the
window comes up without importing SQLAlchemy and the ORM (about a third of its cold start).
A ui module that uses, say, `reading` in its methods writes

    if TYPE_CHECKING:
        from planstudio.model import reading
    else:
        reading = deferred("planstudio.model.reading")

and calls `reading.items(...)` as before: the first attribute looked up imports the module.
The import goes through `importlib.import_module`, whose module locks make it safe while a
worker thread imports the same module (`importlib.util.LazyLoader` is not, on Python 3.11).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any


class DeferredModule:
    """Stands for a module until its first attribute is looked up, then forwards to it."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
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


def load_model() -> None:
    """Import the plan's tables and read path now, as opening a plan would."""
    importlib.import_module("planstudio.model.document")
    importlib.import_module("planstudio.model.reading")
