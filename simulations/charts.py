"""Server-drawn SVG of a run's income distribution against the baseline and the reform thresholds."""

from __future__ import annotations

from html import escape
from typing import Any

from simulations.tally import BUCKET, most_common


def income_chart_svg(
    title: str,
    counts: dict[str, Any],
    *,
    labels: tuple[str, str] = ("baseline", "reform"),
    width: int = 720,
    height: int = 260,
) -> str:
    """Columns of the number of cases per 1,000-yuan band of average monthly income, with a line at
    the most common monthly threshold under the values in force (solid) and under the draft (dashed)."""
    income: dict[str, int] = counts.get("income", {})
    before = most_common(counts.get("thresholds_before", {}))
    after = most_common(counts.get("thresholds_after", {}))
    pad_left, pad_bottom, pad_top = 50, 40, 30
    plot_w, plot_h = width - pad_left - 20, height - pad_bottom - pad_top
    buckets = sorted(int(k) for k in income)
    top_value = max(income.values(), default=0) or 1
    lo = 0
    hi = max([*buckets, before or 0, after or 0], default=0) + BUCKET
    span = max(hi - lo, BUCKET)

    def x(amount: float) -> float:
        return pad_left + plot_w * (amount - lo) / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{pad_left + plot_w}" '
        f'y2="{pad_top + plot_h}" stroke="#333"></line>',
    ]
    bar_w = max(plot_w * BUCKET / span - 1, 1)
    for bucket in buckets:
        n = income[str(bucket)]
        h = plot_h * n / top_value
        parts.append(
            f'<rect x="{x(bucket):.1f}" y="{pad_top + plot_h - h:.1f}" width="{bar_w:.1f}" '
            f'height="{h:.1f}" fill="#1f5fa8"><title>{bucket}–{bucket + BUCKET - 1}: {n}</title></rect>'
        )
    for amount, label, dash, colour, row in (
        (before, labels[0], "", "#2e7d32", 0),
        (after, labels[1], ' stroke-dasharray="6 4"', "#c62828", 1),
    ):
        if amount is None:
            continue
        parts.append(
            f'<line x1="{x(amount):.1f}" y1="{pad_top - 5}" x2="{x(amount):.1f}" y2="{pad_top + plot_h}" '
            f'stroke="{colour}" stroke-width="2"{dash}></line>'
            f'<text x="{x(amount) + 4:.1f}" y="{pad_top + 8 + row * 14}" font-size="12" fill="{colour}">'
            f"{escape(label)} {amount}</text>"
        )
    step = max(span // 8 // BUCKET * BUCKET, BUCKET)
    for tick in range(lo, hi + 1, step):
        parts.append(
            f'<text x="{x(tick):.1f}" y="{pad_top + plot_h + 16}" font-size="11" '
            f'text-anchor="middle">{tick}</text>'
        )
    parts.append(
        f'<text x="{pad_left}" y="{pad_top - 12}" font-size="11">{escape(str(top_value))}</text></svg>'
    )
    return "".join(parts)
