"""Database helpers every app may use (events is the lowest app).

`prepared_cursor`: a cursor of Django's connection whose statements are sent with their values apart
and PREPARED on PostgreSQL, for the hot paths whose statement text never changes (a gate scan's
decide call, the compiled reads below). On PostgreSQL, when nothing logs or wraps the connection's
queries (DEBUG off, no assertNumQueries or execute_wrapper), it is one cursor kept per connection
with Django's error mapping and broken-transaction check (`_LeanCursor`: a new cursor and Django's
wrapper for every statement cost a gate scan's decide call 0.15 ms of its 0.45); otherwise Django's
own cursor, with its query log and wrappers.
With `DATABASE_PREPARED` on (the default on PostgreSQL, config/settings/base.py) every statement is
prepared after its second run on a connection anyway; this asks for it at the first, and keeps the
hot paths prepared when the setting is off. Django opens psycopg connections with preparing off
(prepare_threshold None, for transaction-mode poolers), which `prepare=True` cannot override, so a
threshold no statement reaches is set then: only what is asked is prepared. A ROLLBACK makes psycopg
deallocate them; they are prepared again on next use. A transaction-mode pooler in front of
PostgreSQL needs protocol-level prepared statements (pgbouncer 1.21+, `max_prepared_statements`).
On any other database it is Django's own cursor.

`CompiledQuery`: querysets of the hot paths (the counter's, the checkout's), compiled to SQL once per
process and database, then run with new values: building a wide `select_related` query costs the ORM
more CPU than PostgreSQL spends answering it (a profile of the counter put about half of a
redemption's CPU in query compilation, and of an order about two thirds). `CompiledQuery(build)`
takes a function from named values to a queryset. It is built once with sentinel values, compiled,
and each sentinel's place among the SQL parameters is remembered; a call then executes that SQL with
the real values and turns the rows into what the queryset would have returned (model instances with
their `select_related` objects and annotations, or `values_list` tuples), through Django's own compiler (its
converters and related populators). Only plain equality filters on ids, strings or UUIDs may take
values; anything else must be fixed in `build`. Its statements run on `prepared_cursor`: planning the
stub's seven-table join cost PostgreSQL about 4.5 ms of CPU against 0.05 ms to run it (`python -m
bench stubs_cpu`); a prepared statement is planned for its first executions on each connection, then
runs on PostgreSQL's generic plan.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.db import connections
from django.db.models import Model, QuerySet, signals
from django.db.models.base import ModelState
from django.db.models.constants import OnConflict
from django.db.models.fields import AutoFieldMixin
from django.db.models.query import FlatValuesListIterable, ModelIterable, get_related_populators
from django.db.transaction import TransactionManagementError

_PREPARE_ONLY_WHEN_ASKED = 2**62


class _PreparingCursor:
    """psycopg's server-binding cursor on Django's connection, asking for every statement to be
    prepared; anything else goes to the cursor itself."""

    def __init__(self, raw_connection):
        import psycopg  # noqa: PLC0415  PostgreSQL only

        if raw_connection.prepare_threshold is None:
            raw_connection.prepare_threshold = _PREPARE_ONLY_WHEN_ASKED
        self._cursor = psycopg.Cursor(raw_connection)

    def execute(self, sql, params=None):
        return self._cursor.execute(sql, params, prepare=True)

    def __getattr__(self, name):
        return getattr(self._cursor, name)


class _LeanCursor:
    """Django's CursorWrapper for a hot path when nothing logs or wraps the connection's queries:
    what its execute and fetches do then (the check that the transaction is not broken, and
    `wrap_database_errors`, which maps psycopg's errors to Django's and marks the connection
    unusable on the others), around one preparing psycopg cursor kept per connection, so neither the
    wrapper nor a new cursor is built for every statement.

    Used only inside its `with`: while one is open on a connection, `prepared_cursor` hands a nested
    (or another thread's, where the connection is shared) request Django's own cursor, so no one's
    rows are replaced by someone else's statement. Leaving the `with` does not close the cursor: its
    last rows stay until the next statement on that connection replaces them."""

    __slots__ = ("busy", "cursor", "db")

    def __init__(self, db, cursor):
        self.db, self.cursor, self.busy = db, cursor, False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.busy = False

    def execute(self, sql, params=None):
        self.db.validate_no_broken_transaction()
        with self.db.wrap_database_errors:
            return self.cursor.execute(sql, params, prepare=True)

    def fetchone(self):
        with self.db.wrap_database_errors:
            return self.cursor.fetchone()

    def fetchall(self):
        with self.db.wrap_database_errors:
            return self.cursor.fetchall()

    @property
    def rowcount(self) -> int:
        return self.cursor.rowcount


def prepared_cursor(using: str = "default"):
    connection = connections[using]
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    if not connection.queries_logged and not connection.execute_wrappers:
        connection.validate_thread_sharing()  # as Django checks at every cursor
        raw = connection.connection
        lean = connection.__dict__.get("_corridor_lean_cursor")
        if lean is None or lean.cursor.connection is not raw or lean.cursor.closed:
            lean = connection._corridor_lean_cursor = _LeanCursor(connection, _PreparingCursor(raw)._cursor)
        if not lean.busy:  # in use (nested, or another thread's): Django's own cursor below
            lean.busy = True
            return lean
    with connection.wrap_database_errors:
        # Django's wrapping of a new cursor (BaseDatabaseWrapper._cursor), around a preparing one.
        return connection._prepare_cursor(_PreparingCursor(connection.connection))


_INT_SENTINEL = 1_999_999_000  # far above any id these queries meet while being compiled


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet], **kinds: type):
        self.build = build
        self.kinds = kinds  # name -> int | str | uuid.UUID
        self._compiled: dict[str, tuple] = {}
        self.widths: dict[str, int] = {}  # alias -> the statement's number of columns

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
        locks = queryset.query.select_for_update and connections[alias].features.has_select_for_update
        self.widths[alias] = len(compiler.select)
        return sql, slots, converters, shape, flat, locks

    def compiled(self, using: str = "default") -> tuple:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        return compiled

    def params(self, compiled: tuple, using: str, values: dict) -> list:
        """The statement's parameters for these values (checking, as Django does, that a locking
        read runs in a transaction)."""
        _sql, slots, _converters, _shape, _flat, locks = compiled
        if locks and connections[using].get_autocommit():
            # Django checks this when it compiles; compiled once, the check is made here on every call.
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
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
        return params

    def __call__(self, using: str = "default", **values) -> list:
        compiled = self.compiled(using)
        params = self.params(compiled, using, values)
        with prepared_cursor(using) as cursor:
            cursor.execute(compiled[0], params)
            rows = cursor.fetchall()
        return self.results(compiled, rows, using)

    def results(self, compiled: tuple, rows: list, using: str) -> list:
        """What the queryset would have returned for these rows of the compiled statement."""
        _sql, _slots, converters, shape, flat, _locks = compiled
        if converters:
            connection = connections[using]
            rows = [_convert(row, converters, connection) for row in rows]
        if shape is None:
            return [row[0] for row in rows] if flat else [tuple(row) for row in rows]
        model, start, end, init_list, populators, annotations = shape
        objects = []
        build = _builder(model)
        for row in rows:
            obj = build(model, using, init_list, row[start:end])
            for populator in populators:
                _populate(populator, row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


class CompiledPair:
    """Two compiled reads in one statement (one round trip instead of two): `SELECT * FROM (first)
    LEFT JOIN (second) ON TRUE`, where `first` reads at most one row (a `[:1]` query) and `second`
    does not depend on it. A call takes the values of both (their names must differ) and returns
    (first's rows, second's rows), each as its own CompiledQuery returns them; when `first` finds no
    row, neither is read (([], [])). The second's rows come in the order the join gives them: a caller
    that needs an order sorts them. Neither may lock: a join of two unrelated reads is for reads
    without locks."""

    def __init__(self, first: CompiledQuery, second: CompiledQuery):
        self.first, self.second = first, second
        self._sql: dict[str, str] = {}

    def __call__(self, using: str = "default", **values) -> tuple[list, list]:
        first, second = self.first.compiled(using), self.second.compiled(using)
        sql = self._sql.get(using)
        if sql is None:
            if first[5] or second[5]:
                raise ValueError("CompiledPair reads without locks")
            # Two statements the ORM compiled, every value a parameter.
            sql = self._sql[using] = (
                f"SELECT * FROM ({first[0]}) AS first_read LEFT JOIN ({second[0]}) AS second_read ON TRUE"  # noqa: S608
            )
        params = self.first.params(first, using, values) + self.second.params(second, using, values)
        with prepared_cursor(using) as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not rows:
            return [], []
        width = self.first.widths[using]
        if len(rows[0]) != width + self.second.widths[using]:
            raise ValueError("CompiledPair: the statement's columns are not its two reads'")
        # A second read that found nothing leaves one row of NULLs (a model row has its key).
        theirs = [row[width:] for row in rows]
        theirs = [row for row in theirs if any(value is not None for value in row)]
        return self.first.results(first, [rows[0][:width]], using), self.second.results(second, theirs, using)


def _loaded(model, using: str, init_list: list[str], values) -> Model:
    """What `model.from_db(using, init_list, values)` returns, built as unpickling builds an instance
    (`Model.__reduce__`): without `Model.__init__`, whose loop over every field cost the counter's reads
    about a fifth of their CPU (seven instances a redemption). Columns not in `init_list` stay deferred,
    loaded on access, as from_db leaves them. Only for models `_builder` allows."""
    instance = model.__new__(model)
    instance.__dict__.update(zip(init_list, values, strict=True))
    instance._state = state = ModelState()
    state.adding, state.db = False, using
    return instance


def _from_db(model, using: str, init_list: list[str], values) -> Model:
    return model.from_db(using, init_list, values)


_BUILDERS: dict[type, Callable] = {}


def _builder(model) -> Callable:
    """`_loaded` for a model that builds its instances Django's default way (no `__init__` or
    `from_db` of its own) and that no pre_init or post_init receiver listens to; `from_db` otherwise.
    Decided on first use in the process (receivers connect at start-up, in the apps' `ready`)."""
    builder = _BUILDERS.get(model)
    if builder is None:
        plain = (
            model.__init__ is Model.__init__
            and model.from_db.__func__ is Model.from_db.__func__
            and not signals.pre_init.has_listeners(model)
            and not signals.post_init.has_listeners(model)
        )
        builder = _BUILDERS[model] = _loaded if plain else _from_db
    return builder


def _populate(populator, row, from_obj) -> None:
    """Django's `RelatedPopulator.populate` (a `select_related` object of a row), building its
    instance with `_builder`."""
    if populator.reorder_for_init:
        values = populator.reorder_for_init(row)
    else:
        values = row[populator.cols_start : populator.cols_end]
    if values[populator.pk_idx] is None:
        obj = None
    else:
        model = populator.model_cls
        obj = _builder(model)(model, populator.db, populator.init_list, values)
        for related in populator.related_populators:
            _populate(related, row, obj)
    populator.local_setter(from_obj, obj)
    if obj is not None:
        populator.remote_setter(obj, from_obj)


def _convert(row, converters, connection) -> list:
    row = list(row)
    for position, (functions, expression) in converters:
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return row


# --- INSERTs built once ----------------------------------------------------------------------------------

_INSERTS: dict[tuple, tuple[str, list]] = {}


def rows_insert(
    objs: list,
    *,
    unique_fields: tuple[str, ...] = (),
    update_fields: tuple[str, ...] = (),
    using: str = "default",
) -> list:
    """`Model.objects.bulk_create(objs)` (or with update_conflicts on `unique_fields`, replacing
    `update_fields`) for the hot paths: the same one INSERT ... RETURNING the primary key, set on the
    objects, but its SQL built once per model, conflict clause, row count and database instead of by
    the ORM's compiler each time (about 0.3 ms of CPU an INSERT). Values go through each field's
    `pre_save` and `get_db_prep_save` as the ORM's do; like bulk_create it sends no signals and calls
    no `save()`. The objects are new rows of one model with an automatic primary key."""
    if not objs:
        return objs
    connection = connections[using]
    sql, params = insert_statement(
        objs, unique_fields=unique_fields, update_fields=update_fields, using=using
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for obj, (value,) in zip(objs, rows, strict=True):
        inserted(obj, value, using)
    return objs


def insert_statement(
    objs: list,
    *,
    unique_fields: tuple[str, ...] = (),
    update_fields: tuple[str, ...] = (),
    using: str = "default",
) -> tuple[str, list]:
    """rows_insert's statement and values for `objs`, not run (a caller may put it in a WITH)."""
    model = type(objs[0])
    connection = connections[using]
    key = (model, unique_fields, update_fields, len(objs), connection.vendor)
    built = _INSERTS.get(key)
    if built is None:
        built = _INSERTS[key] = _insert_sql(model, unique_fields, update_fields, len(objs), connection)
    sql, fields = built
    params = []
    for obj in objs:
        if obj.pk is not None:
            raise ValueError(f"{obj!r} has a primary key already: rows_insert writes new rows only")
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        params += insert_params(obj, fields, connection)
    return sql, params


def insert_fields(model) -> list:
    """The columns an INSERT of a new row of `model` writes (every concrete one but the automatic key)."""
    opts = model._meta
    if not isinstance(opts.pk, AutoFieldMixin):
        raise ValueError(f"{model.__name__}: rows_insert needs an automatic primary key")
    return [field for field in opts.concrete_fields if field is not opts.pk and not field.generated]


def insert_params(obj, fields, connection) -> list:
    """`obj`'s values for `fields`, as the ORM's INSERT sends them (pre_save, then get_db_prep_save)."""
    return [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]


def inserted(obj, pk, using: str = "default") -> None:
    """Mark `obj` as the stored row `pk`, as bulk_create does after its INSERT."""
    setattr(obj, obj._meta.pk.attname, pk)
    obj._state.adding = False
    obj._state.db = using


def _insert_sql(model, unique_fields, update_fields, count: int, connection) -> tuple[str, list]:
    opts = model._meta
    fields = insert_fields(model)
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
        f"{connection.ops.bulk_insert_sql(fields, [['%s'] * len(fields)] * count)}"
    )
    if unique_fields:
        columns = [opts.get_field(name).column for name in unique_fields]
        updates = [opts.get_field(name).column for name in update_fields]
        sql += " " + connection.ops.on_conflict_suffix_sql(fields, OnConflict.UPDATE, updates, columns)
    returning, _params = connection.ops.return_insert_columns([opts.pk])
    return f"{sql} {returning}", fields
