"""Querysets of the counter's hot path, compiled to SQL once per process and database, then run
with new values: building a wide `select_related` query costs the ORM more CPU than PostgreSQL spends
answering it (a profile of the counter put about half of a redemption's CPU in query compilation).

`CompiledQuery(build)` takes a function from named values to a queryset. It is built once with
sentinel values, compiled, and each sentinel's place among the SQL parameters is remembered; a call
then executes that SQL with the real values and turns the rows into what the queryset would have
returned (model instances with their `select_related` objects and annotations, or `values_list`
tuples), through Django's own compiler (its converters and related populators). Only plain equality
filters on ids, strings or UUIDs may take values; anything else must be fixed in `build`.

On PostgreSQL each statement is also PREPARED on the connection (`events/db.py` `prepared_cursor`): Django sends its
SQL with the values bound in the client, so PostgreSQL parses and plans every statement anew, and
planning the stub's seven-table join cost its backend about 4.5 ms of CPU against 0.05 ms to run it
(`python -m bench stubs_cpu`). A prepared statement is planned for its first executions on each
connection, then runs on PostgreSQL's generic plan. A pooled connection keeps its statements between
requests; a ROLLBACK makes psycopg deallocate them, and they are prepared again on next use. (A
transaction-mode pooler in front of PostgreSQL would need protocol-level prepared statements, as
pgbouncer 1.21+ has; the deployment in README connects through psycopg's own pool.)
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ModelIterable, get_related_populators

from events.db import prepared_cursor

_INT_SENTINEL = 1_999_999_000  # far above any id these queries meet while being compiled


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet], **kinds: type):
        self.build = build
        self.kinds = kinds  # name -> int | str | uuid.UUID
        self._compiled: dict[str, tuple] = {}

    def _sentinels(self) -> dict:
        values = {}
        for index, (name, kind) in enumerate(self.kinds.items()):
            if kind is int:
                values[name] = _INT_SENTINEL + index
            elif kind is uuid.UUID:
                values[name] = uuid.UUID(int=0xC0FFEE00 + index)
            else:
                values[name] = f"\x00sentinel-{index}\x00"
        return values

    def _compile(self, alias: str) -> tuple:
        sentinels = self._sentinels()
        queryset = self.build(**sentinels)
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        slots = []
        found = set()
        for param in params:
            for name, sentinel in sentinels.items():
                if isinstance(sentinel, uuid.UUID) and param in (sentinel, sentinel.hex, str(sentinel)):
                    form = (
                        "uuid" if isinstance(param, uuid.UUID) else "hex" if param == sentinel.hex else "str"
                    )
                    slots.append((name, form))
                    found.add(name)
                    break
                if (
                    not isinstance(sentinel, uuid.UUID)
                    and type(param) is type(sentinel)
                    and param == sentinel
                ):
                    slots.append((name, "raw"))
                    found.add(name)
                    break
            else:
                slots.append((None, param))
        if found != set(sentinels):
            raise ValueError(f"values {set(sentinels) - found} are not plain parameters of the query")
        if issubclass(queryset._iterable_class, ModelIterable):
            select, klass_info = compiler.select, compiler.klass_info
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            init_list = [column[0].target.attname for column in select[start:end]]
            shape = (
                klass_info["model"],
                start,
                end,
                init_list,
                get_related_populators(klass_info, select, alias),
                list(compiler.annotation_col_map.items()),  # set on each object, as ModelIterable does
            )
        else:
            shape = None
        converters = list(compiler.get_converters([column[0] for column in compiler.select]).items())
        flat = queryset._iterable_class is FlatValuesListIterable
        return sql, slots, converters, shape, flat

    def __call__(self, using: str = "default", **values) -> list:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        sql, slots, converters, shape, flat = compiled
        params = []
        for name, form in slots:
            if name is None:
                params.append(form)
                continue
            value = values[name]
            if form == "hex":
                value = uuid.UUID(str(value)).hex
            elif form == "str":
                value = str(value)
            params.append(value)
        connection = connections[using]
        with prepared_cursor(using) as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [_convert(row, converters, connection) for row in rows]
        if shape is None:
            return [row[0] for row in rows] if flat else [tuple(row) for row in rows]
        model, start, end, init_list, populators, annotations = shape
        objects = []
        for row in rows:
            obj = model.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


def _convert(row, converters, connection) -> list:
    row = list(row)
    for position, (functions, expression) in converters:
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return row
