"""The harness's pure parts: percentiles, ratios, verdicts and rendering."""

import pytest

from bench.report import (
    Figure,
    latency_summary,
    percentile,
    render_markdown,
    render_table,
)


def test_percentile_is_nearest_rank():
    samples = list(range(1, 101))
    assert percentile(samples, 50) == 50
    assert percentile(samples, 95) == 95
    assert percentile(samples, 99) == 99
    assert percentile(samples, 100) == 100
    assert percentile([7.0], 99) == 7.0
    assert percentile([3, 1, 2], 50) == 2  # unsorted input
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_latency_summary_is_in_milliseconds():
    assert latency_summary([0.001, 0.002, 0.010]) == {
        "p50": 2.0,
        "p95": 10.0,
        "p99": 10.0,
    }


def test_ratio_and_verdict_for_rates_and_times():
    rate = Figure("reception", 120, "/s", floor=600, target=150, higher_is_better=True)
    assert rate.ratio == 5 and rate.met is False and rate.verdict() == "MISSED"
    time = Figure("lookup p95", 10, "ms", floor=2, target=20)
    assert time.ratio == 5 and time.met is True and time.target_text() == "< 20.0 ms"
    assert Figure("rss", 100, "MB").verdict() == "—"


def test_rendering_shows_every_figure_with_its_floor():
    figures = [
        Figure(
            "deadline engine",
            250_000,
            "/s",
            floor=1_000_000,
            floor_name="table",
            target=200_000,
            higher_is_better=True,
        ),
        Figure("statistics", 7.5, "s", floor=1.5, floor_name="raw SQL", target=5),
    ]
    table = render_table(figures)
    assert "deadline engine" in table and "MISSED" in table and "4.0×" in table
    text = render_markdown(
        title="Benchmarks",
        machine=[("CPU", "2 cores")],
        data=[("dossiers", "1,000")],
        figures=figures,
        sections=[("Sizing", "One machine.")],
    )
    assert (
        "| statistics | 7.50 s | 1.50 s (raw SQL) | 5.0× | < 5.00 s | MISSED |" in text
    )
    assert "## Sizing\n\nOne machine." in text
