from django import template

register = template.Library()


@register.filter
def dong(value) -> str:
    """12000000 → "12.000.000 đ": Vietnamese groups thousands with dots; VND has no decimals."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    return f"{amount:,}".replace(",", ".") + " đ"
