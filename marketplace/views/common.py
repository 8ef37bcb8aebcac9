from django.core.paginator import Paginator
from django.http import Http404

from ..models import Listing, Offer, Request

KINDS: dict[str, type[Listing]] = {"offer": Offer, "request": Request}
PAGE_SIZE = 20


def model_for(kind: str) -> type[Listing]:
    try:
        return KINDS[kind]
    except KeyError:
        raise Http404 from None


def paginate(request, queryset, *, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
