"""reportlab's URL pattern, left uncompiled at import, matches exactly as the compiled one."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

import pytest

URLS = [
    "https://www.cms.k12.nc.us/strategic-plan/2024-29",
    "http://192.168.0.1:8080/a?b=c",
    "ftp://user:pass@example.org/file.txt",
    "https://[2001:db8::1]/",
    "https://école.example.fr/été",
    "not a url",
    "www.example.org",
    "",
]


@pytest.mark.timeout(60)
def test_importing_the_writer_leaves_the_url_pattern_for_its_first_use() -> None:
    probe = (
        "import re, sys\n"
        "compile_before = re.compile\n"
        "import planstudio.export.pdf\n"
        "from reportlab.platypus import paragraph\n"
        "print(type(paragraph.uri_pat).__name__, re.compile is compile_before)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    # If a reportlab release changes the pattern, it is compiled at import again: this fails
    # to say the saving is gone, never that an export is wrong.
    assert done.stdout.split() == ["PatternCompiledOnFirstUse", "True"]


def test_the_stand_in_matches_as_the_compiled_pattern() -> None:
    importlib.import_module("planstudio.export.pdf")  # imports reportlab as an export does
    paragraph = importlib.import_module("reportlab.platypus.paragraph")

    stand_in = paragraph.uri_pat
    compiled = re.compile(stand_in.pattern, stand_in.flags)
    for url in URLS:
        ours, theirs = stand_in.match(url), compiled.match(url)
        assert (ours and ours.groups()) == (theirs and theirs.groups()), url
    assert paragraph._uri_split_pairs(URLS[0]) == [
        ("https://www.cms.k12.nc.us/strategic-plan/", "2024-29"),
        ("https://www.cms.k12.nc.us/", "strategic-plan/2024-29"),
        ("https://", "www.cms.k12.nc.us/strategic-plan/2024-29"),
    ]
