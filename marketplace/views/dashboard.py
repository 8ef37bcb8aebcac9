import csv
import json

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions, selectors
from ..taxonomy import GROWTH_TARGET_PERCENT, IP_SHARE_TARGET_PERCENT, TECHNOLOGY_SHARE_TARGET


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _require(request) -> None:
    if not permissions.can_view_statistics(request.user):
        raise PermissionDenied


def dashboard(request):
    _require(request)
    data = selectors.dashboard(year=_year(request))
    chart_months = {
        "labels": [row.label for row in data.by_month],
        "offers": [row.offers for row in data.by_month],
        "requests": [row.requests for row in data.by_month],
        "inquiries": [row.inquiries for row in data.by_month],
        "deals": [row.deals for row in data.by_month],
        "series": [_("Offers"), _("Requests"), _("Inquiries"), _("Confirmed deals")],
    }
    chart_years = {
        "labels": [str(item.year) for item in data.indicators],
        "values": [item.value for item in data.indicators],
        "series": [_("Value of confirmed deals (đồng)")],
    }
    context = {
        "data": data,
        "tables": [
            (_("By month"), data.by_month),
            (_("By sector"), data.by_sector),
            (_("By province"), data.by_province),
        ],
        "chart_months_json": json.dumps(chart_months, ensure_ascii=False),
        "chart_years_json": json.dumps(chart_years, ensure_ascii=False),
        "growth_target": GROWTH_TARGET_PERCENT,
        "ip_target": IP_SHARE_TARGET_PERCENT,
        "technology_target": TECHNOLOGY_SHARE_TARGET,
    }
    return render(request, "marketplace/dashboard.html", context)


def dashboard_csv(request):
    _require(request)
    data = selectors.dashboard(year=_year(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="techmart-thong-ke-{data.year}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Vietnamese as UTF-8
    writer = csv.writer(response)
    header = [
        _("Offers"),
        _("Requests"),
        _("Inquiries"),
        _("Confirmed deals"),
        _("Value of confirmed deals (đồng)"),
    ]
    for title, rows in (
        (_("Month"), data.by_month),
        (_("Sector"), data.by_sector),
        (_("Province"), data.by_province),
    ):
        writer.writerow([title, *header])
        for row in rows:
            writer.writerow(
                [row.label, row.offers, row.requests, row.inquiries, row.deals, row.deal_value]
            )
        writer.writerow([])
    writer.writerow(
        [
            _("Year"),
            _("Confirmed deals"),
            _("Value of confirmed deals (đồng)"),
            _("Growth (%)"),
            _("Intellectual property share (%)"),
            _("Technology share (%)"),
        ]
    )
    for item in data.indicators:
        writer.writerow(
            [
                item.year,
                item.deals,
                item.value,
                "" if item.growth_percent is None else item.growth_percent,
                "" if item.ip_share_percent is None else item.ip_share_percent,
                "" if item.technology_share_percent is None else item.technology_share_percent,
            ]
        )
    return response
