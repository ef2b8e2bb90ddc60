"""The plan's own history: a version per Save, stored as changes, shared by every copy.

Each Save adds a `PlanVersion`: who, when, an optional comment, and the row map
(see `rowmap`) either whole (a keyframe) or as the change from the version
before it.  Most saves change a few fields, so a version costs hundreds of
bytes; a new keyframe once the changes since the last one outweigh it keeps
rebuilding any one version quick.  Version ids travel with the file, so two copies that descend
from one save share that version: the newest version both hold is where
their histories part (the merge base), found without the user naming it.
"""

from __future__ import annotations

import codecs
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from planstudio.model.errors import PlanFileError
from planstudio.model.rowmap import RowMap, copy_rows, release_rows
from planstudio.model.schema import metadata, new_id, utc_now

HEAD_KEY = "head_version"
# Never more changes than this between keyframes, however small they are.
MAX_CHAIN = 1000
# A stored version never unpacks to more than this; a larger one is a crafted file.
_MAX_UNPACKED = 512 * 1024 * 1024

_VERSIONS = metadata.tables["plan_version"]
_INFO = metadata.tables["document_info"]


@dataclass(frozen=True)
class Version:
    id: str
    parent_id: str | None
    merged_id: str | None
    saved_at: datetime
    author: str
    comment: str | None


class VersionError(PlanFileError):
    """A stored version that cannot be rebuilt (damaged, or its chain is incomplete)."""


def versions(connection: Connection) -> list[Version]:
    """Every version this file holds, newest first."""
    rows = connection.execute(
        select(
            _VERSIONS.c.id, _VERSIONS.c.parent_id, _VERSIONS.c.merged_id, _VERSIONS.c.saved_at,
            _VERSIONS.c.author, _VERSIONS.c.comment,
        ).order_by(_VERSIONS.c.saved_at.desc(), _VERSIONS.c.id)
    )  # fmt: skip
    return [Version(*row) for row in rows]


def head(connection: Connection) -> str | None:
    """The version the plan was last saved as (None before its first save)."""
    value = connection.execute(select(_INFO.c.value).where(_INFO.c.key == HEAD_KEY)).scalar()
    return str(value) if value else None


def _set_head(connection: Connection, version_id: str) -> None:
    done = connection.execute(
        update(_INFO).where(_INFO.c.key == HEAD_KEY).values(value=version_id)
    ).rowcount
    if not done:
        connection.execute(insert(_INFO).values(key=HEAD_KEY, value=version_id))


# ---------------------------------------------------------------------------- packing


# JSON's C encoder and decoder hold the interpreter lock for the whole of one call: for
# a 4,000-step keyframe that is 60-70 ms in which the window cannot paint.  So a
# version is written and read a few hundred rows at a time (the stored text is the
# same as one call would make, so files are unchanged).
_ROWS_A_CALL = 256
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode
_DECODE_ONE = json.JSONDecoder().raw_decode


def _text_pieces(value: Any) -> Iterator[str]:
    """`value` as compact, key-sorted JSON, each table's rows a few hundred per piece."""
    if not isinstance(value, dict):
        yield _ENCODE(value)
        return
    yield "{"
    for index, key in enumerate(sorted(value)):
        inner = value[key]
        yield ("," if index else "") + _ENCODE(key) + ":"
        if not isinstance(inner, dict) or len(inner) <= _ROWS_A_CALL:
            yield _ENCODE(inner)
            continue
        keys = sorted(inner)
        yield "{"
        for start in range(0, len(keys), _ROWS_A_CALL):
            part = _ENCODE({k: inner[k] for k in keys[start : start + _ROWS_A_CALL]})
            yield ("," if start else "") + part[1:-1]
        yield "}"
    yield "}"


def _pack(value: Any) -> bytes:
    # zlib lets go of the interpreter lock while it works; JSON and UTF-8 do not, so they
    # get a piece at a time (a 10,000-step plan's text is 28 MB).
    deflater = zlib.compressobj(6)
    packed = [deflater.compress(piece.encode("utf-8")) for piece in _text_pieces(value)]
    packed.append(deflater.flush())
    return b"".join(packed)


def _parse(text: str) -> Any:
    """The JSON `text`, its objects two levels deep read one entry per decoder call.

    Raises ValueError (as json.loads does) on anything that is not JSON.
    """
    try:
        return _parse_compact(text)
    except (ValueError, IndexError):
        return json.loads(text)  # JSON spaced otherwise than Plan Studio writes it, or none


