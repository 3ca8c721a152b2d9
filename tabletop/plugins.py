"""The parts list: which parts make up the engine, in order.

A part declares everything it adds in one :class:`tabletop.core.parts.Plugin` (its ``PLUGIN``);
adding a part is its own package plus one line in :data:`PLUGIN_MODULES`. Nothing in the core
or the scenario loader imports this module: ``tabletop.api`` hands :func:`parts` to them.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any, Callable

from tabletop.core.commands import CommandSpec
from tabletop.core.parts import Choice, ConditionSpec, EffectSpec, Parts, PictureRow, Plugin

#: Modules exposing ``PLUGIN``; order is the order of phase hooks within a phase.
PLUGIN_MODULES = (
    "tabletop.foundation",
    "tabletop.distribution",
    "tabletop.comms.plugin",
    "tabletop.requisition.plugin",
    "tabletop.crises.plugin",
    "tabletop.evaluation",
    "tabletop.scoring.plugin",
)


@lru_cache(maxsize=None)
def all_plugins() -> tuple[Plugin, ...]:
    return tuple(importlib.import_module(name).PLUGIN for name in PLUGIN_MODULES)


@lru_cache(maxsize=None)
def parts() -> Parts:
    """The engine's parts and their registries (built once)."""
    return Parts(all_plugins())


def command_registry() -> dict[str, CommandSpec]:
    return parts().commands


def effect_registry() -> dict[str, EffectSpec]:
    return parts().effects


def condition_registry() -> dict[str, ConditionSpec]:
    return parts().conditions


def picture_registry() -> dict[str, Callable[[Any, str], list[PictureRow]]]:
    return parts().pictures


def choice_registry() -> dict[str, Callable[[Any, str, str], list[Choice]]]:
    return parts().choices


def all_metrics() -> dict[str, Any]:
    """Every metric, by name: the core's and every part's (loading the parts registers theirs)."""
    from tabletop.scoring.metrics import all_metrics as registered

    parts()
    return registered()
