from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from marketplace.models import Offer, Request


class ListingFeatures(models.Model):
    """A listing's matching features, computed once when it is indexed. Each process keeps an
    in-memory index built from these rows and refreshed from the rows changed since."""

    offer = models.OneToOneField(
        Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    request = models.OneToOneField(
        Request, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    is_published = models.BooleanField(default=False, db_index=True)
    features = models.JSONField(default=dict)
    # Display forms of the words, read only for the few listings a page explains.
    surface = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("listing features")
        verbose_name_plural = _("listing features")
        constraints = [
            models.CheckConstraint(
                condition=(Q(offer__isnull=False) & Q(request__isnull=True))
                | (Q(offer__isnull=True) & Q(request__isnull=False)),
                name="listingfeatures_one_listing",
            )
        ]

    def __str__(self) -> str:
        return f"offer {self.offer_id}" if self.offer_id else f"request {self.request_id}"

    @property
    def kind(self) -> str:
        return "offer" if self.offer_id else "request"

    @property
    def listing_id(self) -> int:
        return self.offer_id or self.request_id  # type: ignore[return-value]


class Verdict(models.TextChoices):
    USEFUL = "useful", _("Useful")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


class Feedback(models.Model):
    """An organisation's verdict on one offer-request suggestion. "Not relevant" hides the pair
    from that organisation's suggestions."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    score = models.FloatField(_("score when shown"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("suggestion feedback")
        verbose_name_plural = _("suggestion feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "offer", "request"], name="feedback_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.offer_id}/{self.request_id} {self.verdict}"


class LexiconKind(models.TextChoices):
    SYNONYM = "synonym", _("Synonyms / translations")
    LINK = "link", _("Problem → solution")


class LexiconEntry(models.Model):
    """One line of the domain lexicon, seeded from matching/lexicon/*.tsv and editable by
    moderators. Synonyms: terms separated by "|". Links: problem terms joined by "+" (all must
    be present) and solution terms separated by "|"."""

    kind = models.CharField(_("kind"), max_length=10, choices=LexiconKind.choices)
    sector = models.CharField(_("sector"), max_length=20, default="general")
    terms = models.TextField(
        _("terms"), help_text=_('Synonyms: "heo | lợn | pig". Links: the problem, "mùi hôi + heo".')
    )
    solutions = models.TextField(
        _("solutions"), blank=True, help_text=_('Links only: "biogas | đệm lót sinh học".')
    )
    weight = models.FloatField(_("weight"), default=1.0)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lexicon entry")
        verbose_name_plural = _("lexicon entries")
        ordering = ["kind", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="synonym") | ~Q(solutions=""), name="lexicon_link_has_solutions"
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=1), name="lexicon_weight_0_1"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == LexiconKind.LINK:
            return f"{self.terms} → {self.solutions}"
        return self.terms


class AlertFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("Daily digest")
    OFF = "off", _("Never")


class AlertPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matching_alerts"
    )
    frequency = models.CharField(
        _("alerts"),
        max_length=10,
        choices=AlertFrequency.choices,
        default=AlertFrequency.IMMEDIATE,
    )

    class Meta:
        verbose_name = _("alert preference")
        verbose_name_plural = _("alert preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.frequency}"


class SavedSearchKind(models.TextChoices):
    """Which listings a saved search watches: the page it was saved on."""

    OFFER = "offer", _("Technology offers")
    REQUEST = "request", _("Technology requests")


class SavedSearch(models.Model):
    """A search on the exchange that the user wants to hear about: new published listings of
    its kind (offers or requests) whose text matches the query (and sector / province when
    given) raise an alert."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    kind = models.CharField(
        _("listings"),
        max_length=10,
        choices=SavedSearchKind.choices,
        default=SavedSearchKind.OFFER,
    )
    query = models.CharField(_("search words"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, blank=True)
    province = models.CharField(_("province"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "query", "sector", "province"], name="savedsearch_unique"
            )
        ]

    def __str__(self) -> str:
        return self.query


class SentAlert(models.Model):
    """One alert for one user about one new listing (its subject: an offer, or a request for
    a saved search watching requests), because of one of their requests or saved searches.
    The unique constraints are what make "never the same alert twice" hold even when two
    workers race. sent_at stays empty until the daily digest goes out."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject_request = models.ForeignKey(
        Request, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The cause, when the user's organisation's request matched the new offer.
    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    saved_search = models.ForeignKey(
        SavedSearch, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    frequency = models.CharField(max_length=10, choices=AlertFrequency.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("sent alert")
        verbose_name_plural = _("sent alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "offer", "request"],
                condition=Q(request__isnull=False),
                name="sentalert_once_per_request",
            ),
            models.UniqueConstraint(
                fields=["user", "offer", "saved_search"],
                condition=Q(saved_search__isnull=False),
                name="sentalert_once_per_search",
            ),
            # The rule above never fires for a request subject (its offer is NULL).
            models.UniqueConstraint(
                fields=["user", "subject_request", "saved_search"],
                condition=Q(saved_search__isnull=False) & Q(subject_request__isnull=False),
                name="sentalert_once_per_search_request",
            ),
            models.CheckConstraint(
                condition=Q(request__isnull=False) | Q(saved_search__isnull=False),
                name="sentalert_has_a_cause",
            ),
            models.CheckConstraint(
                condition=(Q(offer__isnull=False) & Q(subject_request__isnull=True))
                | (Q(offer__isnull=True) & Q(subject_request__isnull=False)),
                name="sentalert_one_subject",
            ),
            # A request is only ever the cause of an alert about an offer.
            models.CheckConstraint(
                condition=Q(request__isnull=True) | Q(offer__isnull=False),
                name="sentalert_request_cause_for_offer",
            ),
        ]

    def __str__(self) -> str:
        if self.offer_id:
            return f"{self.user} ← offer {self.offer_id}"
        return f"{self.user} ← request {self.subject_request_id}"

    @property
    def subject(self) -> Offer | Request:
        return self.offer if self.offer_id else self.subject_request  # type: ignore[return-value]


class Notification(models.Model):
    """An in-site notification (the bell)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matching_notifications"
    )
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title
