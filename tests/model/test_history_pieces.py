"""A version is written and read a few hundred rows per JSON call, and stored as before.

JSON's C encoder and decoder hold the interpreter lock for a whole call; a save
on the worker thread that encoded or decoded a 4,000-step keyframe in one call
froze the window for its length.  These tests fail if a call handles a whole table.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

import pytest

from planstudio.model import history
from planstudio.model.history import VersionError

pytestmark = pytest.mark.timeout(60)


def _keyframe(steps: int) -> dict[str, Any]:
    return {
        "plan": {"p": {"title": 'Plan {with} "braces"', "_position": 0}},
        "action_step": {
            f"step-{n:05d}": {"text": f"Step {n} — ünïcode, {{}}", "_parent": "s", "_position": n}
            for n in range(steps)
        },
        "role": {},
    }


def test_a_keyframe_is_stored_as_one_call_would_write_it() -> None:
    rows = _keyframe(2000)
    one_call = json.dumps(rows, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    assert zlib.decompress(history._pack(rows)).decode("utf-8") == one_call
    assert history._unpack(history._pack(rows), "version-1") == rows


def test_no_json_call_handles_a_whole_table(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _keyframe(2000)
    encoded: list[int] = []
    decoded: list[int] = []
    encode, decode = history._ENCODE, history._DECODE_ONE

    def counting_encode(value: Any) -> str:
        text = encode(value)
        encoded.append(len(text))
        return text

    def counting_decode(text: str, at: int) -> tuple[Any, int]:
        value, end = decode(text, at)
        decoded.append(end - at)
        return value, end

    monkeypatch.setattr(history, "_ENCODE", counting_encode)
    monkeypatch.setattr(history, "_DECODE_ONE", counting_decode)
    monkeypatch.setattr(history, "_BYTES_A_CALL", 999)  # pieces that split characters
    data = history._pack(rows)
    total = len(zlib.decompress(data).decode("utf-8"))
    assert history._unpack(data, "version-1") == rows
    assert max(encoded) < total / 4
    assert max(decoded) < total / 100


def test_a_version_spaced_otherwise_is_still_read_and_garbage_is_refused() -> None:
    spaced = zlib.compress(b'{ "plan" : { "p" : { "title" : "T" } } }')
    assert history._unpack(spaced, "version-1") == {"plan": {"p": {"title": "T"}}}
    for bad in (b"", b"{", b'{"a":{"b":1}', b'{"a":1}x', b'{"a":{"b":1}}}', b'{"a" 1}'):
        with pytest.raises(VersionError):
            history._unpack(zlib.compress(bad), "version-1")
