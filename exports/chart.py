"""The archive's chart (`dbp-archive stats --png`): articles per month, and how fast the most-viewed
articles' view counts grew, as one PNG.

Drawn with matplotlib's Agg canvas on a `Figure` of its own, never through `pyplot`: no display is
needed or looked for, and no global figure state is left behind. The data comes from `archive.stats`;
this module only draws, and writes the file whole or not at all (`exports.output`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from crawler.article import SITE_TIME
from exports.output import Redrawn, atomic_output

# What `--png` replaces without `--force`: any PNG (an earlier chart), by the format's signature.
CHART_FILE = Redrawn("a PNG image", b"\x89PNG\r\n\x1a\n")

SIZE_INCHES = (11, 8)
DPI = 100
LEGEND_TITLE_CHARS = 48  # an article's title in the legend, cut to this
LOG_SCALE_SPREAD = 100  # view counts this many times apart are drawn on a log scale


def draw_chart(target: Path, per_month: list[dict], undated: int, viewed: list[dict]) -> None:
    """Write the chart to `target` (a path `exports.output.check_target` allowed). `per_month`:
    `archive.stats.articles_per_month`'s list; `viewed`: `archive.stats.view_series`."""
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    months, views = figure.subplots(2, 1)
    _articles_per_month(months, per_month, undated)
    _view_growth(views, viewed)
    with atomic_output(target) as stream:
        figure.savefig(stream, format="png")


def _articles_per_month(axes, per_month: list[dict], undated: int) -> None:
    title = "Articles per month (by publication date)"
    axes.set_title(title + (f"; {undated} without a date" if undated else ""))
    axes.set_ylabel("articles")
    if not per_month:
        _nothing(axes, "no dated articles in the archive")
        return
    starts = [datetime.strptime(row["month"], "%Y-%m") for row in per_month]
    axes.bar(starts, [row["articles"] for row in per_month], width=25, align="edge", color="#3b6ea8")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    _dates_on_x(axes)


def _view_growth(axes, viewed: list[dict]) -> None:
    axes.set_title(f"View counts of the {len(viewed)} most-viewed articles, fetch by fetch" if viewed else "View counts")
    axes.set_ylabel("views")
    if not viewed:
        _nothing(axes, "no view counts in the archive")
        return
    for article in viewed:
        times = [datetime.fromisoformat(point["at"]) for point in article["views"]]
        label = article["title"] or article["identity"]
        if len(label) > LEGEND_TITLE_CHARS:
            label = label[:LEGEND_TITLE_CHARS - 1] + "…"
        axes.plot(times, [point["count"] for point in article["views"]], marker="o", label=label)
    counts = [point["count"] for article in viewed for point in article["views"]]
    if counts and min(counts) > 0 and max(counts) >= LOG_SCALE_SPREAD * min(counts):
        axes.set_yscale("log")  # one viral article would flatten every other line
    else:
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(fontsize="small", loc="best")
    _dates_on_x(axes)


def _dates_on_x(axes) -> None:
    locator = AutoDateLocator(tz=SITE_TIME)  # ticks in site time, as every stored time is
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator, tz=SITE_TIME))


def _nothing(axes, message: str) -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, color="#666666")
    axes.set_xticks([])
    axes.set_yticks([])
