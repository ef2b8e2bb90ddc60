"""Importing reportlab without the one regular expression that made a third of its start.

`reportlab.platypus.paragraph`, which `reportlab.platypus` always imports, compiles at import
a URL pattern (Django's URL validator) whose class `[a-z\\xa1-\\uffff0-9]` is case-insensitive:
`re` folds the case of some 65,000 characters to compile it, 30-40 ms of every export's
start.  reportlab uses it only to break a long link inside its own Paragraph, which Plan
Studio does not draw with (see `writer`).  While that module is imported, this one pattern is
handed out uncompiled and compiles on first use; every other pattern compiles as always.  If a
reportlab release changes the pattern, it no longer matches the prefix below and is compiled
at import as before: slower, never wrong.
"""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

# The pattern's first group, as `reportlab.platypus.paragraph` (reportlab 4 and 5) writes it.
URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"

_compile = re.compile  # the real one, whatever the module attribute is at the time
_importing = threading.Lock()
_compiling = threading.Lock()


class PatternCompiledOnFirstUse:
    """Stands in for a compiled pattern: compiles it the first time any attribute is asked."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            with _compiling:
                if self._compiled is None:
                    self._compiled = _compile(*self._source)
        return self._compiled

    def __getattr__(self, name: str) -> Any:  # match, search, pattern, flags, …
        return getattr(self.compiled(), name)


def import_platypus() -> None:
    """Import `reportlab.platypus` (once per process) with the URL pattern left uncompiled."""
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    with _importing:
        if "reportlab.platypus.paragraph" in sys.modules:
            return
        compile_now = re.compile

        def compile_unless_url_pattern(pattern: Any, flags: int = 0) -> Any:
            if isinstance(pattern, str) and pattern.startswith(URI_PATTERN_START):
                return PatternCompiledOnFirstUse(pattern, flags)
            return compile_now(pattern, flags)

        # Another thread compiling meanwhile goes through the same function and gets what
        # `re.compile` would give it.
        re.compile = compile_unless_url_pattern
        try:
            import reportlab.platypus  # noqa: F401 - the import is the point
        finally:
            re.compile = compile_now
