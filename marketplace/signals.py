"""What the exchange tells the apps above it (matching indexes listings) without knowing them.
Both are sent by the services with sender=the model class and listing=the instance."""

from django.dispatch import Signal

# A listing became visible to everyone (first publication, approval after an edit, renewal).
listing_published = Signal()
# A listing's content or status changed (edited, sent back to review, rejected, archived).
listing_changed = Signal()
