"""config.sql builds model instances from hand-written SELECTs with the fields' own converters:
what it returns must equal what the ORM loads, on SQLite and on PostgreSQL."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from config import sql
from events.models import CheckinList, Edition, Ticket
from tests.events.factories import CheckinListFactory, EditionFactory, TicketFactory


def _fetch(model, pk):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT {sql.columns(model, "x")}, 42 FROM "{table}" x WHERE x."id" = %s', [pk]
        )
        return cursor.fetchone()


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "make"),
    [
        (Ticket, lambda: TicketFactory(revoked_at=timezone.now() - dt.timedelta(hours=1))),
        (CheckinList, lambda: CheckinListFactory(allowed_types=["press", "vip"], is_open=False)),
        (Edition, lambda: EditionFactory()),
    ],
)
def test_instances_equal_what_the_orm_loads(model, make):
    made = make()
    row = _fetch(model, made.pk)

    built, end = sql.instance(model, row)

    assert _fields(built) == _fields(model.objects.get(pk=made.pk))
    assert row[end] == 42  # the column after the model's own
    assert built._state.adding is False


@pytest.mark.django_db
def test_single_values_are_converted_like_the_field():
    moment = timezone.now().replace(microsecond=0) - dt.timedelta(days=1)
    ticket = TicketFactory(revoked_at=moment)
    with connection.cursor() as cursor:
        cursor.execute('SELECT "revoked_at" FROM "events_ticket" WHERE "id" = %s', [ticket.pk])
        raw = cursor.fetchone()[0]

    assert sql.value(Ticket, "revoked_at", raw) == moment


@pytest.mark.django_db
def test_fetch_returns_rows_and_raises_djangos_errors():
    from django.db import IntegrityError, transaction

    ticket = TicketFactory()
    statement = 'SELECT "id", "name" FROM "events_ticket" WHERE "code" = %s'
    for _ in range(3):  # prepared on PostgreSQL from the first run; same answer each time
        assert sql.fetch(statement, [ticket.code]) == (ticket.pk, ticket.name)
    assert sql.fetch(statement, ["NO-SUCH-CODE"]) is None
    assert sql.fetch(statement, [ticket.code], many=True) == [(ticket.pk, ticket.name)]

    duplicate = 'UPDATE "events_ticket" SET "code" = %s WHERE "id" = %s'
    other = TicketFactory(edition=ticket.edition)
    with pytest.raises(IntegrityError), transaction.atomic():
        sql.fetch(duplicate, [ticket.code, other.pk])
    assert sql.fetch(duplicate, ["FRESH-CODE", other.pk]) is None
    other.refresh_from_db()
    assert other.code == "FRESH-CODE"


@pytest.mark.django_db
def test_insert_writes_the_row_the_orm_reads_back():
    edition = EditionFactory()
    row = CheckinList(
        edition=edition, name="Khu VIP", slug="vip", kind="gate", allowed_types=["press", "vip"]
    )

    sql.insert(row)

    stored = CheckinList.objects.get(edition=edition, slug="vip")
    assert (stored.name, stored.kind, stored.allowed_types, stored.is_open) == (
        "Khu VIP",
        "gate",
        ["press", "vip"],
        True,
    )
