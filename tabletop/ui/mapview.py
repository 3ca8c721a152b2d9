"""The county map, drawn from scenario coordinates (no basemap: townships, warehouses,
and whatever domain parts expose: stations, roads, comms links)."""

from __future__ import annotations

import math
from typing import Any

import pygame

from tabletop import i18n
from tabletop.ui import gfx
from tabletop.ui.console import Console

LINK_COLOURS = {"up": gfx.OK, "degraded": gfx.WARN, "down": gfx.BAD}
STATION_COLOURS = {"planned": gfx.DIM, "open": gfx.OK, "short": gfx.WARN, "closed": gfx.BAD}


class Projection:
    """lon/lat -> pixels inside ``rect`` (equirectangular, scaled by cos(latitude))."""

    def __init__(self, points: list[tuple[float, float]], rect: pygame.Rect, pad: int = 40) -> None:
        lons = [p[0] for p in points] or [0.0]
        lats = [p[1] for p in points] or [0.0]
        self.lon0, self.lat1 = min(lons), max(lats)
        self.k = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = max((max(lons) - self.lon0) * self.k, 1e-6)
        span_y = max(self.lat1 - min(lats), 1e-6)
        self.scale = min((rect.width - 2 * pad) / span_x, (rect.height - 2 * pad) / span_y)
        self.ox = rect.x + (rect.width - span_x * self.scale) / 2
        self.oy = rect.y + (rect.height - span_y * self.scale) / 2

    def __call__(self, lon: float, lat: float) -> tuple[int, int]:
        return (round(self.ox + (lon - self.lon0) * self.k * self.scale), round(self.oy + (self.lat1 - lat) * self.scale))


