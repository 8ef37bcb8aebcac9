from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError

from .. import selectors, services
from ..forms import ExpertContactForm, ExpertFilterForm
from ..models import Expert
from ..taxonomy import IntermediaryKind, Sector
from .common import is_htmx, paginate, querystring_without_page


def expert_list(request):
    form = ExpertFilterForm(request.GET)
    page = paginate(request, selectors.expert_search(**form.values()))
    context = {"form": form, "page": page, "querystring": querystring_without_page(request)}
    template = (
        "marketplace/partials/expert_results.html"
        if is_htmx(request)
        else "marketplace/expert_list.html"
    )
    return render(request, template, context)


def expert_detail(request, pk: int):
    expert = get_object_or_404(Expert.objects.select_related("organisation"), pk=pk, is_active=True)
    initial = {}
    if request.user.is_authenticated:
        initial = {"sender_name": request.user.get_full_name(), "sender_email": request.user.email}
    form = ExpertContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_contact(expert=expert, sender=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your message was forwarded to the expert by email."))
            return redirect(expert.get_absolute_url())
    return render(request, "marketplace/expert_detail.html", {"expert": expert, "form": form})


def intermediary_list(request):
    kind = request.GET.get("kind", "")
    sector = request.GET.get("sector", "")
    kind = kind if kind in IntermediaryKind.values else ""
    sector = sector if sector in Sector.values else ""
    context = {
        "intermediaries": selectors.intermediary_list(kind=kind, sector=sector),
        "kinds": IntermediaryKind.choices,
        "sectors": Sector.choices,
        "kind": kind,
        "sector": sector,
    }
    return render(request, "marketplace/intermediary_list.html", context)
