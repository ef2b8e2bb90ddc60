"""Spelling: words of the plan's text that neither the English dictionary nor the user's know.

The English dictionary is pyspellchecker's (a word-frequency list shipped inside the
package, so nothing is downloaded); the user's own words are kept one a line in
`dictionary.txt` in the data folder, so that "Add to Dictionary" lasts and goes
with the user's settings.  Words that are all capitals (ELA, DIP), hold a digit
(K-2, 3rd) or are codes (effective_leadership) are not checked.
"""

from __future__ import annotations

import codecs
import json
import pkgutil
import re
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planstudio.model.kinds import CATALOG_KINDS, KINDS, Kind
from planstudio.model.numbering import number_plan
from planstudio.paths import data_dir

if TYPE_CHECKING:
    from planstudio.model.entities import Plan
    from planstudio.model.item_tree import ReadPlan

PERSONAL_FILE = "dictionary.txt"
# What pyspellchecker's WordFrequency works out over its whole list after each load.
_TOTALS = ("_longest_word_length", "_total_words", "_unique_words", "_letters")
MAX_SUGGESTIONS = 5
# A word: letters, with apostrophes inside ("don't", "district’s"); digits make it a code.
WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’](?=[^\W\d_]))*")


@dataclass(frozen=True)
class Misspelling:
    kind: str
    item_id: str
    field: str
    number: str  # the item's number in the outline, "" for the plan and catalog entries
    word: str


def words(text: str) -> Iterator[tuple[int, str]]:
    """(position, word) of each word worth checking in a text."""
    for match in WORD.finditer(text):
        word = match.group(0)
        end = match.end()
        if end < len(text) and (text[end].isdigit() or text[end] == "_"):
            continue  # part of a code or a grade ("K2", "tsi_atsi")
        start = match.start()
        if start and (text[start - 1].isdigit() or text[start - 1] == "_"):
            continue  # "3rd", "fund_400"
        if len(word) < 2 or word.isupper():
            continue  # "a", "ELA", "DIP": acronyms are the plan's own
        yield start, word


def _lines_of_gzip(packed: bytes, bytes_a_step: int = 1 << 18) -> Iterator[list[str]]:
    """The lines of a gzipped UTF-8 text, a quarter megabyte of it per step.

    Unpacked and split at once, the word list took 30 ms of the window's thread.
    """
    inflater = zlib.decompressobj(wbits=31)  # 31: a gzip header and trailer
    decoder = codecs.getincrementaldecoder("utf-8")()
    pending, tail = packed, ""
    while pending:
        text = tail + decoder.decode(inflater.decompress(pending, bytes_a_step))
        pending = inflater.unconsumed_tail
        cut = text.rfind("\n") + 1
        tail = text[cut:]
        yield text[:cut].splitlines()
    yield (tail + decoder.decode(inflater.flush(), final=True)).splitlines()