def _parse_compact(text: str) -> Any:
    if not text.startswith("{"):
        return json.loads(text)
    decode = _DECODE_ONE
    outer: dict[str, Any] = {}
    at = 1
    while text[at] != "}":
        key, at = decode(text, at)
        if text[at] != ":":
            raise ValueError("a key without a value")
        at += 1
        if text[at] == "{":
            inner: dict[str, Any] = {}
            at += 1
            while text[at] != "}":
                item_key, at = decode(text, at)
                if text[at] != ":":
                    raise ValueError("a key without a value")
                inner[item_key], at = decode(text, at + 1)
                if text[at] == ",":
                    at += 1
            value: Any = inner
            at += 1
        else:
            value, at = decode(text, at)
        outer[key] = value
        if text[at] == ",":
            at += 1
    if at + 1 != len(text):
        raise ValueError("text after the value")
    return outer


_BYTES_A_CALL = 1 << 20


def _unpack(data: Any, version_id: str) -> Any:
    if not isinstance(data, bytes):
        raise VersionError(f"version {version_id[:8]} of this plan is damaged")
    try:
        return _parse(_inflate(data, version_id))
    except (zlib.error, UnicodeDecodeError, ValueError, RecursionError, IndexError):
        raise VersionError(f"version {version_id[:8]} of this plan is damaged") from None


def _inflate(data: bytes, version_id: str) -> str:
    """The text of a stored version, unpacked and decoded a megabyte per call (see `_pack`)."""
    inflater = zlib.decompressobj()
    decoder = codecs.getincrementaldecoder("utf-8")()
    parts: list[str] = []
    unpacked = 0
    pending = data
    while True:
        chunk = inflater.decompress(pending, _BYTES_A_CALL)
        unpacked += len(chunk)
        if unpacked > _MAX_UNPACKED:
            raise VersionError(f"version {version_id[:8]} of this plan is too large to read")
        parts.append(decoder.decode(chunk))
        pending = inflater.unconsumed_tail
        if not pending:
            break
    parts.append(decoder.decode(inflater.flush(), final=True))
    return "".join(parts)


def _change(old: RowMap, new: RowMap) -> dict[str, Any]:
    """What turns `old` into `new`: added rows whole, changed rows by field, removed ids."""
    added: dict[str, dict[str, Any]] = {}
    changed: dict[str, dict[str, Any]] = {}
    removed: dict[str, list[str]] = {}
    for kind in sorted(old.keys() | new.keys()):
        before, after = old.get(kind, {}), new.get(kind, {})
        for item_id, row in after.items():
            previous = before.get(item_id)
            if previous is None:
                added.setdefault(kind, {})[item_id] = row
            elif previous != row:
                fields = {k: v for k, v in row.items() if previous.get(k) != v or k not in previous}
                fields.update({k: None for k in previous if k not in row})
                changed.setdefault(kind, {})[item_id] = fields
        gone = [item_id for item_id in before if item_id not in after]
        if gone:
            removed[kind] = gone
    return {"add": added, "set": changed, "del": removed}


def _apply_change(rows: RowMap, change: dict[str, Any]) -> None:
    for kind, by_id in change.get("add", {}).items():
        rows.setdefault(kind, {}).update({k: dict(v) for k, v in by_id.items()})
    for kind, by_id in change.get("set", {}).items():
        table = rows.setdefault(kind, {})
        for item_id, fields in by_id.items():
            table.setdefault(item_id, {}).update(fields)
    for kind, ids in change.get("del", {}).items():
        table = rows.get(kind, {})
        for item_id in ids:
            table.pop(item_id, None)


# ---------------------------------------------------------------------------- reading


