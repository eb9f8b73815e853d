"""Small template helpers shared by the staff and public layouts."""

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
