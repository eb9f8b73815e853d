"""
Charts as geometry for server-rendered inline SVG (no chart library, no
script: the CSP allows neither inline code nor a CDN). The templates in
``staff/supervision/charts/`` draw rectangles and text from these; colours
come from classes in static/css/supervision.css.

Coordinates are ready-made strings with a decimal point, so that the
Vietnamese locale's decimal comma never reaches an SVG attribute. Every
chart is also listed as a table for screen readers and print.
"""

from dataclasses import dataclass, field
from decimal import Decimal


def _n(value: float) -> str:
    return f"{value:.1f}"


@dataclass
class Bar:
    label: str
    value: Decimal | int | None
    text: str
    x: str
    y: str
    width: str
    height: str
    label_x: str
    label_y: str
    value_x: str
    value_y: str
    css: str = ""


@dataclass
class Tick:
    position: str
    text: str


@dataclass
class Chart:
    kind: str  # bars (horizontal) or columns (vertical)
    width: int
    height: int
    title: str
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    plot_start: str = "0"
    plot_end: str = "0"
    baseline: str = "0"


def horizontal_bars(
    items: list[tuple[str, Decimal | int | None, str]],
    *,
    maximum: Decimal | int,
    width: int = 960,
    row: int = 28,
    label_width: int = 260,
    title: str = "",
) -> Chart:
    """Bars left to right, one row per item: (label, value, css class)."""
    plot = width - label_width - 50
    height = row * len(items) + 22
    chart = Chart("bars", width, height, title)
    scale = float(maximum) or 1.0
    for index, (label, value, css) in enumerate(items):
        length = max(plot * float(value or 0) / scale, 0)
        top = index * row + 4
        chart.bars.append(
            Bar(
                label=label,
                value=value,
                text="—" if value is None else f"{value}",
                x=_n(label_width),
                y=_n(top),
                width=_n(length),
                height=_n(row - 8),
                label_x=_n(label_width - 8),
                label_y=_n(top + (row - 8) / 2 + 4),
                value_x=_n(label_width + length + 6),
                value_y=_n(top + (row - 8) / 2 + 4),
                css=css,
            )
        )
    chart.ticks = [
        Tick(_n(label_width + plot * f), f"{float(maximum) * f:g}")
        for f in (0, 0.25, 0.5, 0.75, 1)
    ]
    chart.plot_start, chart.plot_end = _n(0), _n(row * len(items) + 4)
    chart.baseline = _n(row * len(items) + 18)
    return chart


def columns(
    items: list[tuple[str, Decimal | int | None, str]],
    *,
    maximum: Decimal | int,
    width: int = 480,
    height: int = 240,
    title: str = "",
    suffix: str = "",
) -> Chart:
    """Vertical columns over a labelled axis: (label, value, css class)."""
    left, bottom, top = 44, 36, 16
    plot_h = height - bottom - top
    step = (width - left - 8) / max(len(items), 1)
    chart = Chart("columns", width, height, title)
    scale = float(maximum) or 1.0
    for index, (label, value, css) in enumerate(items):
        h = max(plot_h * float(value or 0) / scale, 0)
        x = left + index * step + step * 0.15
        chart.bars.append(
            Bar(
                label=label,
                value=value,
                text="—" if value is None else f"{value}{suffix}",
                x=_n(x),
                y=_n(top + plot_h - h),
                width=_n(step * 0.7),
                height=_n(h),
                label_x=_n(x + step * 0.35),
                label_y=_n(top + plot_h + 16),
                value_x=_n(x + step * 0.35),
                value_y=_n(top + plot_h - h - 4),
                css=css,
            )
        )
    chart.ticks = [
        Tick(_n(top + plot_h * (1 - f)), f"{float(maximum) * f:g}{suffix}")
        for f in (0, 0.5, 1)
    ]
    chart.plot_start, chart.plot_end = _n(left), _n(width - 4)
    chart.baseline = _n(top + plot_h)
    return chart
