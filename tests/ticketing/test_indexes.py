"""The indexes of the tables an order writes (ticketing/migrations/0011_order_lean_indexes.py): every
foreign key still leads an index (look-ups by it and the checks of a deleted row stay indexed), and
none has a single-column index besides one that starts with it (one more index insert per row)."""

from __future__ import annotations

import pytest
from django.db import connection, models

from ticketing.models import CartLine, Credential, Order, OrderLine, Ticket

pytestmark = pytest.mark.django_db

WRITTEN_BY_AN_ORDER = [CartLine, Order, OrderLine, Credential, Ticket]


def _indexes(model) -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [c["columns"] for c in constraints.values() if c["index"] or c["unique"] or c["primary_key"]]


@pytest.mark.parametrize("model", WRITTEN_BY_AN_ORDER, ids=lambda model: model.__name__)
def test_every_foreign_key_leads_one_index_and_is_not_indexed_twice(model):
    indexes = _indexes(model)
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey):
            continue
        leading = [columns for columns in indexes if columns[0] == field.column]
        assert leading, f"{model.__name__}.{field.name} leads no index"
        if any(len(columns) > 1 for columns in leading):
            assert [field.column] not in leading, f"{model.__name__}.{field.name} is indexed twice"


@pytest.mark.postgres
def test_no_prefix_index_beside_the_unique_codes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN (%s, %s) AND indexdef LIKE %s",
            [Order._meta.db_table, Credential._meta.db_table, "%varchar_pattern_ops%"],
        )
        assert cursor.fetchall() == []
    assert Order._meta.get_field("code").unique and Credential._meta.get_field("short_code").unique
