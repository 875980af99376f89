"""The view's visual language: a colour and a shape per node type, a colour per relation."""

from __future__ import annotations

NODE_STYLE: dict[str, tuple[str, str]] = {
    # type: (colour, vis-network shape)
    "Paper": ("#4c78a8", "square"),
    "Method": ("#f58518", "dot"),
    "Dataset": ("#54a24b", "hexagon"),
    "Metric": ("#e45756", "triangle"),
    "Task": ("#72b7b2", "star"),
    "Result": ("#b279a2", "diamond"),
    "Repository": ("#9d755d", "triangleDown"),
    "ProjectPage": ("#8c8c8c", "dot"),
    "DatasetCard": ("#54a24b", "triangleDown"),
    "ModelCard": ("#f58518", "triangleDown"),
    "Author": ("#bcbd22", "dot"),
    "Category": ("#17becf", "square"),
}
OTHER_STYLE = ("#bab0ac", "dot")
"""Shapes are the ones vis-network sizes by ``size`` (not by the label inside them)."""

REL_COLORS: dict[str, str] = {
    "proposes": "#d62728",
    "uses": "#f58518",
    "evaluatedOn": "#54a24b",
    "measuredBy": "#e45756",
    "addresses": "#72b7b2",
    "reports": "#b279a2",
    "ofMethod": "#ffbf79",
    "onDataset": "#88d27a",
    "forMetric": "#ff9d98",
    "hasCode": "#9d755d",
    "hasProjectPage": "#8c8c8c",
    "hasDatasetCard": "#54a24b",
    "hasModelCard": "#f58518",
    "describes": "#88d27a",
    "authored": "#bcbd22",
    "inCategory": "#17becf",
    "outperforms": "#222222",
    "buildsOn": "#6b4c9a",
}
OTHER_REL_COLOR = "#7f7f7f"


def node_style(kind: str) -> tuple[str, str]:
    return NODE_STYLE.get(kind, OTHER_STYLE)


def rel_color(rel: str) -> str:
    return REL_COLORS.get(rel, OTHER_REL_COLOR)


def node_size(degree: int) -> float:
    """Area grows with degree, so hubs stand out without swamping the picture."""
    return round(7 + 3.2 * degree**0.5, 1)
