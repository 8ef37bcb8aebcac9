"""The Department's statistics: activity by month, sector and province for a year, and the
indicators of seed document 004 for every year with confirmed deals."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from accounts.provinces import PROVINCE_CHOICES

from ..models import Deal, Inquiry, Offer, Request
from ..taxonomy import (
    GROWTH_TARGET_PERCENT,
    IP_DEAL_TYPES,
    IP_SHARE_TARGET_PERCENT,
    TECHNOLOGY_DEAL_TYPES,
    TECHNOLOGY_SHARE_TARGET,
    Sector,
)

SERIES = ("offers", "requests", "inquiries", "deals")


@dataclass
class Row:
    key: str
    label: str
    offers: int = 0
    requests: int = 0
    inquiries: int = 0
    deals: int = 0
    deal_value: int = 0


@dataclass
class YearIndicators:
    year: int
    deals: int
    value: int
    ip_value: int
    technology_value: int
    growth_percent: float | None = None
    ip_share_percent: float | None = None
    technology_share_percent: float | None = None

    @property
    def growth_met(self) -> bool | None:
        if self.growth_percent is None:
            return None
        return self.growth_percent >= GROWTH_TARGET_PERCENT

    @property
    def ip_share_met(self) -> bool | None:
        if self.ip_share_percent is None:
            return None
        return self.ip_share_percent > IP_SHARE_TARGET_PERCENT

    @property
    def technology_share_met(self) -> bool | None:
        if self.technology_share_percent is None:
            return None
        low, high = TECHNOLOGY_SHARE_TARGET
        return low <= self.technology_share_percent <= high


@dataclass
class Dashboard:
    year: int
    years: list[int]
    by_month: list[Row] = field(default_factory=list)
    by_sector: list[Row] = field(default_factory=list)
    by_province: list[Row] = field(default_factory=list)
    indicators: list[YearIndicators] = field(default_factory=list)

    @property
    def totals(self) -> Row:
        total = Row("total", "")
        for row in self.by_month:
            for name in (*SERIES, "deal_value"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total


def _confirmed_deals():
    return Deal.objects.filter(confirmed_at__isnull=False)


def _grouped(year: int, group: str) -> dict[str, dict]:
    """{series: {key: count}} plus deal values, each series one GROUP BY query."""
    sources = {
        "offers": (Offer.objects.filter(published_at__isnull=False), "published_at"),
        "requests": (Request.objects.filter(published_at__isnull=False), "published_at"),
        "inquiries": (Inquiry.objects.all(), "created_at"),
        "deals": (_confirmed_deals(), "signed_on"),
    }
    result: dict[str, dict] = {name: {} for name in (*SERIES, "deal_value")}
    for name, (queryset, date_field) in sources.items():
        queryset = queryset.annotate(year=ExtractYear(date_field)).filter(year=year)
        if group == "month":
            queryset = queryset.annotate(key=ExtractMonth(date_field))
            key = "key"
        else:
            key = group
        aggregates = {"n": Count("pk")}
        if name == "deals":
            aggregates["value"] = Sum("value_vnd")
        for row in queryset.values(key).annotate(**aggregates).order_by():
            result[name][row[key]] = row["n"]
            if name == "deals":
                result["deal_value"][row[key]] = row["value"] or 0
    return result


def _rows(grouped: dict, keys: list[tuple]) -> list[Row]:
    rows = []
    for key, label in keys:
        row = Row(str(key), str(label))
        for name in (*SERIES, "deal_value"):
            setattr(row, name, grouped[name].get(key, 0))
        rows.append(row)
    return rows


def indicators_by_year() -> list[YearIndicators]:
    rows = (
        _confirmed_deals()
        .annotate(year=ExtractYear("signed_on"))
        .values("year")
        .annotate(
            n=Count("pk"),
            value=Sum("value_vnd"),
            ip_value=Sum("value_vnd", filter=Q(type__in=IP_DEAL_TYPES)),
            technology_value=Sum("value_vnd", filter=Q(type__in=TECHNOLOGY_DEAL_TYPES)),
        )
        .order_by("year")
    )
    result: list[YearIndicators] = []
    previous: YearIndicators | None = None
    for row in rows:
        item = YearIndicators(
            year=row["year"],
            deals=row["n"],
            value=row["value"] or 0,
            ip_value=row["ip_value"] or 0,
            technology_value=row["technology_value"] or 0,
        )
        if item.value:
            item.ip_share_percent = round(100 * item.ip_value / item.value, 1)
            item.technology_share_percent = round(100 * item.technology_value / item.value, 1)
        if previous is not None and previous.year == item.year - 1 and previous.value:
            item.growth_percent = round(100 * (item.value - previous.value) / previous.value, 1)
        result.append(item)
        previous = item
    return result


def dashboard(*, year: int) -> Dashboard:
    indicators = indicators_by_year()
    years = sorted({item.year for item in indicators} | {year}, reverse=True)
    data = Dashboard(year=year, years=years, indicators=indicators)
    data.by_month = _rows(_grouped(year, "month"), [(m, f"{m:02d}/{year}") for m in range(1, 13)])
    data.by_sector = _rows(_grouped(year, "sector"), list(Sector.choices))
    provinces = _grouped(year, "province")
    present = {key for series in provinces.values() for key in series}
    data.by_province = _rows(
        provinces, [(code, name) for code, name in PROVINCE_CHOICES if code in present]
    )
    return data
