"""The Word file's package, read back: the parts taken from python-docx's template with our
styles, settings and properties, every part typed and every relationship resolved, and the
body's deflating thread handing back its errors."""

from __future__ import annotations

import io
import os
import posixpath
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from planstudio.export import export_snapshot
from planstudio.export.docx.package import ChunkedWriter, template_path
from planstudio.paths import resources_dir
from tests.export.helpers import EXPORTED, PLANS, load_plan_json

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
SRC = Path(__file__).resolve().parents[2] / "src"


def _export(tmp_path: Path, layout: str, language: str = "en-US") -> Path:
    snapshot = load_plan_json("full.json")
    snapshot["plan"]["language"] = language
    out = tmp_path / f"{layout}.docx"
    export_snapshot(snapshot, "docx", out, layout=layout, exported=EXPORTED)
    return out


def _xml(archive: zipfile.ZipFile, name: str) -> Any:
    return etree.fromstring(archive.read(name))


def _shape(element: Any) -> tuple[Any, ...]:
    """An element's name, attributes and children, less the whitespace between them."""
    children = tuple(_shape(child) for child in element if isinstance(child.tag, str))
    return (element.tag, sorted(element.attrib.items()), children)


@pytest.mark.parametrize("layout", ["ga-dip", "strategic-plan"])
def test_every_part_is_typed_and_every_relationship_resolves(tmp_path: Path, layout: str) -> None:
    with zipfile.ZipFile(_export(tmp_path, layout)) as archive:
        names = set(archive.namelist())
        types = _xml(archive, "[Content_Types].xml")
        overrides = {o.get("PartName")[1:] for o in types.iter(f"{CT}Override")}
        defaults = {d.get("Extension") for d in types.iter(f"{CT}Default")}
        for name in names - {"[Content_Types].xml"}:
            assert name in overrides or name.rsplit(".", 1)[1] in defaults, name
        assert overrides <= names
        for rels in (n for n in names if n.endswith(".rels")):
            source = posixpath.dirname(posixpath.dirname(rels))
            for relationship in _xml(archive, rels).iter(f"{PR}Relationship"):
                target = posixpath.normpath(posixpath.join(source, relationship.get("Target")))
                assert target in names, f"{rels} names {target}, which is not in the file"
    # python-docx's sample document is not carried along.
    assert not {n for n in names if "thumbnail" in n or "customXml" in n or "WithEffects" in n}


def test_our_styles_replace_the_templates_once_each(tmp_path: Path) -> None:
    with zipfile.ZipFile(_export(tmp_path, "ga-dip", "fr-CA")) as archive:
        styles = _xml(archive, "word/styles.xml")
        settings = _xml(archive, "word/settings.xml")
    ids = [style.get(f"{W}styleId") for style in styles.iter(f"{W}style")]
    assert len(ids) == len(set(ids))
    ours = etree.parse(str(resources_dir() / "docx" / "styles.xml")).getroot()
    by_id = {style.get(f"{W}styleId"): style for style in styles.iter(f"{W}style")}
    for style in ours.iter(f"{W}style"):
        written = by_id[style.get(f"{W}styleId")]
        assert _shape(written) == _shape(style)
    # The template's other styles are kept (a reader's Word still has its List Paragraph…).
    assert len(ids) > len(list(ours.iter(f"{W}style")))
    assert styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang").get(f"{W}val") == "fr-CA"
    assert settings.find(f"{W}themeFontLang").get(f"{W}val") == "fr-CA"
    assert settings.find(f"{W}updateFields") is None


def test_python_docx_reads_the_properties(tmp_path: Path) -> None:
    snapshot = load_plan_json("full.json")
    properties = docx.Document(str(_export(tmp_path, "strategic-plan"))).core_properties
    assert properties.title == snapshot["plan"]["title"]
    assert properties.author == snapshot["plan"]["organization"]
    assert properties.last_modified_by == "Plan Studio"
    assert properties.language == "en-US"
    assert properties.revision == 1
    assert properties.created == properties.modified is not None


def test_the_template_is_python_docx_own() -> None:
    assert template_path() == Path(docx.__file__).parent / "templates" / "default.docx"


@pytest.mark.timeout(120)
def test_a_word_export_loads_neither_python_docx_nor_lxml(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from planstudio.export import export_snapshot\n"
        "import json\n"
        "plan = json.loads(Path(sys.argv[2]).read_text(encoding='utf-8'))\n"
        "export_snapshot(plan, 'docx', Path(sys.argv[1]), layout='ga-dip')\n"
        "print(sorted(m for m in ('docx', 'lxml') if m in sys.modules))\n"
    )
    out = tmp_path / "plan.docx"
    result = subprocess.run(
        [sys.executable, "-c", script, str(out), str(PLANS / "full.json")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert result.stdout.strip() == "[]"
    assert out.stat().st_size > 0


class _BrokenStream(io.RawIOBase):
    def write(self, data: Any) -> int:
        raise OSError("disk full")


@pytest.mark.timeout(60)
def test_the_deflating_thread_hands_back_its_error() -> None:
    with pytest.raises(OSError, match="disk full"), ChunkedWriter(_BrokenStream()) as writer:
        for _ in range(20):
            writer.write("x" * 300_000)
    assert not [t for t in threading.enumerate() if t.name == "docx-deflate"]


@pytest.mark.timeout(60)
def test_an_error_while_writing_stops_the_deflating_thread() -> None:
    stream = io.BytesIO()
    with pytest.raises(KeyError), ChunkedWriter(stream) as writer:
        for _ in range(10):
            writer.write("y" * 300_000)
        raise KeyError("cancelled")
    assert not [t for t in threading.enumerate() if t.name == "docx-deflate"]


def test_the_deflated_text_is_the_text_written() -> None:
    stream = io.BytesIO()
    pieces = [f"<w:t>{i} é ☐</w:t>" for i in range(200_000)]
    with ChunkedWriter(stream) as writer:
        for piece in pieces:
            writer.write(piece)
    assert stream.getvalue() == "".join(pieces).encode("utf-8")
