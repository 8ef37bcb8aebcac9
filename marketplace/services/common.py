from celery import current_app
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError


def enqueue(task, *args) -> None:
    """Run a Celery task once the current transaction commits, so the worker reads what this
    request wrote. Eager Celery (tests, a laptop) runs it at once on the same connection."""
    if current_app.conf.task_always_eager:
        task.delay(*args)
    else:
        transaction.on_commit(lambda: task.delay(*args))


def full_clean(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Model validation as an ApplicationError carrying the per-field messages."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        fields = {
            field: [str(message) for message in messages]
            for field, messages in exc.message_dict.items()
        }
        first = next(iter(fields.values()))[0]
        raise ApplicationError(
            "invalid", first or _("Check the highlighted fields."), extra={"fields": fields}
        ) from exc


def not_allowed(message=None) -> ApplicationError:
    return ApplicationError(
        "not_allowed", message or _("You may not do this with this listing."), status=403
    )
