"""Tolerant matching: labels and headers as people type them, catalog names as one entry each."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from planstudio.model.entities import new_id

# "Root Cause # 2", "Root Cause No. 2", "Root Cause Number 2", "3.1 Overarching Need #1": the
# numbering is not part of what a label says.
_NUMBERING = re.compile(r"(?:#|\bno\.|\bnumber\b|\bnum\.)\s*\d*|\b\d+(?:\.\d+)*\b")
_NOT_WORD = re.compile(r"[\W_]+")


def label_key(label: str) -> str:
    """A label reduced to its words: case, spacing, punctuation and numbering ignored."""
    folded = unicodedata.normalize("NFKC", label).casefold()
    folded = _NUMBERING.sub(" ", folded)
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def name_key(name: str) -> str:
    """A catalog name reduced for matching: "Title I, Part A" = "title i part a"."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    # A name of only symbols (an emoji, say) is still a name: then only spacing is ignored.
    return _NOT_WORD.sub("", folded) or "".join(folded.split())


def value_key(text: str) -> str:
    """A typed answer reduced for comparing with a fixed one: "N/A" = "n a"; digits kept."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def has_words(key: str, *words: str) -> bool:
    padded = f" {key} "
    return all(f" {word}" in padded for word in words)


def choice_key(text: str) -> str:
    return name_key(text)


def match_choice(text: str, choices: dict[str, str]) -> str | None:
    """The code whose name `text` is, tolerantly: "demonstrates a rationale" → rationale."""
    key = choice_key(text)
    if not key:
        return None
    for code, name in choices.items():
        if key in (choice_key(name), choice_key(code)):
            return code
    # Small wording changes: the form's name starts the same way ("Coherent Instruction System").
    for code, name in choices.items():
        name_part = choice_key(name)
        if len(key) >= 6 and (name_part.startswith(key) or key.startswith(name_part)):
            return code
    return None


class CatalogBuilder:
    """Funding sources, roles or monitoring methods: one entry per distinct name, in order."""

    def __init__(self, name_field: str, existing: Iterable[dict[str, Any]] = ()) -> None:
        self.name_field = name_field
        self.entries: list[dict[str, Any]] = []
        self._by_key: dict[str, dict[str, Any]] = {}
        self.existing_ids: set[str] = set()
        for entry in existing:
            self._by_key.setdefault(name_key(str(entry[name_field])), entry)
            self.existing_ids.add(str(entry["id"]))

    def entry(self, name: str, **fields: Any) -> str | None:
        """The id of the entry called `name`, made if new; None for a blank name."""
        key = name_key(name)
        if not key:
            return None
        found = self._by_key.get(key)
        if found is None:
            found = {"id": new_id(), self.name_field: name, **fields}
            self.entries.append(found)
            self._by_key[key] = found
        return str(found["id"])

    def ids(self, names: Sequence[str]) -> list[str]:
        found: list[str] = []
        for name in names:
            entry_id = self.entry(name)
            if entry_id is not None and entry_id not in found:
                found.append(entry_id)
        return found
