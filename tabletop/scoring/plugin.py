"""Scoring as a part: the ``scoring:`` scenario section and its checks. The subcommands are
in :mod:`tabletop.scoring.cli`."""

from __future__ import annotations

from typing import Any

from tabletop.core.parts import Plugin
from tabletop.scoring.config import ScoringSection


def _check(scenario: Any) -> list[tuple[tuple, str]]:
    from tabletop.scoring.config import check

    return check(scenario)


PLUGIN = Plugin(name="scoring", scenario_sections={"scoring": ScoringSection}, check_scenario=_check)
