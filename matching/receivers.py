"""Reacting to the exchange: marketplace announces listings, matching indexes them. The task
runs after the transaction commits (at once with eager Celery)."""

from django.dispatch import receiver

from marketplace.services.common import enqueue
from marketplace.signals import listing_changed, listing_published

from . import tasks


@receiver(listing_published, dispatch_uid="matching_listing_published")
def on_listing_published(sender, listing, **kwargs) -> None:
    enqueue(tasks.listing_index_task, listing.kind, listing.pk, True)


@receiver(listing_changed, dispatch_uid="matching_listing_changed")
def on_listing_changed(sender, listing, **kwargs) -> None:
    enqueue(tasks.listing_index_task, listing.kind, listing.pk, False)
