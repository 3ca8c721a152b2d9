"""Display names of the things a scenario or its commands create, resolved when a screen shows
them (never written into the log): stations (站名).

A distribution station is named, first found: by the ``name`` its ``open_station`` command gave,
by the ``name`` of its site in ``distribution.sites``, else after its township and its number
there (the order stations were opened in the township): 吉安鄉第2配售站 / "Ji'an station 2".
Relief and first-aid stations are named after their township and number the same way.
"""

from __future__ import annotations

from typing import Any

from tabletop import i18n

#: station kind -> translation key of its derived name ({township}, {n}).
DEFAULT_KEYS = {"distribution": "station.default_name", "relief": "station.default_name.relief",
                "first_aid": "station.default_name.first_aid"}


def township(scenario: Any, ident: str | None) -> Any:
    """The scenario's township ``ident`` (any county), or None."""
    for county in getattr(scenario, "counties", None) or ():
        for town in county.townships:
            if town.id == ident:
                return town
    return None


def site_name(scenario: Any, township_id: str | None, site: str | None) -> dict[str, str] | None:
    """The bilingual name ``distribution.sites`` gives the site, or None."""
    section = getattr(scenario, "distribution", None)
    for item in getattr(section, "sites", None) or ():
        if item.id == site and item.township == township_id and getattr(item, "name", None) is not None:
            return bilingual(item.name)
    return None


def shelter_name(scenario: Any, site: str) -> dict[str, str] | None:
    """The bilingual name of the scenario's shelter ``site`` (``crises.shelters``), or None."""
    section = getattr(scenario, "crises", None)
    shelters = list(getattr(section, "shelters", None) or ())
    for shelter in shelters:
        if shelter.id != site:
            continue
        if getattr(shelter, "name", None) is not None:
            return bilingual(shelter.name)
        town = township(scenario, shelter.township)
        if town is None:
            return None
        # Unnamed: after its township and its place among the township's shelters (花蓮市第1避難處所).
        number = 1 + [s.id for s in shelters if s.township == shelter.township].index(site)
        return numbered("shelter.default_name", town, number)
    return None


def bilingual(name: Any) -> dict[str, str]:
    """A name as ``{zh_TW, en}``: a plain string is the same in both; a missing English is the Chinese."""
    if isinstance(name, str):
        return {"zh_TW": name, "en": name}
    data = name.model_dump() if hasattr(name, "model_dump") else dict(name)
    zh = str(data.get("zh_TW") or data.get("en") or "")
    return {"zh_TW": zh, "en": str(data.get("en") or zh)}


def station_name(scenario: Any, ident: str, township_id: str | None, site: str | None = None,
                 number: int | None = None, name: Any = None, kind: str = "distribution") -> dict[str, str]:
    """A station's bilingual display name (see the module's docstring); its id where the
    township is unknown."""
    if name:
        return bilingual(name)
    if kind == "distribution":
        named = site_name(scenario, township_id, site)
        if named is not None:
            return named
    town = township(scenario, township_id)
    if town is None or not number:
        return {"zh_TW": ident, "en": ident}
    return numbered(DEFAULT_KEYS.get(kind, DEFAULT_KEYS["distribution"]), town, number)


def numbered(key: str, town: Any, number: int) -> dict[str, str]:
    """A derived bilingual name: message ``key`` with the township's name and a number (吉安鄉第2配售站)."""
    return {lang: i18n.t(key, lang, township=i18n.pick(town.name.model_dump(), lang), n=number) for lang in i18n.LANGS}


class StationLog:
    """Station names from a log's records, for readers that have the log and not a session (the
    list of refusals, scoring): fed the ``open_station`` commands and the opening events in log
    order, it numbers the stations of each township as the engine did when it opened them."""

    def __init__(self, scenario: Any = None) -> None:
        self.scenario = scenario
        #: station id -> (kind, township, site, number, given name)
        self.stations: dict[str, tuple[str, str, str | None, int, Any]] = {}
        self._given: dict[str, str] = {}
        self._count: dict[tuple[str, str], int] = {}

    def feed(self, record: dict[str, Any]) -> None:
        kind, data = record.get("kind"), record.get("data") or {}
        if record.get("type") == "command":
            self.command(str(kind), data.get("args") or {})
        elif kind == "station_state" and data.get("from") is None and data.get("reason") == "opened":
            self.opened("distribution", data)
        elif kind == "care_station_opened":
            self.opened(str(data.get("kind") or "relief"), data)

    def command(self, kind: str, args: dict[str, Any]) -> None:
        if kind == "open_station" and isinstance(args.get("id"), str) and isinstance(args.get("name"), str):
            self._given[args["id"]] = args["name"]

    def opened(self, kind: str, data: dict[str, Any]) -> None:
        ident, town = data.get("station"), data.get("township")
        if not isinstance(ident, str) or not isinstance(town, str) or ident in self.stations:
            return
        number = self._count.get((kind, town), 0) + 1
        self._count[(kind, town)] = number
        site = data.get("site") if isinstance(data.get("site"), str) else None
        self.stations[ident] = (kind, town, site, number, self._given.get(ident) if kind == "distribution" else None)

    def name(self, ident: str) -> dict[str, str] | None:
        """The station's bilingual name, or None for a station the log has not opened."""
        found = self.stations.get(ident)
        if found is None:
            return None
        kind, town, site, number, given = found
        return station_name(self.scenario, ident, town, site, number, given, kind)

    def named(self, params: dict[str, Any]) -> dict[str, Any]:
        """A message's parameters with each station id (``station``) replaced by the station's name."""
        return named_params(params, self.name, self.scenario)


#: Message parameters that hold a station id.
STATION_PARAMS = ("station",)


def inject_title(scenario: Any, ident: str) -> dict[str, str] | None:
    """An inject's bilingual title from the scenario's MSEL, or None."""
    for item in getattr(scenario, "injects", None) or ():
        if item.id == ident:
            return dict(item.title.model_dump())
    return None


def named_params(params: dict[str, Any] | None, name_of: Any, scenario: Any = None) -> dict[str, Any]:
    """``params`` with each known station id (``station``) replaced by its bilingual name
    ``name_of(id)``, a shelter's site (``site``) by the shelter's name, and an inject id
    (``inject``) of ``scenario`` by the inject's title."""
    out = dict(params or {})
    for key in STATION_PARAMS:
        value = out.get(key)
        if isinstance(value, str):
            found = name_of(value)
            if found:
                out[key] = found
    value = out.get("site")
    if scenario is not None and isinstance(value, str):
        shelter = shelter_name(scenario, value)
        if shelter:
            out["site"] = shelter
    value = out.get("inject")
    if scenario is not None and isinstance(value, str):
        title = inject_title(scenario, value)
        if title:
            out["inject"] = title
    return out