def rebuild(connection: Connection, version_id: str, cache: dict[str, RowMap] | None = None
            ) -> RowMap:  # fmt: skip
    """The plan's rows as they were in one version."""
    if cache is not None and version_id in cache:
        return copy_rows(cache[version_id])
    chain: list[tuple[str, bool, Any]] = []
    current: str | None = version_id
    seen: set[str] = set()
    while current is not None:
        if current in seen:
            raise VersionError(f"version {version_id[:8]} of this plan is damaged (a loop)")
        seen.add(current)
        if cache is not None and current in cache:
            chain.append((current, True, None))
            break
        row = connection.execute(
            select(_VERSIONS.c.parent_id, _VERSIONS.c.keyframe, _VERSIONS.c.data).where(
                _VERSIONS.c.id == current
            )
        ).first()
        if row is None:
            raise VersionError(f"version {version_id[:8]} of this plan is incomplete")
        chain.append((current, bool(row.keyframe), row.data))
        if row.keyframe:
            break
        current = row.parent_id
    else:
        raise VersionError(f"version {version_id[:8]} of this plan is incomplete")
    first_id, _, first_data = chain[-1]
    rows: RowMap = (
        copy_rows(cache[first_id]) if cache is not None and first_id in cache
        else _unpack(first_data, first_id)
    )  # fmt: skip
    for step_id, _, data in reversed(chain[:-1]):
        _apply_change(rows, _unpack(data, step_id))
    if not isinstance(rows, dict):
        raise VersionError(f"version {version_id[:8]} of this plan is damaged")
    if cache is not None:
        cache[version_id] = copy_rows(rows)
    return rows


def _since_keyframe(connection: Connection, version_id: str | None) -> tuple[int, int, int]:
    """(versions, bytes of changes) since the last keyframe, and that keyframe's size."""
    table = {
        row[0]: (row[1], bool(row[2]), int(row[3] or 0))
        for row in connection.execute(
            select(_VERSIONS.c.id, _VERSIONS.c.parent_id, _VERSIONS.c.keyframe,
                   func.length(_VERSIONS.c.data))
        )
    }  # fmt: skip
    count = changes = 0
    current = version_id
    while current in table and count <= MAX_CHAIN:
        parent, keyframe, size = table[current]
        if keyframe:
            return count, changes, size
        count += 1
        changes += size
        current = parent
    return count, changes, 0


# ---------------------------------------------------------------------------- writing


def record(
    connection: Connection,
    rows: RowMap,
    *,
    author: str,
    comment: str | None = None,
    merged_id: str | None = None,
    cache: dict[str, RowMap] | None = None,
) -> Version:
    """Add a version holding `rows`, after the current head; it becomes the head."""
    parent = head(connection)
    data: bytes | None = None
    if parent is not None:
        try:
            old = rebuild(connection, parent, cache)  # a copy: this call's own
            change = _pack(_change(old, rows))
            release_rows(old)
        except VersionError:
            change = None  # a damaged chain ends here: start afresh from this version
        count, changes, keyframe_size = _since_keyframe(connection, parent)
        # Rebuilding a version unpacks its keyframe and the changes since: once those
        # changes weigh more than the keyframe, a new keyframe is cheaper for both.
        if change is not None and count < MAX_CHAIN and changes + len(change) <= keyframe_size:
            data = change
    keyframe = data is None
    if data is None:
        data = _pack(rows)
    version = Version(new_id(), parent, merged_id, utc_now(), author, comment or None)
    connection.execute(
        insert(_VERSIONS).values(
            id=version.id, parent_id=parent, merged_id=merged_id, saved_at=version.saved_at,
            author=author, comment=version.comment, keyframe=keyframe, data=data,
        )
    )  # fmt: skip
    _set_head(connection, version.id)
    if cache is not None:
        for kept in cache.values():  # copies that only the cache holds (see `rebuild`)
            release_rows(kept)
        cache.clear()
        cache[version.id] = copy_rows(rows)
    return version


def forget(connection: Connection, version: Version) -> None:
    """Take back a version whose save failed."""
    connection.execute(delete(_VERSIONS).where(_VERSIONS.c.id == version.id))
    if version.parent_id is not None:
        _set_head(connection, version.parent_id)
    else:
        connection.execute(delete(_INFO).where(_INFO.c.key == HEAD_KEY))


def merge_base(mine: Connection, theirs: Connection) -> str | None:
    """The newest version both plans hold: where their histories part."""
    theirs_ids = {version.id for version in versions(theirs)}
    for version in versions(mine):  # newest first
        if version.id in theirs_ids:
            return version.id
    return None


def adopt_versions(mine: Connection, theirs: Connection) -> int:
    """Copy into `mine` the versions only `theirs` holds, so a later merge finds their base."""
    have = set(mine.execute(select(_VERSIONS.c.id)).scalars())
    missing = [row._asdict() for row in theirs.execute(select(_VERSIONS))
               if row.id not in have]  # fmt: skip
    if missing:
        mine.execute(insert(_VERSIONS), missing)
    return len(missing)
