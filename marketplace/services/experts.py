from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from accounts.models import User

from .. import tasks
from ..models import Expert, ExpertContact
from ..text import fold
from .common import enqueue, full_clean

EXPERT_CONTACTS_PER_HOUR = 5
EXPERT_FIELDS = ("name", "title", "fields", "organisation", "expertise", "province", "email")


def expert_refresh_search(expert: Expert) -> None:
    parts = [expert.name, expert.title, expert.expertise]
    if expert.organisation_id:
        parts.append(expert.organisation.name)
    parts.extend(str(label) for label in expert.get_fields_display())
    expert.search_document = fold(" ".join(part for part in parts if part))


@transaction.atomic
def expert_save(*, expert: Expert | None = None, **fields) -> Expert:
    """Create or update an expert (the directory is kept by moderators in the admin)."""
    unknown = set(fields) - set(EXPERT_FIELDS) - {"is_active"}
    if unknown:
        raise ValueError(f"Not expert fields: {sorted(unknown)}")
    expert = expert or Expert()
    for name, value in fields.items():
        setattr(expert, name, value)
    full_clean(expert)
    expert_refresh_search(expert)
    expert.save()
    return expert


@transaction.atomic
def expert_contact(
    *, expert: Expert, sender: User | None, sender_name: str, sender_email: str, body: str
) -> ExpertContact:
    """Keep the message and forward it by email; the expert's address is never shown. A sender
    may write a few messages an hour, so the form cannot be used to flood experts."""
    key = f"marketplace:expert-contact:{sender_email.strip().lower()}"
    sent = cache.get(key, 0)
    if sent >= EXPERT_CONTACTS_PER_HOUR:
        raise ApplicationError(
            "too_many_messages",
            _("You have sent several messages in the last hour. Please try again later."),
            status=429,
        )
    contact = ExpertContact(
        expert=expert,
        sender=sender if getattr(sender, "is_authenticated", False) else None,
        sender_name=sender_name.strip(),
        sender_email=sender_email.strip(),
        body=body.strip(),
    )
    full_clean(contact, exclude=["sender", "expert"])
    contact.save()
    cache.set(key, sent + 1, timeout=60 * 60)
    enqueue(tasks.expert_contact_forward, contact.pk)
    return contact