class MapView:
    def __init__(self, console: Console, rect: pygame.Rect, county: str | None = None) -> None:
        self.console = console
        self.rect = rect
        self.county = county
        counties = [c for c in console.session.scenario.counties if county is None or c.id == county]
        self.townships = [(c, t) for c in counties for t in c.townships if getattr(t, "coords", None)]
        self.where = {t.id: tuple(t.coords) for _, t in self.townships}
        self.project = Projection([self.where[t.id] for _, t in self.townships], rect)
        self.many = len(self.townships) > 60  # national scale: no township labels
        self._base: pygame.Surface | None = None
        self._key: Any = None

    def node_xy(self, node: str) -> tuple[int, int] | None:
        kind, _, name = node.partition(":")
        session = self.console.session
        if kind == "township" and name in self.where:
            return self.project(*self.where[name])
        if kind == "eoc" and name in session.counties:
            county = session.counties[name]
            town = getattr(county, "eoc_township", None) or (county.townships[0].id if county.townships else None)
            return self.project(*self.where[town]) if town in self.where else None
        if kind == "warehouse":
            for c in session.scenario.counties:
                for house in c.warehouses:
                    if house.id == name and house.township in self.where:
                        x, y = self.project(*self.where[house.township])
                        return x + 14, y + 10
        return None

    #: "truth" (the facilitator's view) or "eoc": township markers drawn from what each EOC
    #: has been told (comms' known picture), with how old that knowledge is.
    view = "truth"

    def draw(self, target: pygame.Surface, lang: str) -> None:
        key = (self.console.session.seq, lang, self.view)
        if self._base is None or self._key != key:
            self._base = self._render(lang)
            self._key = key
        target.blit(self._base, self.rect.topleft)

    def _render(self, lang: str) -> pygame.Surface:
        surface = pygame.Surface(self.rect.size)
        surface.fill(gfx.SEA)
        offset = pygame.Vector2(self.rect.topleft)
        shift = lambda p: (p[0] - offset.x, p[1] - offset.y)  # noqa: E731
        self._links(surface, shift)
        self._roads(surface, shift)
        taken: list[pygame.Rect] = []
        for county, town in self.townships:
            x, y = shift(self.project(*town.coords))
            radius = 3 if self.many else max(6, min(18, int(math.sqrt(town.population) / 16)))
            taken.append(pygame.Rect(x - radius, y - radius, 2 * radius, 2 * radius))
        for county, town in self.townships:
            x, y = shift(self.project(*town.coords))
            radius = 3 if self.many else max(6, min(18, int(math.sqrt(town.population) / 16)))
            colour = (120, 150, 130) if not getattr(town, "remote", False) else (150, 130, 90)
            if getattr(town, "remote", False):
                pygame.draw.circle(surface, colour, (x, y), radius, 3)
            else:
                pygame.draw.circle(surface, colour, (x, y), radius)
            if self.view == "eoc":
                self._known_marker(surface, county, town, (x, y), radius)
            if not self.many:
                name = i18n.pick(town.name.model_dump(), lang)
                if self.view == "eoc":
                    name += self._known_age(county, town.id, lang)
                _label(surface, name, (x, y), radius, taken)
        days = self.console.days_of_supply()
        houses = [h for c in self.console.session.scenario.counties if self.county in (None, c.id)
                  for h in c.warehouses if h.township in self.where]
        for house in houses:
            x, y = shift(self.project(*self.where[house.township]))
            taken.append(pygame.Rect(x + 8, y + 4, 12, 12))
        for county in self.console.session.scenario.counties:
            if self.county is not None and county.id != self.county:
                continue
            for house in county.warehouses:
                if house.township not in self.where:
                    continue
                x, y = shift(self.project(*self.where[house.township]))
                x, y = x + 14, y + 10
                value = days.get(house.id)
                colour = gfx.OK if value is None or value >= 14 else gfx.WARN if value >= 5 else gfx.BAD
                pygame.draw.rect(surface, colour, (x - 6, y - 6, 12, 12))
                if not self.many:
                    shown = f"{value:.1f}" if value is not None and value < 10 else f"{value:.0f}" if value is not None else "?"
                    label = i18n.t("ui.days_short", lang, days=shown)
                    _label(surface, label, (x, y), 6, taken, 15, colour, boxed=True)
        self._stations(surface, shift)
        pygame.draw.rect(surface, gfx.PANEL_EDGE, surface.get_rect(), 1)
        return surface

    def _known(self, county: Any, town: str) -> dict | None:
        comms = self.console.session.domains.get("comms")
        data = comms.to_data() if hasattr(comms, "to_data") else comms
        known = (data or {}).get("known", {}) if isinstance(data, dict) else {}
        county_id = getattr(county, "id", county)
        return (known.get(county_id) or {}).get(f"township:{town}")

    def _known_marker(self, surface: pygame.Surface, county: str, town: Any, at: tuple[int, int], radius: int) -> None:
        """What the EOC believes: grey ring = no report yet; red ring = alert reported;
        dark centre = reported without grid power."""
        seen = self._known(county, town.id)
        if seen is None:
            pygame.draw.circle(surface, (110, 110, 110), at, radius + 4, 2)
            return
        facts = seen.get("facts") or {}
        if facts.get("grid_power") is False:
            pygame.draw.circle(surface, (20, 20, 20), at, max(2, radius // 2))
        if facts.get("alert"):
            pygame.draw.circle(surface, gfx.BAD, at, radius + 4, 3)

    def _known_age(self, county: str, town: str, lang: str) -> str:
        seen = self._known(county, town)
        if seen is None:
            return i18n.t("ui.known_none", lang)
        return i18n.t("ui.known_age", lang, turn=seen.get("as_of", 0))

    def _roads(self, surface: pygame.Surface, shift) -> None:
        scenario = self.console.session.scenario
        section = getattr(scenario, "distribution", None)
        for road in (getattr(section, "roads", None) or []) + list(getattr(scenario, "roads", None) or []):
            a, b = getattr(road, "a", None), getattr(road, "b", None)
            if a in self.where and b in self.where:
                closed = _road_closed(self.console.session, road)
                pygame.draw.line(surface, gfx.BAD if closed else (150, 150, 150),
                                 shift(self.project(*self.where[a])), shift(self.project(*self.where[b])), 3 if closed else 2)

    def _links(self, surface: pygame.Surface, shift) -> None:
        comms = self.console.session.domains.get("comms")
        data = comms.to_data() if hasattr(comms, "to_data") else comms
        links = getattr(comms, "links", None)
        if not isinstance(links, dict) or not isinstance(data, dict):
            return
        announced = data.get("announced") or {}
        failed = {f.get("link") for f in data.get("failures") or [] if isinstance(f, dict)}
        for link in sorted(links):
            ends = [p for p in _split_link(link)]
            points = [self.node_xy(p) for p in ends]
            if len(points) != 2 or None in points:
                continue
            states = announced.get(link) or {}
            state = "down" if link in failed or (states and all(v == "down" for v in states.values())) else \
                "degraded" if any(v == "down" for v in states.values()) else "up"
            colour = LINK_COLOURS[state] if state != "up" else (52, 96, 70)
            pygame.draw.line(surface, colour, shift(points[0]), shift(points[1]), 1 if state == "up" else 2)

    def _stations(self, surface: pygame.Surface, shift) -> None:
        dist = self.console.session.domains.get("distribution")
        data = dist.to_data() if hasattr(dist, "to_data") else dist
        stations = data.get("stations") if isinstance(data, dict) else None
        if not isinstance(stations, dict):
            return
        for ident in sorted(stations):
            station = stations[ident]
            if not isinstance(station, dict) or station.get("township") not in self.where:
                continue
            x, y = shift(self.project(*self.where[station["township"]]))
            x -= 14
            colour = STATION_COLOURS.get(str(station.get("state")), gfx.ACCENT)
            pygame.draw.polygon(surface, colour, [(x, y - 7), (x - 6, y + 5), (x + 6, y + 5)])


def _label(surface: pygame.Surface, value: str, at: tuple[int, int], radius: int, taken: list[pygame.Rect],
           size: int = 16, colour: tuple = gfx.TEXT, boxed: bool = False) -> None:
    """Place a label beside a point where it overlaps no earlier label or marker (greedy)."""
    image = gfx.text(value, size, colour)
    w, h = image.get_size()
    x, y = at
    gap = radius + 4
    candidates = [(x + gap, y - h // 2), (x - gap - w, y - h // 2), (x - w // 2, y - gap - h), (x - w // 2, y + gap),
                  (x + gap, y - h - 2), (x + gap, y + 2), (x - gap - w, y - h - 2), (x - gap - w, y + 2),
                  (x + gap, y + h), (x - gap - w, y + h), (x + gap, y - 2 * h), (x - gap - w, y - 2 * h),
                  (x + gap + 30, y), (x - gap - w - 30, y)]
    bounds = surface.get_rect().inflate(-4, -4)
    best = None
    for cx, cy in candidates:
        rect = pygame.Rect(cx, cy, w, h)
        if not bounds.contains(rect):
            continue
        if rect.collidelist(taken) < 0:
            best = rect
            break
        best = best or rect
    best = best or pygame.Rect(candidates[0], (w, h))
    taken.append(best)
    if boxed:
        pygame.draw.rect(surface, (10, 14, 20), best.inflate(6, 2), border_radius=3)
    surface.blit(image, best.topleft)


def _split_link(link: str) -> list[str]:
    for sep in ("|", "<->", "--", "~", " "):
        if sep in link:
            return [part for part in link.split(sep) if part]
    return [link]


def _road_closed(session: Any, road: Any) -> bool:
    for name in sorted(session.domains):
        value = session.domains[name]
        data = value.to_data() if hasattr(value, "to_data") else value
        if isinstance(data, dict) and getattr(road, "id", None) in (data.get("closed_roads") or ()):
            return True
    return bool(getattr(road, "closed", False))
