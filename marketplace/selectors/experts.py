from django.db.models import QuerySet

from ..models import Expert, Intermediary
from ..text import search_terms


def expert_search(*, q: str = "", sector: str = "", province: str = "") -> QuerySet[Expert]:
    queryset = Expert.objects.filter(is_active=True).select_related("organisation")
    for term in search_terms(q):
        queryset = queryset.filter(search_document__contains=term)
    if sector:
        queryset = queryset.filter(fields__contains=f",{sector},")
    if province:
        queryset = queryset.filter(province=province)
    return queryset.order_by("name", "pk")


def intermediary_list(*, kind: str = "", sector: str = "") -> QuerySet[Intermediary]:
    queryset = Intermediary.objects.filter(is_active=True).select_related("organisation")
    if kind:
        queryset = queryset.filter(kind=kind)
    if sector:
        queryset = queryset.filter(sectors__contains=f",{sector},")
    return queryset.order_by("organisation__name", "pk")
