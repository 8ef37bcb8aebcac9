"""Hand-written SELECTs for the few hot paths where building the query through the ORM costs
more CPU than the database spends answering it (the gate scan and API token authentication,
measured with bench/checkin.py). Rows become model instances, and values go through each
field's own database converters, exactly as the ORM would do it, so SQLite and PostgreSQL both
work."""

from functools import cache

from django.db import connection


def columns(model, alias: str) -> str:
    """The model's concrete columns, qualified by `alias`, in the order `instance` reads them."""
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


@cache
def _plan(model, vendor: str) -> tuple[list[str], list[tuple]]:
    table = model._meta.db_table
    names, plan = [], []
    for field in model._meta.concrete_fields:
        expression = field.get_col(table)
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        names.append(field.attname)
        plan.append((expression, tuple(converters)))
    return names, plan


def _convert(value, expression, converters):
    for converter in converters:
        value = converter(value, expression, connection)
    return value


def instance(model, row, start: int = 0):
    """The model instance held in row[start:...] (columns as `columns` lists them), and the
    index of the first column after it."""
    names, plan = _plan(model, connection.vendor)
    end = start + len(plan)
    values = [
        _convert(value, expression, converters)
        for value, (expression, converters) in zip(row[start:end], plan, strict=True)
    ]
    return model.from_db(connection.alias, names, values), end


def value(model, field_name: str, raw):
    """A single column's raw value converted as `model.field_name` would be."""
    names, plan = _plan(model, connection.vendor)
    expression, converters = plan[names.index(model._meta.get_field(field_name).attname)]
    return _convert(raw, expression, converters)


@cache
def _insert_statement(model) -> str:
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    names = ", ".join(f'"{field.column}"' for field in fields)
    return (
        f'INSERT INTO "{model._meta.db_table}" ({names}) VALUES ({", ".join(["%s"] * len(fields))})'
    )


def insert(instance) -> None:
    """Insert a new model instance's row (its primary key is left to the database and not read
    back), with each value prepared by its field as the ORM would."""
    values = [
        field.get_db_prep_save(getattr(instance, field.attname), connection)
        for field in instance._meta.concrete_fields
        if not field.primary_key
    ]
    fetch(_insert_statement(type(instance)), values)


def fetch(statement: str, params, *, many: bool = False):
    """Run a hand-written statement and return its first row (or all rows with `many`; None
    for a statement that returns none). On PostgreSQL it runs on a plain psycopg cursor over
    Django's connection, with the parameters bound by the server, instead of Django's
    client-side binding cursor; errors still surface as Django's (IntegrityError and so on).
    Elsewhere it goes through Django's cursor.

    The statements are not prepared: Django turns psycopg's prepared statements off (for
    connection poolers), and with them on (OPTIONS prepare_threshold, checked in PostgreSQL's
    log) bench/checkin.py measured the same PostgreSQL CPU per scan, so planning is not where
    its time goes."""
    with connection.cursor() as cursor:  # connects, and refuses to run in a broken transaction
        if connection.vendor != "postgresql":
            cursor.execute(statement, params)
            return _result(cursor, many)
        import psycopg

        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as raw:
            raw.execute(statement, params)
            # Asking for cursor.description would build a Column object per column on every
            # call; the result's status says the same for nothing.
            if raw.pgresult is None or raw.pgresult.status != psycopg.pq.ExecStatus.TUPLES_OK:
                return None
            return raw.fetchall() if many else raw.fetchone()


def _result(cursor, many: bool):
    if cursor.description is None:
        return None
    return cursor.fetchall() if many else cursor.fetchone()
