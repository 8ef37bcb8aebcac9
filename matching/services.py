"""Writes of the matching app: indexing listings, feedback, alerts, saved searches, the
lexicon. Keyword-only arguments; the in-memory engine is refreshed from what is stored."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import ApplicationError
from accounts.models import Organisation, User
from marketplace import permissions as mp_permissions
from marketplace.exchange import listing_to_record
from marketplace.models import Listing, Offer, Request
from marketplace.services.common import enqueue
from marketplace.taxonomy import ListingStatus

from . import runtime
from .engine.engine import MIN_TEXT_SCORE
from .engine.explain import Reason
from .engine.features import Features, listing_features
from .engine.lexicon import LEXICON_DIR, Lexicon, read_links, read_synonyms
from .models import (
    AlertFrequency,
    AlertPreference,
    Feedback,
    LexiconEntry,
    LexiconKind,
    ListingFeatures,
    Notification,
    SavedSearch,
    SentAlert,
    Verdict,
)

# Scores of relevant pairs on the dev set sit mostly above 0.1, irrelevant ones below 0.085.
ALERT_THRESHOLD = 0.09


def alert_threshold() -> float:
    return float(getattr(settings, "MATCHING_ALERT_THRESHOLD", ALERT_THRESHOLD))


ALERT_CANDIDATES = 200


def model_for(kind: str) -> type[Listing]:
    if kind == "offer":
        return Offer
    if kind == "request":
        return Request
    raise ApplicationError("unknown_kind", _("Unknown listing kind."), status=404)


def listing_record(listing: Listing) -> dict:
    """The listing in the exchange format the engine reads (owner type included)."""
    return listing_to_record(listing)


# -- indexing ---------------------------------------------------------------------------------
def listing_featurize(*, listing: Listing) -> Features:
    return runtime.get_engine().featurize(listing_record(listing))


@transaction.atomic
def listing_index(*, listing: Listing) -> ListingFeatures:
    """Store the listing's features (published or not) and update this process's index."""
    published = listing.status == ListingStatus.PUBLISHED
    features = listing_featurize(listing=listing) if published else None
    lookup = {"offer": listing} if isinstance(listing, Offer) else {"request": listing}
    row, _created = ListingFeatures.objects.select_for_update().update_or_create(
        **lookup,
        defaults={
            "is_published": published,
            "features": runtime.stored(features) if features else {},
            "surface": features.surface if features else {},
        },
    )
    runtime.remember(listing.kind, listing.pk, features)
    return row


def listings_index_missing() -> int:
    """Index published listings that have no features yet (published before matching was
    installed, imported with signals off, or made by a demo seed). Idempotent."""
    count = 0
    for model, field in ((Offer, "offer"), (Request, "request")):
        indexed = ListingFeatures.objects.filter(
            **{f"{field}__isnull": False, "is_published": True}
        ).values_list(f"{field}_id", flat=True)
        missing = (
            model.objects.filter(status=ListingStatus.PUBLISHED)
            .exclude(pk__in=indexed)
            .select_related("organisation")
        )
        for listing in missing:
            listing_index(listing=listing)
            count += 1
    return count


# The lexicon the re-index featurizes with, set in the parent before its workers are forked.
_REINDEX_LEXICON: Lexicon | None = None


def _featurize_records(
    items: list[tuple[int, dict]], copy_text: bool
) -> str | list[tuple[int, dict, dict]]:
    """Features of (listing id, record) pairs. With `copy_text`, the rows as one block of
    PostgreSQL COPY text (id, features, surface): the worker serialises, the parent only
    sends. Otherwise (id, stored features, surface) tuples."""
    lexicon = _REINDEX_LEXICON or runtime.get_engine().lexicon
    if not copy_text:
        out = []
        for pk, record in items:
            features = listing_features(record, lexicon)
            out.append((pk, runtime.stored(features), features.surface))
        return out
    lines = []
    for pk, record in items:
        features = listing_features(record, lexicon)
        data = _JSON.encode(runtime.stored(features))
        surface = _JSON.encode(features.surface)
        # JSON escapes every control character, so only backslashes need COPY's escaping.
        lines.append(f"{pk}\t{_copy_escape(data)}\t{_copy_escape(surface)}\n")
    return "".join(lines)


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _copy_escape(text: str) -> str:
    return text.replace("\\", "\\\\")


def listings_reindex_all(*, batch: int = 500, workers: int | None = None) -> int:
    """Recompute every published listing's features (after a lexicon change) and drop rows of
    listings no longer published. Returns how many listings were indexed.

    Safe while the site serves: rows are replaced batch by batch, each batch in its own
    transaction (an upsert, so a reader sees the old features or the new, never a gap), and a
    row that `listing_index` rewrote after the batch was read (an edit, an unpublish) is left
    as it is. Large collections are featurized by forked worker processes while this process
    reads the next batches and writes the finished ones."""
    global _REINDEX_LEXICON
    import multiprocessing
    import os
    from collections import deque

    runtime.reset()
    # Only the lexicon is needed: loading the stored index (every row) would be wasted work.
    lexicon = runtime.lexicon_from_db()
    total = sum(m.objects.filter(status=ListingStatus.PUBLISHED).count() for m in (Offer, Request))
    if workers is None:
        workers = min(4, os.cpu_count() or 1) if total > 5000 else 1
    copy_text = connection.vendor == "postgresql"
    pool = None
    # Batches featurized or being featurized, oldest first: (field, ids, read at, result).
    pending: deque = deque()
    count = 0
    _REINDEX_LEXICON = lexicon
    try:
        if (
            workers > 1
            and "fork" in multiprocessing.get_all_start_methods()
            # A daemonic process (a worker of some pool) may not have children.
            and not multiprocessing.current_process().daemon
        ):
            pool = multiprocessing.get_context("fork").Pool(workers)
        for model in (Offer, Request):
            field = "offer" if model is Offer else "request"
            ListingFeatures.objects.filter(**{f"{field}__isnull": False}).exclude(
                **{f"{field}__status": ListingStatus.PUBLISHED}
            ).delete()
            for read_at, listings in _published_batches(model, batch):
                items = [(listing.pk, listing_record(listing)) for listing in listings]
                ids = [pk for pk, _record in items]
                count += len(ids)
                if pool is None:
                    _reindex_write(field, ids, read_at, _featurize_records(items, copy_text))
                    continue
                result = pool.apply_async(_featurize_records, (items, copy_text))
                pending.append((field, ids, read_at, result))
                # Write what is ready; wait only when enough work is queued for every worker.
                while pending and (len(pending) > 2 * workers or pending[0][3].ready()):
                    done_field, done_ids, done_at, done = pending.popleft()
                    _reindex_write(done_field, done_ids, done_at, done.get())
        while pending:
            done_field, done_ids, done_at, done = pending.popleft()
            _reindex_write(done_field, done_ids, done_at, done.get())
    finally:
        if pool is not None:
            if pending:  # an error: do not wait for work nobody will write
                pool.terminate()
            else:
                pool.close()
            pool.join()
        _REINDEX_LEXICON = None
    runtime.reset()
    return count


def _published_batches(model: type[Listing], size: int):
    """Published listings in primary-key order, `size` at a time, each batch with the time
    just before it was read (one short query per batch: no cursor held across the writes)."""
    last = 0
    listings = (
        model.objects.filter(status=ListingStatus.PUBLISHED)
        .select_related("organisation")
        .order_by("pk")
    )
    while True:
        read_at = timezone.now()
        chunk = list(listings.filter(pk__gt=last)[:size])
        if not chunk:
            return
        last = chunk[-1].pk
        yield read_at, chunk


def _reindex_write(field: str, ids: list[int], read_at, rows) -> None:
    """Store one batch in one transaction: insert or replace each listing's row, except rows
    stored after `read_at` (indexed again since the batch was read: they are newer)."""
    now = timezone.now()  # each batch its own time, so other processes pick up every batch
    if isinstance(rows, str):
        _reindex_write_postgresql(field, rows, read_at, now)
        return
    with transaction.atomic():
        newer = set(
            ListingFeatures.objects.filter(
                **{f"{field}_id__in": ids, "updated_at__gt": read_at}
            ).values_list(f"{field}_id", flat=True)
        )
        ListingFeatures.objects.filter(**{f"{field}_id__in": ids}).exclude(
            **{f"{field}_id__in": newer}
        ).delete()
        ListingFeatures.objects.bulk_create(
            [
                ListingFeatures(
                    is_published=True,
                    features=features,
                    surface=surface,
                    updated_at=now,
                    **{f"{field}_id": pk},
                )
                for pk, features, surface in rows
                if pk not in newer
            ],
            batch_size=500,
        )


def _reindex_write_postgresql(field: str, copy_text: str, read_at, now) -> None:
    """COPY the batch into a temporary table, then upsert from it: Django's bulk_create on
    PostgreSQL quotes every JSON document into an array literal in Python, which cost more
    than featurizing."""
    table = connection.ops.quote_name(ListingFeatures._meta.db_table)
    column = f"{field}_id"
    other = "request_id" if field == "offer" else "offer_id"
    with transaction.atomic(), connection.cursor() as cursor:
        # A row's JSON is compressed when stored; lz4, where the server has it, costs a
        # fraction of the default pglz's CPU to write and to read back.
        cursor.execute(
            "SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings "
            "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
        )
        # Dropped at the end, not only on commit: the caller may hold a transaction open.
        cursor.execute(
            "CREATE TEMPORARY TABLE matching_reindex_batch "
            "(listing_id bigint, features jsonb, surface jsonb) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY matching_reindex_batch FROM STDIN") as copy:
            copy.write(copy_text)
        cursor.execute(
            f"INSERT INTO {table} ({column}, {other}, is_published, features, surface, "
            "updated_at) "
            "SELECT listing_id, NULL, true, features, surface, %s FROM matching_reindex_batch "
            # Rows locked in one order, so two re-indexes at once cannot deadlock.
            "ORDER BY listing_id "
            f"ON CONFLICT ({column}) DO UPDATE SET is_published = true, "
            "features = EXCLUDED.features, surface = EXCLUDED.surface, "
            f"updated_at = EXCLUDED.updated_at WHERE {table}.updated_at <= %s",
            [now, read_at],
        )
        cursor.execute("DROP TABLE matching_reindex_batch")


# -- feedback -----------------------------------------------------------------------------------
@transaction.atomic
def feedback_record(
    *,
    user: User,
    offer: Offer,
    request: Request,
    verdict: str,
    score: float | None = None,
) -> Feedback:
    """The user's organisation (the side that owns one of the pair) judges the suggestion; a
    second verdict from the same organisation replaces the first."""
    if verdict not in Verdict.values:
        raise ApplicationError("invalid_verdict", _("Unknown verdict."))
    orgs = mp_permissions.organisation_ids(user)
    if request.organisation_id in orgs:
        organisation_id = request.organisation_id
    elif offer.organisation_id in orgs:
        organisation_id = offer.organisation_id
    else:
        raise ApplicationError(
            "not_allowed",
            _("Only the listing's organisation can judge its suggestions."),
            status=403,
        )
    feedback, _created = Feedback.objects.update_or_create(
        organisation_id=organisation_id,
        offer=offer,
        request=request,
        defaults={"verdict": verdict, "user": user, "score": score},
    )
    return feedback


# -- alerts -------------------------------------------------------------------------------------
def alert_frequency(user: User) -> str:
    preference = AlertPreference.objects.filter(user=user).first()
    return preference.frequency if preference else AlertFrequency.IMMEDIATE


@transaction.atomic
def alert_preference_set(*, user: User, frequency: str) -> AlertPreference:
    if frequency not in AlertFrequency.values:
        raise ApplicationError("invalid_frequency", _("Unknown alert frequency."))
    preference, _created = AlertPreference.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )
    return preference


@dataclass
class AlertCandidate:
    user: User
    offer: Offer | None
    score: float
    reasons: list[Reason]
    request: Request | None = None
    saved_search: SavedSearch | None = None
    subject_request: Request | None = None


def _record_alert(candidate: AlertCandidate, frequency: str) -> SentAlert | None:
    """Create the alert row; None if this user already had this alert (the unique constraints
    decide, so two workers cannot both send it)."""
    try:
        with transaction.atomic():
            return SentAlert.objects.create(
                user=candidate.user,
                offer=candidate.offer,
                subject_request=candidate.subject_request,
                request=candidate.request,
                saved_search=candidate.saved_search,
                score=candidate.score,
                reasons=[r.to_dict() for r in candidate.reasons],
                frequency=frequency,
            )
    except IntegrityError:
        return None


def _alerts_record_and_send(candidates: list[AlertCandidate]) -> list[SentAlert]:
    """Record each candidate's alert at its user's frequency (none when alerts are off, none
    already had) and send the immediate ones; daily ones wait for the digest."""
    from . import tasks

    created: list[SentAlert] = []
    frequencies = {
        p.user_id: p.frequency
        for p in AlertPreference.objects.filter(user__in={c.user.pk for c in candidates})
    }
    for candidate in candidates:
        frequency = frequencies.get(candidate.user.pk, AlertFrequency.IMMEDIATE)
        if frequency == AlertFrequency.OFF:
            continue
        alert = _record_alert(candidate, frequency)
        if alert is not None:
            created.append(alert)
    for alert in created:
        if alert.frequency == AlertFrequency.IMMEDIATE:
            enqueue(tasks.alert_send_task, alert.pk)
    return created


def alerts_for_offer(*, offer: Offer) -> list[SentAlert]:
    """Alert the members of organisations whose open requests match a newly published offer
    above the threshold, and the users whose saved searches on offers match it. Immediate
    alerts go out at once (e-mail and in-site notification); daily ones wait for the digest."""
    if offer.status != ListingStatus.PUBLISHED:
        return []
    engine = runtime.get_engine()
    features = listing_featurize(listing=offer)
    candidates: list[AlertCandidate] = []
    # Candidates: requests this offer could meet. Each is then scored the way the request
    # sees the offer (its own words as the query), which is what the threshold is about.
    matches = []
    for candidate in engine.match(features, "request", limit=ALERT_CANDIDATES, explain=False):
        request_features = engine.features("request", candidate.key)
        if request_features is None:
            continue
        match = engine.pair_score(request_features, "offer", offer.pk)
        if match is not None and match.score >= alert_threshold():
            # Again with the request's display forms, for the reasons in the alert.
            request_features = engine.indexed_features("request", candidate.key)
            match = engine.pair_score(request_features, "offer", offer.pk)  # type: ignore[arg-type]
        if match is not None and match.score >= alert_threshold():
            match.key = candidate.key
            matches.append(match)
    if matches:
        requests = {
            r.pk: r
            for r in Request.objects.filter(
                pk__in=[m.key for m in matches], status=ListingStatus.PUBLISHED
            ).exclude(organisation_id=offer.organisation_id)
        }
        dismissed = set(
            Feedback.objects.filter(
                offer=offer, request_id__in=list(requests), verdict=Verdict.NOT_RELEVANT
            ).values_list("organisation_id", "request_id")
        )
        members: dict[int, list[User]] = {}
        for user in User.objects.filter(
            memberships__organisation_id__in={r.organisation_id for r in requests.values()},
            is_active=True,
        ).prefetch_related("memberships"):
            for membership in user.memberships.all():
                members.setdefault(membership.organisation_id, []).append(user)
        for match in matches:
            request = requests.get(match.key)  # type: ignore[arg-type]
            if request is None or (request.organisation_id, request.pk) in dismissed:
                continue
            for user in members.get(request.organisation_id, []):
                candidates.append(AlertCandidate(user, offer, match.score, match.reasons, request))
    candidates.extend(_saved_search_candidates(offer))
    return _alerts_record_and_send(candidates)


def alerts_for_request(*, request: Request) -> list[SentAlert]:
    """Alert the users whose saved searches on requests match a newly published request (a
    seller watching for demand), except the request's own organisation. Same delivery, and
    the same "never twice", as the alerts about offers."""
    if request.status != ListingStatus.PUBLISHED:
        return []
    return _alerts_record_and_send(_saved_search_candidates(request))


def _saved_search_candidates(listing: Listing) -> list[AlertCandidate]:
    """The saved searches on the listing's kind that match it above the threshold. Each is
    scored against this one listing (`pair_score`), so a publish costs the same however large
    the catalogue is; the score is the one the search would give the listing in its results."""
    kind = listing.kind
    searches = (
        SavedSearch.objects.select_related("user")
        .filter(user__is_active=True, kind=kind)
        .filter(Q(sector="") | Q(sector=listing.sector))
        .filter(Q(province="") | Q(province=listing.province))
        .order_by("pk")
    )
    # Nobody is alerted about their own organisation's listing.
    searches = searches.exclude(user__memberships__organisation_id=listing.organisation_id)
    searches = list(searches)
    if not searches:
        return []
    engine = runtime.get_engine()
    # The search words stand for the other side: a buyer's need when looking at offers, a
    # seller's technology when looking at requests.
    query_kind = "request" if kind == "offer" else "offer"
    queries: dict[str, Features] = {}
    out = []
    for search in searches:
        query = queries.get(search.query)
        if query is None:
            query = queries[search.query] = engine.featurize(
                {"kind": query_kind, "title": search.query, "description": "", "language": "vi"}
            )
        match = engine.pair_score(query, kind, listing.pk)
        # `match` leaves out listings whose text score is below MIN_TEXT_SCORE; so does this.
        if match is None or match.text_score < MIN_TEXT_SCORE or match.score < alert_threshold():
            continue
        if kind == "offer":
            out.append(
                AlertCandidate(search.user, listing, match.score, match.reasons, None, search)
            )
        else:
            out.append(
                AlertCandidate(search.user, None, match.score, match.reasons, None, search, listing)
            )
    return out


def notification_create(*, user: User, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(user=user, title=title[:255], body=body, url=url[:255])


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> int:
    return Notification.objects.filter(user=user, pk=notification_id, read_at=None).update(
        read_at=timezone.now()
    )


# -- saved searches --------------------------------------------------------------------------
@transaction.atomic
def saved_search_create(
    *, user: User, query: str, sector: str = "", province: str = ""
) -> SavedSearch:
    query = " ".join(query.split())[:200]
    if not query:
        raise ApplicationError("empty_query", _("Type a few words to search for."))
    search, _created = SavedSearch.objects.get_or_create(
        user=user, query=query, sector=sector or "", province=province or ""
    )
    return search


@transaction.atomic
def saved_search_delete(*, user: User, search_id: int) -> None:
    deleted, _per_model = SavedSearch.objects.filter(user=user, pk=search_id).delete()
    if not deleted:
        raise ApplicationError("not_found", _("No such saved search."), status=404)


# -- lexicon ------------------------------------------------------------------------------------
@transaction.atomic
def lexicon_seed(*, directory: Path = LEXICON_DIR, replace: bool = False) -> int:
    """Load the lexicon files into the admin-editable table (once; `replace` starts over)."""
    if replace:
        LexiconEntry.objects.all().delete()
    elif LexiconEntry.objects.exists():
        return 0
    rows = [
        LexiconEntry(
            kind=LexiconKind.SYNONYM,
            sector=entry.sector,
            terms=" | ".join(entry.terms),
            position=n,
        )
        for n, entry in enumerate(read_synonyms(directory / "synonyms.tsv"))
    ]
    rows += [
        LexiconEntry(
            kind=LexiconKind.LINK,
            sector=entry.sector,
            terms=" + ".join(entry.problem),
            solutions=" | ".join(entry.solutions),
            weight=entry.weight,
            position=n,
        )
        for n, entry in enumerate(read_links(directory / "links.tsv"))
    ]
    LexiconEntry.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def organisation_for(user: User, organisation_id: int) -> Organisation | None:
    if organisation_id in mp_permissions.organisation_ids(user):
        return Organisation.objects.filter(pk=organisation_id).first()
    return None
