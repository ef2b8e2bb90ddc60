"""The plan's tables read whole with SQLAlchemy Core: the one reading row maps and snapshots share.

One query per kind of item, nothing else: no ORM objects, no identity map, so
portable to any database SQLAlchemy speaks and several times faster than the
ORM on a large plan.  Each row comes as a sequence laid out as the kind's
`Layout` says: the kind's fields in their schema order, then the id, then the
parent's id and the position where the kind has them.  Putting the fields first
lets a reader pair them with their names by `zip` without slicing the row.

Lists (JSON columns) are read as their stored text and decoded here once per
distinct text, since the same few lists ("[]", one subgroup) repeat on
thousands of rows.  So rows share their decoded lists: a reader that hands
values out to others copies them (`own`), one that never changes a value in
place (row maps) may keep them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import JSON, Connection, Select, Text, select, type_coerce

from planstudio.model.kinds import KINDS, Kind
from planstudio.model.schema import metadata

Values = Sequence[Any]

_SCALARS = (str, int, float, bool, type(None))
# Rows made per driver call: a whole table of a 10,000-step plan made in one call (`all`)
# held the interpreter lock 10-30 ms, so an export's read on a worker froze the window.
_ROWS_A_CALL = 1000


@dataclass(frozen=True)
class Layout:
    """Where each value of a kind's rows sits: fields first, then id, parent, position."""

    kind: Kind
    fields: tuple[str, ...]
    lists: tuple[int, ...]  # indexes of the fields stored as JSON lists
    id: int
    parent: int | None
    position: int | None
    query: Select[Any]


@cache
def layout(kind_name: str) -> Layout:
    """How `read_table` lays out the rows of one kind (built once per kind)."""
    kind = KINDS[kind_name]
    table = metadata.tables[kind.table]
    fields = tuple(spec.name for spec in kind.fields)
    lists = tuple(i for i, name in enumerate(fields) if isinstance(table.c[name].type, JSON))
    # Lists come as their stored text: decoded below once per distinct text, not once a row.
    columns = [type_coerce(table.c[name], Text) if i in lists else table.c[name]
               for i, name in enumerate(fields)]  # fmt: skip
    columns.append(table.c.id)
    parent = position = None
    if kind.parent_key is not None:
        parent = len(columns)
        columns.append(table.c[kind.parent_key])
    if "position" in table.c:
        position = len(columns)
        columns.append(table.c.position)
    return Layout(kind, fields, lists, len(fields), parent, position, select(*columns))


class TableReader:
    """Whole tables of one plan, read on one connection (so, inside one read transaction)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._decoded: dict[str, Any] = {}
        self._flat: set[int] = set()  # ids of decoded lists holding only plain values

    def read(self, kind_name: str) -> list[Values]:
        """Every row of one kind, laid out as `layout(kind_name)` says, in no set order."""
        shape = layout(kind_name)
        rows: list[Values] = []
        for part in self.connection.execute(shape.query).partitions(_ROWS_A_CALL):
            rows.extend(part)
        if shape.lists:
            rows = [self._decoded_row(row, shape.lists) for row in rows]
        return rows

    def _decoded_row(self, row: Values, lists: tuple[int, ...]) -> Values:
        values = list(row)
        decoded = self._decoded
        for index in lists:
            text = values[index]
            # Text, as asked for; a driver that decodes JSON itself hands back the list.
            if text.__class__ is str:
                value = decoded.get(text)
                if value is None:
                    value = decoded[text] = self._decode(text)
                values[index] = value
        return values

    def _decode(self, text: str) -> Any:
        value = json.loads(text)
        if isinstance(value, list) and all(isinstance(item, _SCALARS) for item in value):
            self._flat.add(id(value))
        return value

    def own(self, value: Any) -> Any:
        """A decoded list as a copy of its own, for a reader that hands it out."""
        if id(value) in self._flat:
            return list(value)
        return copy.deepcopy(value)
