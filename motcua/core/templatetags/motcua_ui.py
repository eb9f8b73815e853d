"""Small template helpers shared by the staff and public layouts."""

from decimal import Decimal

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def icon(name: str, css_class: str = "") -> str:
    """
    Render icon ``name`` from static/img/icons.svg, hidden from screen readers:
    the text next to it says what it means.
    """
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false">'
        '<use href="{}#{}"></use></svg>',
        f" {css_class}" if css_class else "",
        static("img/icons.svg"),
        name,
    )


@register.simple_tag
def badge(modifier: str, label) -> str:
    """A status badge: shape and colour from ``modifier``, always with its text."""
    return format_html('<span class="badge badge--{}">{}</span>', modifier, label)


@register.filter
def vnd(amount) -> str:
    """Format an amount in đồng the Vietnamese way: 20.000 đ."""
    if amount in (None, ""):
        return ""
    value = int(Decimal(amount))
    return f"{value:,}".replace(",", ".") + " đ"
