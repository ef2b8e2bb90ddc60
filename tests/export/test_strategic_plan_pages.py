"""A strategic plan worth printing: no page of a sample's strategic-plan PDF holds only a
heading and a sentence (unless it ends a goal area or the plan), and the orientation
changes at most once per goal area."""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader

from planstudio.export import export_snapshot
from tests.export.helpers import EXPORTED
from tests.export.pdf_text import PAGE_NUMBER

SAMPLES = sorted((Path(__file__).parents[2] / "resources" / "samples").glob("*.json"))
FEW = 4  # lines: a heading and a sentence is fewer


def _export(tmp_path: Path, sample: Path) -> Path:
    out = tmp_path / f"{sample.stem}.pdf"
    snapshot = json.loads(sample.read_text(encoding="utf-8"))
    export_snapshot(snapshot, "pdf", out, layout="strategic-plan", exported=EXPORTED)
    return out


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_no_page_holds_only_a_heading_and_a_sentence(tmp_path, sample):
    snapshot = json.loads(sample.read_text(encoding="utf-8"))
    labels = snapshot["plan"].get("level_labels") or ["Goal Area"]
    area_label = labels[0] or "Goal Area"
    reader = PdfReader(_export(tmp_path, sample))
    header = f"{snapshot['plan'].get('organization', '')}"
    pages = []
    for page in reader.pages:
        lines = [
            line
            for line in page.extract_text().splitlines()
            if line.strip()
            and not PAGE_NUMBER.search(line)
            and line.strip() != "DRAFT"
            and not line.startswith(header)
        ]
        pages.append(lines)
    thin = []
    for index, lines in enumerate(pages[1:], start=1):  # the cover is a page of its own
        last = index == len(pages) - 1
        # A section's last page may be short: the next starts a goal area or a section.
        sections = (f"{area_label} ", "Guiding Principles", "Goals Overview", "Appendix")
        next_starts_area = not last and any(
            line.startswith(sections) for line in pages[index + 1][:2]
        )
        if len(lines) < FEW and not last and not next_starts_area:
            thin.append((index + 1, lines))
    assert thin == []


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_orientation_changes_at_most_once_per_goal_area(tmp_path, sample):
    snapshot = json.loads(sample.read_text(encoding="utf-8"))
    reader = PdfReader(_export(tmp_path, sample))
    shapes = [float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages]
    changes = sum(1 for a, b in pairwise(shapes) if a != b)
    # The goals overview is landscape between portrait pages (two changes), then each area
    # picks its orientation once, and the appendix may turn back once.
    assert changes <= 2 + len(snapshot.get("goal_areas", [])) + 1


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_every_contents_entry_prints_on_one_line(tmp_path, sample):
    snapshot = json.loads(sample.read_text(encoding="utf-8"))
    header = f"{snapshot['plan'].get('organization', '')}"
    pages = [
        page.extract_text().splitlines() for page in PdfReader(_export(tmp_path, sample)).pages
    ]
    start = next(i for i, lines in enumerate(pages) if lines and lines[0] == "Contents")
    entries = [
        line
        for lines in pages[start:]
        for line in lines
        if line.strip() and not PAGE_NUMBER.search(line) and not line.startswith(header)
    ]
    first_body_page = int(entries[1].rsplit(" ", 1)[1])  # the entry after "Contents"
    entries = [
        line
        for lines in pages[start : first_body_page - 1]
        for line in lines[1 if lines is pages[start] else 0 :]
        if line.strip() and not PAGE_NUMBER.search(line) and not line.startswith(header)
    ]
    # A wrapped entry leaves a line without its page number (and a "…" alone below it).
    assert [line for line in entries if not re.search(r" \d+$", line)] == []
    assert len(entries) > 10
