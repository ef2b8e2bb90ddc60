"""Tagged PDF: every layout's PDF passes the pdfua checker, and its structure tree, read back
with pikepdf, is the document's blocks in order; every piece of page content is either
tagged (and found again through the parent tree) or an artifact."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pdfua import validate

from planstudio.export import export_snapshot
from planstudio.export.chart import describe_chart
from planstudio.export.document import (
    Chart,
    Checkbox,
    Contents,
    Document,
    Grid,
    Heading,
    LabelValueTable,
    Paragraph,
)
from planstudio.export.layouts import LAYOUTS, build_document
from tests.export.helpers import EXPORTED, hostile_plan, load_plan_json

SAMPLES = Path(__file__).parents[2] / "resources" / "samples"


def _plans() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(SAMPLES.glob("*.json")):
        yield path.stem, json.loads(path.read_text(encoding="utf-8"))
    yield "full", load_plan_json("full.json")
    yield "hostile", hostile_plan()


PLANS = dict(_plans())
CASES = [(plan, layout) for plan in PLANS for layout in LAYOUTS]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("tagged")
    out: dict[tuple[str, str], Path] = {}
    for plan, layout in CASES:
        path = folder / f"{plan}-{layout}.pdf"
        export_snapshot(PLANS[plan], "pdf", path, layout=layout, exported=EXPORTED)
        out[plan, layout] = path
    return out


@pytest.mark.parametrize(("plan", "layout"), CASES)
def test_pdfua_reports_nothing(exported, plan, layout):
    report = validate(str(exported[plan, layout]))
    assert [(f.rule_id, f.severity.name, f.message) for f in report.findings] == []
    assert report.exit_code == 0


# ------------------------------------------------------------------ the tree, read back


def expected_roles(document: Document) -> list[Any]:
    """What the Document element's kids must be, written from the blocks independently of
    the writer: cover lines, then one element per block (checkboxes in a row one list)."""
    cover = document.cover
    roles: list[Any] = []
    if cover.title:
        roles.append("H1")
    lines = (cover.organization, cover.years, cover.status, cover.exported)
    roles.extend("P" for line in lines if line)
    level = 0
    headings = [b for b in document.blocks if isinstance(b, Heading)]
    for block in document.blocks:
        match block:
            case Heading():
                level = max(1, min(block.level, level + 1, 3))
                roles.append(f"H{level}")
            case Paragraph():
                roles.append("P")
            case Checkbox():
                if not roles or roles[-1] != ("L",):
                    roles.append(("L",))
            case LabelValueTable():
                # A caption is a header row over both columns; each label heads its row.
                scopes = ("Column", "Row") if block.caption else ("Row",)
                roles.append(("Table", len(block.rows), scopes))
            case Grid():
                roles.append(("Table", len(block.rows), ("Column",) if block.header else ()))
            case Chart():
                roles.append(("Figure", describe_chart(block).alt_text))
            case Contents():
                level = 1
                roles.append("H1")
                roles.append(("TOC", sum(1 for h in headings if h.level <= block.levels)))
    return roles


def _is(value: Any, kind: str | None = None) -> bool:
    """`value` is a dictionary (of /Type `kind`, if given)."""
    if not isinstance(value, pikepdf.Dictionary):
        return False
    return kind is None or value.get("/Type") == kind


def _role(element: pikepdf.Dictionary) -> str:
    return str(element.S)[1:]


def _kids(element: pikepdf.Dictionary) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    return [
        kid
        for kid in _kids(element)
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid  # (its /Type is optional)
    ]


def _summary(element: pikepdf.Dictionary) -> Any:
    role = _role(element)
    if role == "L":
        items = _elements(element)
        assert items and all(_role(i) == "LI" for i in items)
        return ("L",)
    if role == "Table":
        rows: list[pikepdf.Dictionary] = []
        for part in _elements(element):
            rows.extend(_elements(part) if _role(part) in ("THead", "TBody") else [part])
        scopes = {
            str(cell.A.Scope)[1:] for row in rows for cell in _elements(row) if _role(cell) == "TH"
        }
        header_rows = sum(1 for row in rows if all(_role(c) == "TH" for c in _elements(row)))
        return ("Table", len(rows) - header_rows, tuple(sorted(scopes)))
    if role == "Figure":
        return ("Figure", str(element.Alt))
    if role == "TOC":
        entries = _elements(element)
        for entry in entries:
            (link,) = _elements(entry)
            assert _role(entry) == "TOCI" and _role(link) == "Link"
            objrs = [k for k in _kids(link) if _is(k, "/OBJR")]
            assert len(objrs) == 1 and objrs[0].Obj.Subtype == "/Link"
            assert str(objrs[0].Obj.Contents).startswith("Go to")
        return ("TOC", len(entries))
    return role


@pytest.mark.parametrize(("plan", "layout"), CASES)
def test_structure_tree_is_the_documents_blocks(exported, plan, layout):
    document = build_document(PLANS[plan], layout, EXPORTED)
    with pikepdf.open(exported[plan, layout]) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == "en-US"
        assert root.ViewerPreferences.DisplayDocTitle is True
        meta = pdf.open_metadata()
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == str(pdf.docinfo.Title)
        (top,) = _kids(root.StructTreeRoot)
        assert _role(top) == "Document"
        assert not pdf.check_pdf_syntax()  # qpdf finds nothing wrong in the file
        assert [_summary(kid) for kid in _elements(top)] == expected_roles(document)


# ------------------------------------------------------------- content: tagged or artifact

_SHOWS = {"Tj", "TJ", "'", '"'}
_PAINTS = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}


def _marked_content(pdf: pikepdf.Pdf) -> dict[int, list[int]]:
    """Page index → the MCIDs its content opens, checking on the way that every text or
    path drawn is inside exactly one marked sequence (an MCID or an artifact, never nested)."""
    found: dict[int, list[int]] = {}
    for index, page in enumerate(pdf.pages):
        stack: list[Any] = []
        mcids: list[int] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name == "BDC":
                tag, properties = operands
                mcid = (
                    properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
                )
                assert not stack, f"page {index + 1}: {tag} nested in {stack}"
                if mcid is not None:
                    mcids.append(int(mcid))
                    stack.append(int(mcid))
                else:
                    assert str(tag) == "/Artifact"
                    stack.append("artifact")
            elif name == "BMC":
                assert not stack and str(operands[0]) == "/Artifact"
                stack.append("artifact")
            elif name == "EMC":
                stack.pop()
            elif name in _SHOWS or name in _PAINTS:
                assert stack, f"page {index + 1}: {name} outside any marked content"
        assert not stack
        assert mcids == list(range(len(mcids)))
        found[index] = mcids
    return found


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_mark_is_in_the_parent_tree_and_back(exported, layout):
    with pikepdf.open(exported["hostile", layout]) as pdf:
        marks = _marked_content(pdf)
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for index, page in enumerate(pdf.pages):
            if not marks[index]:
                assert "/StructParents" not in page
                continue
            owners = tree[int(page.StructParents)]
            assert len(owners) == len(marks[index])
            for mcid, owner in enumerate(owners):
                # The element holds this MCID, directly or as a marked-content reference.
                held = []
                for kid in _kids(owner):
                    if isinstance(kid, int):
                        if owner.Pg.objgen == page.objgen:  # a bare MCID is on the /Pg page
                            held.append(kid)
                    elif _is(kid, "/MCR") and kid.Pg.objgen == page.objgen:
                        held.append(int(kid.MCID))
                assert mcid in held
        for annotation in (a for page in pdf.pages for a in page.get("/Annots", [])):
            owner = tree[int(annotation.StructParent)]
            assert _role(owner) == "Link"


def test_a_plan_language_reaches_the_file(tmp_path):
    plan = load_plan_json("full.json")
    plan["plan"]["language"] = "es-US"
    out = tmp_path / "es.pdf"
    export_snapshot(plan, "pdf", out, layout="strategic-plan", exported=EXPORTED)
    with pikepdf.open(out) as pdf:
        assert str(pdf.Root.Lang) == "es-US"
    plan["plan"]["language"] = "not a language!"
    export_snapshot(plan, "pdf", out, layout="strategic-plan", exported=EXPORTED)
    with pikepdf.open(out) as pdf:
        assert str(pdf.Root.Lang) == "en-US"
