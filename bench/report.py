"""The pure parts of the harness: percentiles, figures, the table and the report."""

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(samples: Sequence[float], p: float) -> float:
    """Return the ``p``-th percentile (0–100) by the nearest-rank method."""
    if not samples:
        raise ValueError("No samples.")
    if not 0 <= p <= 100:
        raise ValueError("A percentile is between 0 and 100.")
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99 in milliseconds."""
    return {f"p{p}": percentile(seconds, p) * 1000 for p in (50, 95, 99)}


@dataclass
class Figure:
    """
    One measured figure beside its floor.

    ``higher_is_better`` for rates (dossiers/s); for times the ratio is
    figure/floor, for rates floor/figure: either way "how many times the
    floor's cost", ≥ 1 in the usual case.
    """

    name: str
    value: float
    unit: str
    floor: float | None = None
    floor_name: str = ""
    target: float | None = None
    higher_is_better: bool = False
    detail: str = ""

    @property
    def ratio(self) -> float | None:
        if self.floor is None or not self.value or not self.floor:
            return None
        return (
            self.floor / self.value
            if self.higher_is_better
            else self.value / self.floor
        )

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return (
            self.value >= self.target
            if self.higher_is_better
            else self.value < self.target
        )

    def target_text(self) -> str:
        if self.target is None:
            return "—"
        sign = "≥" if self.higher_is_better else "<"
        return f"{sign} {_number(self.target)} {self.unit}"

    def verdict(self) -> str:
        met = self.met
        return "—" if met is None else ("met" if met else "MISSED")


def _number(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def render_table(figures: Sequence[Figure]) -> str:
    """A plain-text table for the terminal."""
    rows = [("benchmark", "value", "floor", "ratio", "target", "")]
    rows += [
        (
            f.name,
            f"{_number(f.value)} {f.unit}",
            "—" if f.floor is None else f"{_number(f.floor)} {f.unit}",
            "—" if f.ratio is None else f"{f.ratio:.1f}×",
            f.target_text(),
            f.verdict(),
        )
        for f in figures
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_markdown(
    *,
    title: str,
    machine: Sequence[tuple[str, str]],
    data: Sequence[tuple[str, str]],
    figures: Sequence[Figure],
    sections: Sequence[tuple[str, str]] = (),
) -> str:
    """docs/benchmarks.md: the machine, the data, every figure with its floor, notes."""
    out = [f"# {title}", ""]
    out += ["## Machine", "", "| | |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in machine]
    out += ["", "## Data", "", "| | |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in data]
    out += [
        "",
        "## Figures",
        "",
        "| benchmark | value | floor (same run) | ratio | target | |",
        "|---|---:|---:|---:|---|---|",
    ]
    for f in figures:
        floor = (
            "—" if f.floor is None else f"{_number(f.floor)} {f.unit} ({f.floor_name})"
        )
        ratio = "—" if f.ratio is None else f"{f.ratio:.1f}×"
        name = f.name + (f"<br><small>{f.detail}</small>" if f.detail else "")
        out.append(
            f"| {name} | {_number(f.value)} {f.unit} | {floor} | {ratio} | {f.target_text()} | {f.verdict()} |"
        )
    for heading, text in sections:
        out += ["", f"## {heading}", "", text.strip()]
    return "\n".join(out) + "\n"
