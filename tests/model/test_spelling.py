"""Spelling: unknown words found offline, corrections offered, the user's words kept."""

from __future__ import annotations

import copy
from pathlib import Path

from planstudio.cli import main
from planstudio.model.spelling import PERSONAL_FILE, Speller, words
from planstudio.paths import data_dir
from tests.model.test_cli_check import SOUND, _plan


def test_words_worth_checking_leave_out_acronyms_grades_and_codes() -> None:
    text = "ELA coaches in K-2 and 3rd grade; tsi_atsi fund_400 district’s Teh"
    assert [word for _at, word in words(text)] == ["coaches", "in", "and", "grade", "district’s",
                                                   "Teh"]  # fmt: skip


def test_unknown_words_have_corrections_and_the_users_words_are_kept(tmp_path: Path) -> None:
    speller = Speller(tmp_path / PERSONAL_FILE)
    text = "Teachers recieve coaching from Dr. Okonkwo"
    assert [word for _at, word in speller.misspelled(text)] == ["recieve", "Okonkwo"]
    assert speller.suggestions("recieve")[0] == "receive"
    assert speller.suggestions("Recieve")[0] == "Receive"
    speller.add("Okonkwo")
    assert [word for _at, word in speller.misspelled(text)] == ["recieve"]
    # Another session reads the user's dictionary from the data folder.
    assert [w for _a, w in Speller(tmp_path / PERSONAL_FILE).misspelled(text)] == ["recieve"]
    assert (tmp_path / PERSONAL_FILE).read_text("utf-8") == "Okonkwo\n"


def test_check_spelling_lists_each_unknown_word_with_its_place(tmp_path: Path, capsys) -> None:
    document = copy.deepcopy(SOUND)
    step = document["goal_areas"][0]["objectives"][0]["strategies"][0]["action_steps"][0]
    step["text"] = "Hire tutors and recieve trainning"
    plan = _plan(tmp_path, document)
    assert main(["check", str(plan)]) == 0  # without --spelling, nothing to report
    capsys.readouterr()
    assert main(["check", "--spelling", str(plan)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Spelling: Action Step 1A.1.a · text: recieve",
        "Spelling: Action Step 1A.1.a · text: trainning",
    ]
    Speller(data_dir() / PERSONAL_FILE).add("trainning")
    assert main(["check", "--spelling", str(plan)]) == 1
    assert capsys.readouterr().out.splitlines() == ["Spelling: Action Step 1A.1.a · text: recieve"]


def test_reading_in_steps_gives_the_dictionary_reading_at_once_gives(tmp_path) -> None:
    whole, stepped = Speller(tmp_path / "a.txt"), Speller(tmp_path / "b.txt")
    whole.load()
    steps = sum(1 for _ in stepped.load_in_steps())
    assert steps > 10 and stepped.loaded
    a, b = whole._checker.word_frequency, stepped._checker.word_frequency
    assert a.dictionary == b.dictionary
    assert (a.total_words, a.unique_words, a.longest_word_length, a.letters) == (
        b.total_words, b.unique_words, b.longest_word_length, b.letters)  # fmt: skip
    for word in ("recieve", "attendence", "district’s", "Okonkwo"):
        assert whole.known(word) == stepped.known(word)
        assert whole.suggestions(word) == stepped.suggestions(word)
