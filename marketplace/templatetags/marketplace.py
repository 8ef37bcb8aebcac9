from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def vnd(value) -> str:
    """Whole đồng with dots between thousands, as Vietnamese write it; None is negotiable."""
    if value is None or value == "":
        return _("Negotiable")
    return f"{int(value):,}".replace(",", ".") + " ₫"


@register.filter
def first_image(listing):
    images = list(getattr(listing, "images", None).all()) if hasattr(listing, "images") else []
    return images[0] if images else None


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    querystring = context.get("querystring", "")
    return f"?{querystring}&page={number}" if querystring else f"?page={number}"
