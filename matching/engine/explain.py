"""Reasons attached to a suggestion, stored as codes with parameters and rendered in the
reader's language when shown (msgids in English, Vietnamese in matching/locale/vi)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, pgettext


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


def format_vnd(amount: int, language: str) -> str:
    """350000000 -> "350 triệu" / "350 million ₫"; 1200000000 -> "1,2 tỷ" / "1.2 billion ₫"."""
    with translation.override(language):
        if amount >= 1_000_000_000:
            value, unit = amount / 1_000_000_000, pgettext("money", "billion")
        elif amount >= 1_000_000:
            value, unit = amount / 1_000_000, pgettext("money", "million")
        else:
            grouped = f"{amount:,}"
            if language == "vi":
                return grouped.replace(",", ".") + " đồng"
            return grouped + " ₫"
        text = f"{value:.1f}".rstrip("0").rstrip(".")
        if language == "vi":
            return f"{text.replace('.', ',')} {unit}"
        return f"{text} {unit} ₫"


def format_ratio(ratio: float, language: str) -> str:
    text = f"{ratio:.1f}"
    return text.replace(".", ",") if language == "vi" else text


def _province_name(code: str) -> str:
    from accounts.provinces import province_name

    return str(province_name(code) or code)


def _region_label(code: str) -> str:
    from accounts.provinces import PROVINCE_REGIONS

    region = PROVINCE_REGIONS.get(code)
    return str(region.label) if region is not None else ""


def render_reason(reason: Reason, language: str) -> str:
    p = reason.params
    with translation.override(language):
        if reason.code == "terms":
            return gettext("Matches: %(terms)s") % {"terms": ", ".join(p["terms"])}
        if reason.code == "synonym":
            return f"{p['query']} ≈ {p['match']}"
        if reason.code == "solves":
            return gettext("%(problem)s → %(solution)s") % p
        if reason.code == "within_budget":
            return gettext("Price %(price)s ≤ budget %(budget)s") % {
                "price": format_vnd(p["price"], language),
                "budget": format_vnd(p["budget"], language),
            }
        if reason.code == "over_budget":
            return gettext("Over budget %(ratio)s times") % {
                "ratio": format_ratio(p["ratio"], language)
            }
        if reason.code == "same_province":
            return gettext("Same province: %(province)s") % {
                "province": _province_name(p["province"])
            }
        if reason.code == "same_region":
            return gettext("Same region: %(region)s") % {"region": _region_label(p["province"])}
        if reason.code == "trl_ready":
            return gettext("TRL %(trl)s – ready for market") % p
        if reason.code == "trl_proven":
            return gettext("TRL %(trl)s – proven in real conditions") % p
        if reason.code == "trl_low":
            return gettext("TRL %(trl)s – still in development") % p
        if reason.code == "no_price":
            return gettext("Price negotiable")
        return reason.code


def render_reasons(reasons: list[Reason], language: str) -> list[str]:
    return [render_reason(r, language) for r in reasons]
