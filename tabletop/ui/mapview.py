"""The county map, drawn from scenario coordinates (no basemap: townships, warehouses,
and whatever domain parts expose: stations, roads, comms links, shelters, care stations,
air-raid alerts).

Drawing is split in two so a frame after the log grows costs little:

- the **base** (township discs and rings, the EOC's known markers, township labels and where
  they go, the legend and its corner) depends only on the language, the view and, in the EOC
  view, what each EOC has heard; it is cached under that key;
- the **scene** (:class:`Scene`) is everything that changes with play: link and road states,
  days of supply, distribution and care stations, alerts, shelter occupancy. It is read from
  the parts' published state (``session.part_state``) when the log grows (never importing a
  plugin), and the map surface is
  recomposed only when the scene differs from the last one, not on every new record.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pygame

from tabletop import i18n
from tabletop.ui import gfx
from tabletop.ui.console import Console

LINK_COLOURS = {"up": gfx.OK, "degraded": gfx.WARN, "down": gfx.BAD}
CLOSED = (112, 112, 112)
#: Distribution and care stations share one lifecycle (planned → setting_up → open ⇄ suspended
#: → closing → closed); distribution adds "short" (open, out of some good).
STATE_COLOURS = {"planned": gfx.DIM, "setting_up": gfx.ACCENT, "open": gfx.OK, "short": gfx.WARN,
                 "suspended": gfx.BAD, "closing": CLOSED, "closed": CLOSED}
STATION_COLOURS = STATE_COLOURS
LEGEND_STATES = ("open", "setting_up", "short", "suspended", "planned", "closed")
OUTLINE = (10, 14, 20)
EMPTY_SHELTER = (150, 164, 184)
ROAD = (150, 150, 150)
ROAD_FAINT = (78, 92, 98)  # national scale: open roads recede
AID = (214, 130, 255)      # a mutual-aid convoy (docs/rules/mutual-aid.md)
LAND = (44, 58, 52)       # county outlines: land
BORDER = (120, 140, 150)  # and county lines
MARKER = 14        # marker box (px) and step between markers in a row
MAX_ROW = 4        # markers drawn per township before "+N"


def shelter_offset(radius: int) -> tuple[int, int]:
    """Where a township's shelter glyph sits, from the township's centre (upper left)."""
    d = round(radius * 0.7 + 9)
    return -d, -d


def halo_radius(radius: int) -> int:
    """The alert halo's ring radius around a township of ``radius``."""
    return radius + 6


def occupancy_colour(people: int, capacity: int) -> tuple:
    if people <= 0:
        return EMPTY_SHELTER
    if capacity <= 0 or people > capacity:
        return gfx.BAD
    return gfx.WARN if people > 0.8 * capacity else gfx.OK


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


@dataclass(frozen=True)
class Scene:
    """What the map shows that changes with play (hashable: it is the dynamic layer's cache key)."""

    links: tuple = ()        # (link, up | degraded | down)
    closed_roads: frozenset = frozenset()
    days: tuple = ()         # (warehouse, label, colour)
    stations: tuple = ()     # (id, township, state)               distribution
    care: tuple = ()         # (id, township, kind, state)         crises: relief | first_aid
    alerts: tuple = ()       # townships under an air-raid alert
    sheltered: tuple = ()    # (township, people)
    known: tuple = ()        # EOC view: (township, as_of, alert, grid_power) or (township,)
    convoys: tuple = ()      # (id, township it is at, mutual aid?, blocked?) on the road


@dataclass
class Base:
    """The static layer: discs (transparent elsewhere), placed labels, what they cover, the legend."""

    discs: pygame.Surface
    labels: list = field(default_factory=list)     # (image, (x, y), leader line from or None)
    taken: list = field(default_factory=list)      # rects (map coordinates)
    legend: tuple | None = None                    # (surface, rect)


