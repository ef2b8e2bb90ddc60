"""The plan as rows by kind and id: what versions store, and what compare and merge work on.

A row holds an item's schema fields plus where it stands (`PARENT`, `POSITION`);
ids, times and bookkeeping are left out, so two plans with the same content
have equal row maps whatever their history.  Read with SQLAlchemy Core in one
query per table, by the reading snapshots share (`tables`).
Values are shared between rows and never changed in place: a change replaces
a row's value, so copying a row map copies its rows, not their values.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, insert

from planstudio.model.collection import release_entries
from planstudio.model.kinds import KINDS, Kind
from planstudio.model.schema import metadata, utc_now
from planstudio.model.tables import TableReader, layout

PARENT = "_parent"
POSITION = "_position"

Row = dict[str, Any]
RowMap = dict[str, dict[str, Row]]

# Kinds in the order a plan is built: parents first, catalogs before the links to them.
_BUILD_ORDER = (
    "plan",
    "ga_general",
    "funding_source",
    "role",
    "monitoring_method",
    "goal_area",
    "objective",
    "measure",
    "target",
    "actual",
    "strategy",
    "phase",
    "action_step",
    "review",
    "funding_link",
    "role_link",
    "implementation_link",
    "effectiveness_link",
)


def kinds_in_order() -> Iterator[Kind]:
    """Every kind, parents before children (and catalogs before links)."""
    assert set(_BUILD_ORDER) == set(KINDS), "a kind is missing from the build order"
    for name in _BUILD_ORDER:
        yield KINDS[name]


def read_rows(connection: Connection) -> RowMap:
    """The whole plan as a row map, read in one query per kind (see `tables`)."""
    reader = TableReader(connection)
    rows: RowMap = {}
    for kind in kinds_in_order():
        shape = layout(kind.name)
        fields, id_at, parent_at, position_at = shape.fields, shape.id, shape.parent, shape.position
        by_id: dict[str, Row] = {}
        # The fields lead each row, so zip pairs them with their names and stops there.
        for values in reader.read(kind.name):
            row: Row = dict(zip(fields, values))  # noqa: B905 - see above
            if parent_at is not None:
                row[PARENT] = values[parent_at]
            if position_at is not None:
                row[POSITION] = values[position_at]
            by_id[values[id_at]] = row
        rows[kind.name] = by_id
    return rows


def copy_rows(rows: RowMap) -> RowMap:
    """A copy of each row: enough, since values are never changed in place (see above),
    and far quicker than a deep copy of a large plan."""
    return {kind: {item_id: dict(row) for item_id, row in by_id.items()}
            for kind, by_id in rows.items()}  # fmt: skip


def release_rows(rows: RowMap) -> None:
    """Empty a row map a row at a time; for a map nobody else holds.

    Dropped whole, a 10,000-step plan's 40,000 rows are freed in one C call that holds
    the interpreter lock 20-40 ms: a save on a worker thread froze the window that long
    for each map it let go.  Emptied row by row, the lock can pass between rows.
    """
    release_entries(*rows.values())
    rows.clear()


def children(rows: RowMap, kind: str, parent_id: str) -> list[str]:
    """The ids of a parent's children of one kind, in order."""
    found = [(row.get(POSITION, 0), item_id) for item_id, row in rows[kind].items()
             if row.get(PARENT) == parent_id]  # fmt: skip
    return [item_id for _, item_id in sorted(found)]


def child_index(rows: RowMap) -> dict[tuple[str, str], list[str]]:
    """Every (kind, parent id) → ordered child ids, built once for a whole map."""
    # One sort by position of every row (a stable sort on a number is quick), then the
    # rows are dealt to their parents in that order: far cheaper than a sort per parent.
    entries = [
        (row.get(POSITION) or 0, kind, parent, item_id)
        for kind, by_id in rows.items()
        for item_id, row in by_id.items()
        if (parent := row.get(PARENT)) is not None
    ]
    entries.sort(key=itemgetter(0))
    index: dict[tuple[str, str], list[str]] = {}
    for _, kind, parent, item_id in entries:
        children = index.get((kind, parent))
        if children is None:
            index[(kind, parent)] = [item_id]
        else:
            children.append(item_id)
    return index


def write_rows(connection: Connection, rows: RowMap) -> None:
    """Insert a row map into an empty plan database (times are now)."""
    now = utc_now()
    for kind in kinds_in_order():
        table = metadata.tables[kind.table]
        records = []
        for item_id, row in rows.get(kind.name, {}).items():
            record = {key: copy.deepcopy(value) for key, value in row.items()
                      if key not in (PARENT, POSITION)}  # fmt: skip
            record.update(id=item_id, created_at=now, modified_at=now)
            if kind.parent_key is not None:
                record[kind.parent_key] = row[PARENT]
            if POSITION in row:
                record["position"] = row[POSITION]
            records.append(record)
        if records:
            connection.execute(insert(table), records)


def align_plan(reference: RowMap, other: RowMap) -> RowMap:
    """`other` with the plan's own id (and its one Georgia section's) taken from `reference`.

    A file holds one plan: two copies of it are the same plan even when they were
    made apart (imported twice, say), so their plan rows are matched, not their ids.
    """
    aligned = {kind: dict(by_id) for kind, by_id in other.items()}
    for kind in ("plan", "ga_general"):
        ours, theirs = reference.get(kind, {}), aligned.get(kind, {})
        if len(ours) != 1 or len(theirs) != 1:
            continue
        (our_id,), (their_id,) = ours, theirs
        if our_id == their_id:
            continue
        aligned[kind] = {our_id: dict(theirs[their_id])}
        for by_id in aligned.values():
            for item_id, row in by_id.items():
                if row.get(PARENT) == their_id:
                    by_id[item_id] = {**row, PARENT: our_id}
    return aligned
