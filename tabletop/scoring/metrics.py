"""The metrics list: every module that registers metrics (``registry.metric``), in order."""

from __future__ import annotations

import importlib

from tabletop.scoring.registry import Metric, registered

METRIC_MODULES = (
    "tabletop.scoring.metrics_injects",
    "tabletop.scoring.metrics_distribution",
    "tabletop.scoring.metrics_requisition",
    "tabletop.scoring.metrics_comms",
    "tabletop.scoring.metrics_crises",
    "tabletop.scoring.metrics_room",
)


def all_metrics() -> dict[str, Metric]:
    """Every metric, by name."""
    for module in METRIC_MODULES:
        importlib.import_module(module)
    return registered()
