"""The metrics list: every module that registers metrics (``registry.metric``), in order."""

from __future__ import annotations

import importlib

from tabletop.scoring.registry import Metric, registered

#: The core's measures (injects, answers); each part declares its own (``Plugin.metrics``, in
#: ``tabletop/<part>/metrics.py``), registered when the part is loaded.
METRIC_MODULES = (
    "tabletop.scoring.metrics_injects",
)


def all_metrics() -> dict[str, Metric]:
    """Every metric, by name."""
    for module in METRIC_MODULES:
        importlib.import_module(module)
    return registered()