class Speller:
    """The English dictionary and the user's words; loading takes a moment, so begin it early."""

    def __init__(self, personal: Path | None = None) -> None:
        self.personal = personal if personal is not None else data_dir() / PERSONAL_FILE
        self._checker: Any = None
        self._own: set[str] = set()
        self._loaded = threading.Event()
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ loading

    def load(self) -> None:
        """Read the dictionaries (a fifth of a second); call from any thread, as often as wanted."""
        with self._lock:
            if self._loaded.is_set():
                return
            from spellchecker import SpellChecker

            self._checker = SpellChecker(language="en", distance=2)
            self._own = self._read_own()
            self._loaded.set()

    def load_in_steps(self, entries_a_step: int = 3000) -> Iterator[None]:
        """Read the dictionaries a few milliseconds at a time, for a caller that must keep
        answering between steps (the window); `load` reads them at once.

        pyspellchecker parses its word list in one call that holds Python's lock for a
        tenth of a second and more, so no thread could keep the window answering; its file
        holds one word a line, so it is parsed here a slice of lines at a time, into the
        same counts `SpellChecker(language="en")` makes.
        """
        if self.loaded:
            return
        from spellchecker import SpellChecker

        checker = SpellChecker(language=None, distance=2)
        yield
        lines: list[str] = []
        packed = pkgutil.get_data("spellchecker", "resources/en.json.gz") or b""
        for piece in _lines_of_gzip(packed):
            lines.extend(piece)
            yield
        frequency = checker.word_frequency
        counts = frequency.dictionary
        letters: set[str] = set()
        for at in range(0, len(lines), entries_a_step):
            if self.loaded:
                return  # read at once meanwhile, by a question that could not wait
            entries = [line.rstrip(",") for line in lines[at : at + entries_a_step]]
            chunk = json.loads("{" + ",".join(e for e in entries if e.startswith('"')) + "}")
            for word, count in chunk.items():
                counts[word.lower()] += count  # as load_json does: words differing in case summed
            letters.update(*chunk.keys())
            yield
        # The list's totals, as load_json works them out; those of its scan over every word
        # that take longest are gathered above a slice at a time.
        if all(hasattr(frequency, name) for name in _TOTALS):
            frequency._longest_word_length = max(map(len, counts))
            yield
            frequency._total_words = sum(counts.values())
            frequency._unique_words = len(counts)
            frequency._letters = {letter.lower() for letter in letters}
        else:  # a later pyspellchecker: its own way, at once
            frequency.load_json({})
        own = self._read_own()
        with self._lock:
            if not self._loaded.is_set():
                self._checker = checker
                self._own = own
                self._loaded.set()

    @property
    def loaded(self) -> bool:
        return self._loaded.is_set()

    def _read_own(self) -> set[str]:
        try:
            text = self.personal.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return set()
        return {line.strip().casefold() for line in text.splitlines() if line.strip()}

    # ------------------------------------------------------------------ questions

    def known(self, word: str) -> bool:
        """True for a word either dictionary has, in any capitalisation the plan gives it."""
        self.load()
        key = word.casefold().replace("’", "'")
        if key in self._own:
            return True
        return _known(self._checker, key)

    def misspelled(self, text: str) -> list[tuple[int, str]]:
        """(position, word) of each unknown word of a text."""
        return [(at, word) for at, word in words(text) if not self.known(word)]

    def suggestions(self, word: str) -> list[str]:
        """The likeliest corrections, most common first, in the word's capitalisation."""
        self.load()
        found = self._checker.candidates(word.casefold()) or set()
        ranked = sorted(
            found - {word.casefold()}, key=lambda w: -self._checker.word_usage_frequency(w)
        )
        shaped = [w.capitalize() if word[:1].isupper() else w for w in ranked]
        return shaped[:MAX_SUGGESTIONS]

    def add(self, word: str) -> None:
        """Add a word to the user's dictionary, for this and every later session."""
        self.load()
        key = word.strip().casefold()
        if not key or key in self._own:
            return
        self.personal.parent.mkdir(parents=True, exist_ok=True)
        with self.personal.open("a", encoding="utf-8") as file:
            file.write(f"{word.strip()}\n")
        self._own.add(key)


def _known(checker: Any, word: str) -> bool:
    if word in checker:
        return True
    if "'" in word:  # "district's", "don't": the word before the apostrophe is enough
        return word.split("'", 1)[0] in checker
    return False


# ---------------------------------------------------------------------------- a whole plan


def _text_values(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        yield from (entry for entry in value if isinstance(entry, str))


def _item_misspellings(
    speller: Speller, kind: Kind, item: Any, number: str
) -> Iterator[Misspelling]:
    for spec in kind.fields:
        if spec.ref is not None:
            continue
        for text in _text_values(getattr(item, spec.name, None)):
            if " " not in text.strip() and "_" in text:
                continue  # a code of the vocabulary, not prose
            seen: set[str] = set()
            for _at, word in speller.misspelled(text):
                if word not in seen:
                    seen.add(word)
                    yield Misspelling(kind.name, item.id, spec.name, number, word)


def check_plan(plan: Plan | ReadPlan, speller: Speller) -> list[Misspelling]:
    """Every unknown word of the plan's text, in plan order, once per field."""
    numbers = number_plan(plan)
    found = list(_item_misspellings(speller, KINDS["plan"], plan, ""))
    for area in plan.goal_areas:
        found += _item_misspellings(speller, KINDS["goal_area"], area, numbers[area.id])
        for objective in area.objectives:
            number = numbers[objective.id]
            found += _item_misspellings(speller, KINDS["objective"], objective, number)
            for measure in objective.measures:
                found += _item_misspellings(speller, KINDS["measure"], measure, number)
            for strategy in objective.strategies:
                number = numbers[strategy.id]
                found += _item_misspellings(speller, KINDS["strategy"], strategy, number)
                for step in strategy.action_steps:
                    number = numbers[step.id]
                    found += _item_misspellings(speller, KINDS["action_step"], step, number)
    for catalog in CATALOG_KINDS:
        for entry in getattr(plan, KINDS[catalog].collection or ""):
            found += _item_misspellings(speller, KINDS[catalog], entry, "")
    return found


def format_misspellings(plan: Plan | ReadPlan, found: list[Misspelling]) -> list[str]:
    """One line per unknown word for the command line: where, which field, the word."""
    lines = []
    for entry in found:
        kind = KINDS[entry.kind]
        label = plan.labels[kind.level - 1] if kind.level is not None else kind.label
        where = f"{label} {entry.number}" if entry.number else label
        lines.append(f"{where} · {entry.field.replace('_', ' ')}: {entry.word}")
    return lines
