"""The known picture of one trainee seat: which part panels its role sees (``Plugin.panels``)
and their rows, built by the domain parts from what the seat's EOC has been told (no pygame here)."""

from __future__ import annotations

from typing import Any

from tabletop import i18n, pictures, plugins
from tabletop.core.parts import PictureRow
from tabletop.ui.formfields import ui_table


def panel_names(role: str) -> list[str]:
    """The panels this role sees, in its order (declared by the parts: ``Plugin.panels``)."""
    return pictures.panel_names(plugins.parts(), role, ui_table().get("no_panels") or ())


def panel_title(name: str) -> dict[str, str]:
    key = f"ui.panel.{name}"
    return i18n.both(key) if key in i18n.TABLE else {lang: name for lang in i18n.LANGS}


def panel_rows(session: Any, county: str, name: str) -> list[PictureRow]:
    """One panel's rows for a county's EOC; for the central seat, every county's in turn."""
    fn = session.parts.pictures[name]
    if county:
        return list(fn(session, county))
    rows: list[PictureRow] = []
    for spec in session.scenario.counties:
        part = list(fn(session, spec.id))
        if part:
            rows.append(PictureRow(spec.name.model_dump(), "accent"))
            rows.extend(part)
    return rows
