from django.db.models import QuerySet

from .models import Membership, Organisation, User


def organisation_list_for_user(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user).order_by("name").distinct()


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def membership_list_for_organisation(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-role", "user__email")
    )


def organisation_list(*, search: str = "", type: str = "", province: str = "") -> QuerySet:
    queryset = Organisation.objects.all().order_by("name")
    if search:
        queryset = queryset.filter(name__icontains=search)
    if type:
        queryset = queryset.filter(type=type)
    if province:
        queryset = queryset.filter(province=province)
    return queryset
