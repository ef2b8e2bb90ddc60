"""Files that arrive for import are untrusted: each bad one is one line, and nothing is written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from planstudio import cli
from planstudio.importers import ImportRefused, import_file, safety


def _docx_with(path: Path, part: str, data: bytes) -> Path:
    source = path.with_name("source.docx")
    docx.Document().save(str(source))
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in original.infolist():
            if info.filename != part:
                out.writestr(info, original.read(info))
        out.writestr(part, data)
    return path


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
)


def _not_zip(path: Path) -> Path:
    path.write_bytes(b"PK this is not really a zip " * 20)
    return path


def _zip_without_document(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("hello.txt", "hi")
    return path


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("word/document.xml", b"<a/>")
        out.writestr("[Content_Types].xml", b"<a/>")
        out.writestr("word/media/bomb.bin", b"\0" * (50 * 1024 * 1024))
    return path


def _broken_xml(path: Path) -> Path:
    return _docx_with(path, "word/document.xml", b"<w:document><w:body><unclosed")


CASES = {
    "not a zip": (_not_zip, "not a Word document"),
    "zip without a document": (_zip_without_document, "zip file but not a Word document"),
    "zip bomb": (_zip_bomb, "zip bomb"),
    "billion laughs": (lambda p: _docx_with(p, "word/document.xml", BILLION_LAUGHS), "DTD"),
    "external entity": (lambda p: _docx_with(p, "word/document.xml", EXTERNAL_ENTITY), "DTD"),
    "broken XML": (_broken_xml, "damaged"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_hostile_word_files_are_refused_in_one_line(tmp_path: Path, case: str, capsys) -> None:
    make, words = CASES[case]
    path = make(tmp_path / "plan.docx")
    with pytest.raises(ImportRefused, match=words):
        import_file(path)
    target = tmp_path / "new.psplan"
    assert cli.main(["import", str(path), "-o", str(target)]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("planstudio: error: ") and words in err
    assert not target.exists()


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "huge.docx"
    docx.Document().save(str(path))
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ImportRefused, match="more than any plan"):
        import_file(path)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_hostile_spreadsheets_are_refused(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"steps{suffix}"
    path.write_bytes(b"\x00\x01\x02 binary \xff\xfe" * 100)
    with pytest.raises(ImportRefused):
        import_file(path)


def test_xlsx_with_an_entity_trick_is_refused(tmp_path: Path) -> None:
    import openpyxl

    good = tmp_path / "good.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Action Step"])
    workbook.save(good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as original, zipfile.ZipFile(bad, "w") as out:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aa">]><worksheet', 1)
                assert b"DOCTYPE" in data
            out.writestr(info, data)
    with pytest.raises(ImportRefused, match="DTD"):
        import_file(bad)


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.odt"
    path.write_bytes(b"x")
    with pytest.raises(ImportRefused, match=r"imports \.docx, \.xlsx and \.csv"):
        import_file(path)