class MapView:
    #: "truth" (the facilitator's view) or "eoc": township markers drawn from what each EOC
    #: has been told (comms' known picture), with how old that knowledge is.
    view = "truth"

    def __init__(self, console: Console, rect: pygame.Rect, county: str | None = None) -> None:
        self.console = console
        self.rect = rect
        self.county = county
        counties = [c for c in console.session.scenario.counties if county is None or c.id == county]
        self.townships = [(c, t) for c in counties for t in c.townships if getattr(t, "coords", None)]
        self.where = {t.id: tuple(t.coords) for _, t in self.townships}
        #: County outlines (scenario ``counties[].outline``): [(county, [ring of (lon, lat)])].
        self.outlines = [(c.id, [tuple(p) for p in ring]) for c in counties if self.townships
                         for ring in (getattr(c, "outline", None) or [])]
        points = [self.where[t.id] for _, t in self.townships] + [p for _, ring in self.outlines for p in ring]
        self.project = Projection(points, rect)
        self.many = len(self.townships) > 60  # national scale: no township labels
        #: Areas of the map something else draws over (the EOC banner): the legend keeps off them.
        self.reserved: list[pygame.Rect] = []
        #: Where the last render put each marker, in window coordinates ("station:<id>",
        #: "care:<id>", "shelter:<township>", "warehouse:<id>", "halo:<township>", "legend").
        self.placed: dict[str, pygame.Rect] = {}
        ox, oy = rect.topleft
        self.xy = {t.id: (self.project(*t.coords)[0] - ox, self.project(*t.coords)[1] - oy) for _, t in self.townships}
        self.radius = {t.id: 3 if self.many else max(6, min(18, int(math.sqrt(t.population) / 16)))
                       for _, t in self.townships}
        self.houses = [(c, h) for c in counties for h in c.warehouses if h.township in self.where]
        self.house_xy: dict[str, tuple[int, int]] = {}
        per_town: dict[str, int] = {}
        for _, house in self.houses:
            i = per_town[house.township] = per_town.get(house.township, -1) + 1
            x, y = self.xy[house.township]
            self.house_xy[house.id] = (x + 6 + 9 * i, y + 5) if self.many else (x + 14 + 16 * i, y + 10)
        section = getattr(console.session.scenario, "crises", None)
        per_person = float(getattr(section, "m2_per_person", 0.75) or 0.75)
        self.capacity: dict[str, int] = {}
        for shelter in getattr(section, "shelters", None) or []:
            if getattr(shelter, "township", None) in self.where:
                town = shelter.township
                self.capacity[town] = self.capacity.get(town, 0) + int(shelter.area_m2 / per_person)
        self._ends: dict[str, tuple[tuple[int, int], tuple[int, int]] | None] = {}
        self._seen: Any = None          # (seq, lang, view) the scene was last read at
        self._scene: Scene | None = None
        self._base: Base | None = None
        self._base_key: Any = None
        self._surface: pygame.Surface | None = None
        self._key: Any = None
        self.renders = 0
        self._land: pygame.Surface | None = None

    # ----- positions ---------------------------------------------------------------------
    def node_xy(self, node: str) -> tuple[int, int] | None:
        kind, _, name = node.partition(":")
        session = self.console.session
        ox, oy = self.rect.topleft
        if kind == "township" and name in self.where:
            return self.project(*self.where[name])
        if kind == "eoc" and name in session.counties:
            county = session.counties[name]
            town = getattr(county, "eoc_township", None) or (county.townships[0].id if county.townships else None)
            return self.project(*self.where[town]) if town in self.where else None
        if kind == "warehouse" and name in self.house_xy:
            x, y = self.house_xy[name]
            return x + ox, y + oy
        return None

    # ----- drawing -----------------------------------------------------------------------
    def draw(self, target: pygame.Surface, lang: str) -> None:
        """Blit the map; read the scene again only when the log grew (or lang / view changed),
        and recompose the surface only when the scene or the base changed."""
        seen = (self.console.session.seq, lang, self.view)
        if self._surface is None or not gfx.caching() or seen != self._seen:
            self._seen = seen
            self._scene = self.scene()
            key = (lang, self.view, self._scene, tuple(tuple(r) for r in self.reserved))
            if self._surface is None or not gfx.caching() or key != self._key:
                self._surface = self._render(lang, self._scene)
                self._key = key
        target.blit(self._surface, self.rect.topleft)

    def scene(self) -> Scene:
        """Read everything dynamic the map shows from the session (the parts' state as plain data,
        ``session.part_state``, and declared queries; no plugin module is imported)."""
        session = self.console.session
        if not self.townships:
            return Scene()  # nothing to place (the map says the scenario has no coordinates)
        data = {name: session.part_state(name) for name in session.part_names()}
        dist, crises = data.get("distribution") or {}, data.get("crises") or {}
        closed: set[str] = set()
        for value in data.values():
            if isinstance(value, dict):
                closed.update(str(r) for r in value.get("closed_roads") or ())
        days = []
        if self.houses:
            supply = self.console.days_of_supply()
            for _, house in self.houses:
                value = supply.get(house.id)
                colour = gfx.OK if value is None or value >= 14 else gfx.WARN if value >= 5 else gfx.BAD
                shown = f"{value:.1f}" if value is not None and value < 10 else f"{value:.0f}" if value is not None else "?"
                days.append((house.id, shown, colour))
        stations = tuple((ident, item.get("township"), _station_state(item, any(_dict(item.get("out")).values())))
                         for ident, item in sorted(_dict(dist.get("stations")).items())
                         if isinstance(item, dict) and item.get("township") in self.where)
        if self.view == "eoc":
            # What the EOC was told: each station's state in its township's last report
            # (a station no report has named yet is drawn as planned).
            told = {}
            for county_view in _dict(dist.get("eoc")).values():
                for report in _dict(county_view).values():
                    out = set(_dict(report).get("stockouts") or ())  # stations the report says ran out
                    for ident, item in _dict(_dict(report).get("stations")).items():
                        told[ident] = _station_state({"state": _dict(item).get("state", "planned")}, ident in out)
            stations = tuple((ident, town, told.get(ident, "planned")) for ident, town, _ in stations)
        care = tuple((ident, item.get("township"), str(item.get("kind")), str(item.get("state")))
                     for ident, item in sorted(_dict(crises.get("stations")).items())
                     if isinstance(item, dict) and item.get("township") in self.where)
        alerts: tuple = ()
        sheltered: tuple = ()
        known: tuple = ()
        if self.view == "truth":
            # The EOC view shows what EOCs were told: alerts by the known markers, and no report
            # carries shelter occupancy, so there the shelters are drawn as sites only.
            alerts = tuple(sorted(t for t in _dict(crises.get("alerts")) if t in self.where))
            sheltered = tuple(sorted((t, int(n)) for t, n in _dict(crises.get("sheltered")).items()
                                     if t in self.where and isinstance(n, (int, float))))
        else:
            comms = data.get("comms")
            rows = []
            for county, town in self.townships:
                seen = self._known(county, town.id, comms)
                facts = (seen or {}).get("facts") or {}
                rows.append((town.id,) if seen is None else
                            (town.id, seen.get("as_of", 0), bool(facts.get("alert")), facts.get("grid_power") is False))
            known = tuple(rows)
        convoys = tuple((ident, item.get("node"), bool(item.get("aid")), item.get("state") == "blocked")
                        for ident, item in sorted(_dict(dist.get("convoys")).items())
                        if isinstance(item, dict) and item.get("state") in ("moving", "blocked") and item.get("node") in self.where)
        if self.view == "eoc":
            convoys = tuple(c for c in convoys if c[2])  # central's aid convoys; a county's own are in its panel
        return Scene(self._link_states(data.get("comms"), session.query("comms.links", default=[])), frozenset(closed),
                     tuple(days), stations, care, alerts, sheltered, known, convoys)

    def _render(self, lang: str, scene: Scene) -> pygame.Surface:
        self.renders += 1
        surface = pygame.Surface(self.rect.size)
        surface.fill(gfx.SEA)
        placed: dict[str, pygame.Rect] = {}
        if not self.townships:
            lines = gfx.wrap(i18n.t("ui.map_no_coords", lang), 17, self.rect.width - 60)
            top = self.rect.height // 2 - 12 * len(lines)
            for i, line in enumerate(lines):
                image = gfx.text(line, 17, gfx.DIM)
                surface.blit(image, ((self.rect.width - image.get_width()) // 2, top + 24 * i))
            pygame.draw.rect(surface, gfx.PANEL_EDGE, surface.get_rect(), 1)
            self.placed = {}
            return surface
        base = self._base_layer(lang, scene)
        if self.outlines:
            surface.blit(self._land_layer(), (0, 0))
        for town in scene.alerts:
            placed[f"halo:{town}"] = _halo(surface, self.xy[town], self.radius[town])
        self._draw_links(surface, scene)
        self._draw_roads(surface, scene)
        surface.blit(base.discs, (0, 0))
        for image, at, leader in base.labels:
            if leader is not None:
                _leader(surface, leader, image.get_rect(topleft=at))
            surface.blit(image, at)
        taken = list(base.taken)
        rows = self._marker_rows(scene, taken, surface.get_rect().inflate(-4, -4))
        for (house_id, shown, colour), _ in zip(scene.days, self.houses, strict=True):
            x, y = self.house_xy[house_id]
            h = 4 if self.many else 6
            pygame.draw.rect(surface, colour, (x - h, y - h, 2 * h, 2 * h))
            placed[f"warehouse:{house_id}"] = pygame.Rect(x - h, y - h, 2 * h, 2 * h)
            if not self.many:
                _label(surface, i18n.t("ui.days_short", lang, days=shown), (x, y), 6, taken, 15, colour, boxed=True)
        occupied = dict(scene.sheltered)
        for town in sorted(self.capacity):
            x, y = self._shelter_xy(town)
            people, capacity = occupied.get(town, 0), self.capacity[town]
            colour = occupancy_colour(people, capacity)
            placed[f"shelter:{town}"] = _house(surface, (x, y), colour, filled=people > 0, over=people > capacity)
            if people > 0 and not self.many:
                # The occupancy in per cent, where it fits right beside the glyph (the colour says it too).
                pct = round(100 * people / capacity) if capacity else 999
                _label(surface, i18n.t("ui.map_shelter_pct", lang, pct=pct), (x, y), 7, taken, 13, colour, boxed=True,
                       first=("left", "above"), near_only=True)
        self._draw_markers(surface, rows, placed)
        self._draw_convoys(surface, scene, placed)
        if base.legend is not None:
            surface.blit(*base.legend)
            placed["legend"] = base.legend[1].copy()
        pygame.draw.rect(surface, gfx.PANEL_EDGE, surface.get_rect(), 1)
        self.placed = {name: rect.move(self.rect.topleft) for name, rect in placed.items()}
        return surface

    def _land_layer(self) -> pygame.Surface:
        """The counties' outlines, land filled, borders drawn (static: made once per view)."""
        if self._land is None:
            land = pygame.Surface(self.rect.size, pygame.SRCALPHA)
            ox, oy = self.rect.topleft
            rings = [[(x - ox, y - oy) for x, y in (self.project(*p) for p in ring)] for _, ring in self.outlines]
            for ring in rings:
                if len(ring) >= 3:
                    pygame.draw.polygon(land, LAND, ring)
            for ring in rings:
                if len(ring) >= 3:
                    pygame.draw.lines(land, BORDER, True, ring, 2 if self.county else 1)
            self._land = land
        return self._land

    def _shelter_xy(self, town: str) -> tuple[int, int]:
        x, y = self.xy[town]
        dx, dy = shelter_offset(self.radius[town])
        return x + dx, y + dy

    # ----- the static layer --------------------------------------------------------------
    def _base_layer(self, lang: str, scene: Scene) -> Base:
        key = (lang, self.view, scene.known, tuple(tuple(r) for r in self.reserved))
        if self._base is not None and gfx.caching() and key == self._base_key:
            return self._base
        discs = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        base = Base(discs)
        known = {row[0]: row for row in scene.known}
        for _, town in self.townships:
            x, y = self.xy[town.id]
            r = self.radius[town.id]
            base.taken.append(pygame.Rect(x - r, y - r, 2 * r, 2 * r))
        for _, house in self.houses:
            x, y = self.house_xy[house.id]
            base.taken.append(pygame.Rect(x - 6, y - 6, 12, 12))
        for town in self.capacity:
            x, y = self._shelter_xy(town)
            base.taken.append(pygame.Rect(x - 7, y - 7, 14, 14))
        bounds = discs.get_rect().inflate(-4, -4)
        for _county, town in self.townships:
            x, y = self.xy[town.id]
            r = self.radius[town.id]
            remote = getattr(town, "remote", False)
            colour = (120, 150, 130) if not remote else (150, 130, 90)
            pygame.draw.circle(discs, colour, (x, y), r, 3 if remote else 0)
            if self.view == "eoc":
                _known_marker(discs, known.get(town.id), (x, y), r)
            if not self.many:
                name = i18n.pick(town.name.model_dump(), lang)
                if self.view == "eoc":
                    name += _known_age(known.get(town.id), lang)
                image = gfx.text(name, 16, gfx.TEXT)
                rect, far = _place(image.get_size(), (x, y), r, base.taken, bounds)
                if rect is not None:  # always placed (only near_only may place nothing)
                    base.labels.append((image, rect.topleft, (x, y) if far else None))
        base.legend = self._legend(lang, base.taken)
        if base.legend is not None:
            base.taken.append(base.legend[1])
        self._base, self._base_key = base, key
        return base

    def _legend(self, lang: str, taken: list[pygame.Rect]) -> tuple[pygame.Surface, pygame.Rect] | None:
        """A small key to the markers, in the first corner where it covers nothing of the county."""
        session = self.console.session
        has_roads = bool(_roads(session))
        rows: list[tuple[str, str]] = []
        if self.houses:
            rows.append(("warehouse", "ui.map_legend_warehouse"))
        if session.has_part("distribution"):
            rows.append(("station", "ui.map_legend_station"))
        if self.capacity:
            rows.append(("shelter", "ui.map_legend_shelter"))
        if session.has_part("crises"):
            rows += [("first_aid", "ui.map_legend_first_aid"), ("relief", "ui.map_legend_relief"),
                     ("alert", "ui.map_legend_alert")]
        if has_roads:
            rows.append(("road", "ui.map_legend_road_closed"))
        dist_section = getattr(session.scenario, "distribution", None)
        if getattr(getattr(dist_section, "aid", None), "pools", None):
            rows.append(("aid", "ui.map_legend_aid"))
        if not rows:
            return None
        size, step, pad = 13, 17, 6
        images = [(glyph, gfx.text(i18n.t(key, lang), size, gfx.TEXT)) for glyph, key in rows]
        width = max(image.get_width() for _, image in images) + 26 + 2 * pad
        swatches = []
        if session.has_part("distribution") or session.has_part("crises"):
            states = [s for s in LEGEND_STATES if s != "short" or session.has_part("distribution")]
            swatches = [(STATE_COLOURS[s], gfx.text(i18n.t(f"ui.map_state_{s}", lang), size - 1, gfx.DIM)) for s in states]
            width = max(width, 150)
        # Flow the state swatches into rows within the legend's width.
        lines: list[list] = [[]]
        line_w = 0
        for colour, image in swatches:
            w = 12 + image.get_width() + 8
            if lines[-1] and line_w + w > width - 2 * pad:
                lines.append([])
                line_w = 0
            lines[-1].append((colour, image))
            line_w += w
        lines = [line for line in lines if line]
        height = 2 * pad + step * len(images) + (4 + 16 * len(lines) if lines else 0)
        surface = pygame.Surface((width, height))
        surface.fill(gfx.SEA)
        pygame.draw.rect(surface, (12, 18, 28), surface.get_rect(), border_radius=5)
        pygame.draw.rect(surface, gfx.PANEL_EDGE, surface.get_rect(), 1, border_radius=5)
        y = pad
        for glyph, image in images:
            _legend_glyph(surface, glyph, (pad + 8, y + step // 2))
            surface.blit(image, (pad + 20, y + (step - image.get_height()) // 2))
            y += step
        y += 4
        for line in lines:
            x = pad
            for colour, image in line:
                pygame.draw.rect(surface, colour, (x, y + 3, 10, 10))
                surface.blit(image, (x + 13, y + (16 - image.get_height()) // 2))
                x += 12 + image.get_width() + 8
            y += 16
        area = pygame.Rect((0, 0), self.rect.size)
        blocked = list(taken) + list(self.reserved)
        for corner in ("topleft", "topright", "bottomleft", "bottomright"):
            rect = surface.get_rect()
            setattr(rect, corner, getattr(area.inflate(-12, -12), corner))
            if rect.inflate(8, 8).collidelist(blocked) < 0:
                return surface, rect
        return None

    # ----- the dynamic layer -------------------------------------------------------------
    def _link_states(self, data: Any, links: list[str]) -> tuple:
        if not links or not isinstance(data, dict):
            return ()
        announced = data.get("announced") or {}
        failed = {f.get("link") for f in data.get("failures") or [] if isinstance(f, dict)}
        out = []
        for link in sorted(links):
            if self._link_ends(link) is None:
                continue
            states = announced.get(link) or {}
            state = "down" if link in failed or (states and all(v == "down" for v in states.values())) else \
                "degraded" if any(v == "down" for v in states.values()) else "up"
            out.append((link, state))
        return tuple(out)

    def _link_ends(self, link: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
        if link not in self._ends:
            points = [self.node_xy(p) for p in _split_link(link)]
            ends = [p for p in points if p is not None]
            ox, oy = self.rect.topleft
            self._ends[link] = None if len(points) != 2 or len(ends) != 2 else \
                ((ends[0][0] - ox, ends[0][1] - oy), (ends[1][0] - ox, ends[1][1] - oy))
        return self._ends[link]

    def _draw_links(self, surface: pygame.Surface, scene: Scene) -> None:
        for link, state in scene.links:
            ends = self._ends[link]
            if ends is None:  # scene.links holds only links with both ends on the map
                continue
            a, b = ends
            if state == "up" and self.many:
                continue  # national scale: only links in trouble, or the map is all lines
            colour = LINK_COLOURS[state] if state != "up" else (52, 96, 70)
            pygame.draw.line(surface, colour, a, b, 1 if state == "up" else 2)

    def _draw_roads(self, surface: pygame.Surface, scene: Scene) -> None:
        for road in _roads(self.console.session):
            a, b = getattr(road, "a", None), getattr(road, "b", None)
            if a in self.xy and b in self.xy:
                closed = getattr(road, "id", None) in scene.closed_roads or bool(getattr(road, "closed", False))
                if closed:
                    pygame.draw.line(surface, gfx.BAD, self.xy[a], self.xy[b], 3)
                elif self.many:
                    pygame.draw.line(surface, ROAD_FAINT, self.xy[a], self.xy[b], 1)
                else:
                    pygame.draw.line(surface, ROAD, self.xy[a], self.xy[b], 2)


    def _draw_convoys(self, surface: pygame.Surface, scene: Scene, placed: dict[str, pygame.Rect]) -> None:
        """Convoys on the road as diamonds where they are (on top of the stations): mutual aid in
        violet, a county's own in blue, a blocked one red."""
        for ident, node, aid, blocked in scene.convoys:
            x, y = self.xy[node]
            colour = gfx.BAD if blocked else AID if aid else gfx.ACCENT
            points = [(x, y - 8), (x + 8, y), (x, y + 8), (x - 8, y)]
            pygame.draw.polygon(surface, colour, points)
            pygame.draw.polygon(surface, OUTLINE, points, 1)
            placed[f"convoy:{ident}"] = pygame.Rect(x - 8, y - 8, 17, 17)

    def _marker_rows(self, scene: Scene, taken: list[pygame.Rect], bounds: pygame.Rect) -> list[tuple]:
        """Where the distribution stations (▲) and care stations (first aid ✚, relief ◆) go:
        per township a row beside it that keeps clear of what is placed (several in one
        township side by side, "+N" past four). Placed before the labels of the scene."""
        by_town: dict[str, list[tuple[str, str, str]]] = {}
        for ident, town, state in scene.stations:
            by_town.setdefault(town, []).append((f"station:{ident}", "station", state))
        for ident, town, kind, state in scene.care:
            by_town.setdefault(town, []).append((f"care:{ident}", "first_aid" if kind == "first_aid" else "relief", state))
        out: list[Any] = []
        order = {town: i for i, town in enumerate(self.xy)}
        for town in sorted(by_town, key=order.__getitem__):
            markers = by_town[town]
            if self.many:  # drawn on the township itself (_draw_dots): nothing to place
                out.append((town, markers, [], [], False))
                continue
            shown = markers if len(markers) <= MAX_ROW else markers[:MAX_ROW - 1]
            slots = len(shown) + (len(shown) < len(markers))
            row, far = _row(self.xy[town], self.radius[town], slots, taken, bounds)
            taken.extend(row)
            out.append((town, markers, shown, row, far))
        return out

    def _draw_markers(self, surface: pygame.Surface, rows: list[tuple], placed: dict[str, pygame.Rect]) -> None:
        if self.many:
            self._draw_dots(surface, rows, placed)
            return
        for town, markers, shown, row, far in rows:
            if far:
                _leader(surface, self.xy[town], min(row, key=lambda r: math.dist(r.center, self.xy[town])))
            for (name, glyph, state), rect in zip(shown, row, strict=True):
                _glyph(surface, glyph, rect.center, STATE_COLOURS.get(state, gfx.ACCENT))
                placed[name] = rect
            if len(shown) < len(markers):
                more = gfx.text(f"+{len(markers) - len(shown)}", 13, gfx.TEXT)
                surface.blit(more, more.get_rect(center=row[-1].center))

    def _draw_dots(self, surface: pygame.Surface, rows: list[tuple], placed: dict[str, pygame.Rect]) -> None:
        """National scale: each township's stations as one small square on it, in the colour of its
        worst station (suspended, short, setting up, then open), so 2,000 stations stay a map."""
        worst = ("suspended", "short", "setting_up", "planned", "open", "closing", "closed")
        for town, markers, _shown, _row, _far in rows:
            states = [state for _, _, state in markers]
            state = min(states, key=lambda s: worst.index(s) if s in worst else len(worst))
            x, y = self.xy[town]
            rect = pygame.Rect(x - 3, y - 3, 7, 7)
            pygame.draw.rect(surface, STATE_COLOURS.get(state, gfx.ACCENT), rect)
            pygame.draw.rect(surface, OUTLINE, rect, 1)
            for name, _, _ in markers:
                placed[name] = rect

    # ----- the EOC's known picture -------------------------------------------------------
    def _known(self, county: Any, town: str, data: Any = None) -> dict | None:
        if data is None:
            data = self.console.session.part_state("comms")
        known = (data or {}).get("known", {}) if isinstance(data, dict) else {}
        county_id = getattr(county, "id", county)
        return (known.get(county_id) or {}).get(f"township:{town}")


def _station_state(item: dict, out_of_something: bool) -> str:
    """A station's marker state: its lifecycle state, or "short" while open and out of some good."""
    state = str(item.get("state"))
    return "short" if state == "open" and out_of_something else state


def _known_marker(surface: pygame.Surface, seen: tuple | None, at: tuple[int, int], radius: int) -> None:
    """What the EOC believes: grey ring = no report yet; red ring = alert reported;
    dark centre = reported without grid power."""
    if seen is None or len(seen) == 1:
        pygame.draw.circle(surface, (110, 110, 110), at, radius + 4, 2)
        return
    _, _, alert, no_power = seen
    if no_power:
        pygame.draw.circle(surface, (20, 20, 20), at, max(2, radius // 2))
    if alert:
        pygame.draw.circle(surface, gfx.BAD, at, radius + 4, 3)


def _known_age(seen: tuple | None, lang: str) -> str:
    if seen is None or len(seen) == 1:
        return i18n.t("ui.known_none", lang)
    return i18n.t("ui.known_age", lang, turn=seen[1])


# ----- glyphs -----------------------------------------------------------------------------
_halos: dict[int, pygame.Surface] = {}


def _halo(surface: pygame.Surface, at: tuple[int, int], radius: int) -> pygame.Rect:
    """A township under an air-raid alert: a soft red disc and a red ring around it."""
    ring = halo_radius(radius)
    outer = ring + 4
    image = _halos.get(radius)
    if image is None:
        image = _halos[radius] = pygame.Surface((2 * outer + 1, 2 * outer + 1), pygame.SRCALPHA)
        pygame.draw.circle(image, (*gfx.BAD, 70), (outer, outer), outer)
        pygame.draw.circle(image, (*gfx.BAD, 255), (outer, outer), ring, 3)
    rect = image.get_rect(center=at)
    surface.blit(image, rect)
    return rect


def _glyph(surface: pygame.Surface, glyph: str, at: tuple[int, int], colour: tuple) -> pygame.Rect:
    x, y = at
    if glyph == "station":            # ▲ distribution station
        points = [(x, y - 7), (x - 6, y + 5), (x + 6, y + 5)]
        pygame.draw.polygon(surface, colour, points)
        pygame.draw.polygon(surface, OUTLINE, points, 1)
    elif glyph == "first_aid":        # ✚ first-aid station
        for rect in ((x - 7, y - 3, 15, 7), (x - 3, y - 7, 7, 15)):
            pygame.draw.rect(surface, OUTLINE, rect)
        for rect in ((x - 6, y - 2, 13, 5), (x - 2, y - 6, 5, 13)):
            pygame.draw.rect(surface, colour, rect)
    elif glyph == "relief":           # ◆ relief station
        points = [(x, y - 7), (x + 7, y), (x, y + 7), (x - 7, y)]
        pygame.draw.polygon(surface, colour, points)
        pygame.draw.polygon(surface, OUTLINE, points, 1)
    return pygame.Rect(x - MARKER // 2, y - MARKER // 2, MARKER, MARKER)


def _house(surface: pygame.Surface, at: tuple[int, int], colour: tuple, filled: bool = True,
           over: bool = False) -> pygame.Rect:
    """A shelter: a house; filled when people are in it, with a red outline when over capacity."""
    x, y = at
    points = [(x - 6, y + 6), (x - 6, y - 1), (x, y - 7), (x + 6, y - 1), (x + 6, y + 6)]
    if over:
        big = [(x - 9, y + 9), (x - 9, y - 2), (x, y - 11), (x + 9, y - 2), (x + 9, y + 9)]
        pygame.draw.polygon(surface, OUTLINE, big)
        pygame.draw.polygon(surface, gfx.BAD, big, 2)
    if filled:
        pygame.draw.polygon(surface, colour, points)
        pygame.draw.polygon(surface, OUTLINE, points, 1)
    else:
        pygame.draw.polygon(surface, OUTLINE, points)
        pygame.draw.polygon(surface, colour, points, 2)
    return pygame.Rect(x - 7, y - 7, 14, 14)


def _legend_glyph(surface: pygame.Surface, glyph: str, at: tuple[int, int]) -> None:
    x, y = at
    if glyph == "warehouse":
        pygame.draw.rect(surface, gfx.OK, (x - 5, y - 5, 10, 10))
    elif glyph == "shelter":
        _house(surface, at, gfx.OK)
    elif glyph == "alert":
        pygame.draw.circle(surface, (70, 40, 44), at, 7)
        pygame.draw.circle(surface, gfx.BAD, at, 7, 2)
        pygame.draw.circle(surface, (120, 150, 130), at, 3)
    elif glyph == "road":
        pygame.draw.line(surface, gfx.BAD, (x - 7, y + 4), (x + 7, y - 4), 3)
    elif glyph == "aid":
        pygame.draw.polygon(surface, AID, [(x, y - 6), (x + 6, y), (x, y + 6), (x - 6, y)])
    else:
        _glyph(surface, glyph, at, gfx.OK)


# ----- placement --------------------------------------------------------------------------
LEADER = (120, 132, 150)


def _overlap(rect: pygame.Rect, taken: list[pygame.Rect]) -> int:
    total = 0
    for index in rect.collidelistall(taken):
        clip = rect.clip(taken[index])
        total += clip.width * clip.height
    return total


def _best(options: list[list[pygame.Rect]], taken: list[pygame.Rect], bounds: pygame.Rect) -> tuple[int, list[pygame.Rect]]:
    """The first option (a group of rects) inside ``bounds`` that overlaps nothing in ``taken``;
    failing that, the one that overlaps least. Returns (its index, its rects)."""
    best, best_cost = None, None
    for index, rects in enumerate(options):
        if not all(bounds.contains(r) for r in rects):
            continue
        cost = sum(_overlap(r, taken) for r in rects)
        if cost == 0:
            return index, rects
        if best_cost is None or cost < best_cost:
            best, best_cost = (index, rects), cost
    return best or (0, options[0])


def _row(at: tuple[int, int], radius: int, count: int, taken: list[pygame.Rect],
         bounds: pygame.Rect) -> tuple[list[pygame.Rect], bool]:
    """``count`` marker boxes in a row beside a township (left, right, below or above, then
    further out) where they overlap the least of what is already placed; and whether the row
    sits away from the township (and wants a leader line)."""
    x, y = at
    half = MARKER // 2
    width = MARKER * (count - 1)
    options = []
    for extra in (0, MARKER, 2 * MARKER, 3 * MARKER):
        d = radius + 9 + extra
        options += [
            [(x - d - MARKER * i, y) for i in range(count)],                           # left, outwards
            [(x + d + MARKER * i, y) for i in range(count)],                           # right, outwards
            [(x - width // 2 + MARKER * i, y + d - 2) for i in range(count)],          # below
            [(x - width // 2 + MARKER * i, y - d + 2) for i in range(count)],          # above
            [(x - d - MARKER * i, y + d - 4) for i in range(count)],                   # below left
            [(x - d - MARKER * i, y - d + 4) for i in range(count)],                   # above left
        ]
    boxes = [[pygame.Rect(cx - half, cy - half, MARKER, MARKER) for cx, cy in centres] for centres in options]
    index, rects = _best(boxes, taken, bounds)
    return rects, index >= 6


def _place(size: tuple[int, int], at: tuple[int, int], radius: int, taken: list[pygame.Rect], bounds: pygame.Rect,
           first: tuple[str, ...] = (), near_only: bool = False) -> tuple[pygame.Rect | None, bool]:
    """Where a label beside a point overlaps nothing placed before (greedy: beside the point,
    then further out, else where it overlaps least). Adds the rect to ``taken``; returns it and
    whether it sits away from the point (and wants a leader line)."""
    w, h = size
    x, y = at
    candidates: list[tuple[int, int]] = []
    for extra in (0, 16, 34, 56, 80):
        gap = radius + 4 + extra
        named = {"right": (x + gap, y - h // 2), "left": (x - gap - w, y - h // 2),
                 "above": (x - w // 2, y - gap - h), "below": (x - w // 2, y + gap)}
        candidates += [named[n] for n in first] + [
            named["right"], named["left"], named["above"], named["below"],
            (x + gap, y - h - 2), (x + gap, y + 2), (x - gap - w, y - h - 2), (x - gap - w, y + 2)]
        if extra == 0:
            near = len(candidates)
    options = [[pygame.Rect(c, (w, h))] for c in candidates[:near if near_only else None]]
    index, (best,) = _best(options, taken, bounds)
    if near_only and _overlap(best, taken):
        return None, False
    taken.append(best)
    return best, index >= near


def _leader(surface: pygame.Surface, at: tuple[int, int], rect: pygame.Rect) -> None:
    """A thin line from a point to a label placed away from it."""
    end = (min(max(at[0], rect.left), rect.right - 1), min(max(at[1], rect.top), rect.bottom - 1))
    pygame.draw.line(surface, LEADER, at, end, 1)


def _label(surface: pygame.Surface, value: str, at: tuple[int, int], radius: int, taken: list[pygame.Rect],
           size: int = 16, colour: tuple = gfx.TEXT, boxed: bool = False, first: tuple[str, ...] = (),
           near_only: bool = False) -> pygame.Rect | None:
    """Draw a label beside a point where it overlaps no earlier label or marker (with a leader
    line when it had to go further out; not at all, with ``near_only``, unless it fits beside)."""
    image = gfx.text(value, size, colour)
    best, far = _place(image.get_size(), at, radius, taken, surface.get_rect().inflate(-4, -4), first,
                       near_only=near_only)
    if best is None:
        return None
    if far:
        _leader(surface, at, best)
    if boxed:
        pygame.draw.rect(surface, (10, 14, 20), best.inflate(6, 2), border_radius=3)
    surface.blit(image, best.topleft)
    return best


# ----- reading state ----------------------------------------------------------------------
def _data(value: Any) -> Any:
    return value.to_data() if hasattr(value, "to_data") else value


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _roads(session: Any) -> list:
    """The road links in play (derived from coordinates when the scenario gives none)."""
    found = session.query("distribution.roads", default=None)
    if found is not None:
        return list(found)
    section = getattr(session.scenario, "distribution", None)
    return list(getattr(section, "roads", None) or [])


def _split_link(link: str) -> list[str]:
    for sep in ("|", "<->", "--", "~", " "):
        if sep in link:
            return [part for part in link.split(sep) if part]
    return [link]


def _road_closed(session: Any, road: Any) -> bool:
    for name in session.part_names():
        data = session.part_state(name)
        if isinstance(data, dict) and getattr(road, "id", None) in (data.get("closed_roads") or ()):
            return True
    return bool(getattr(road, "closed", False))
