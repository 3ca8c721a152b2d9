"""tools/make_geo.py decodes TopoJSON as the atlas writes it: two unit squares side by side
sharing one arc; their centroids, areas, the shared border and the coast come out right."""

import csv
import json
import os
import sys

from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools"))
import make_geo  # noqa: E402


def _topology():
    # Quantized, delta-encoded arcs (scale 0.1 degree): arc 0 the shared edge x=1 (from y=0 to y=1),
    # arc 1 the rest of square A, arc 2 the rest of square B.
    arcs = [[[10, 0], [0, 10]],                                   # (1,0) -> (1,1)
            [[10, 10], [-10, 0], [0, -10], [10, 0]],              # (1,1) -> (0,1) -> (0,0) -> (1,0)
            [[10, 0], [10, 0], [0, 10], [-10, 0]]]                # (1,0) -> (2,0) -> (2,1) -> (1,1)
    geometries = [
        {"type": "Polygon", "arcs": [[0, 1]], "properties": {"COUNTYNAME": "台東縣", "TOWNNAME": "甲鄉", "TOWNENG": "A"}},
        {"type": "Polygon", "arcs": [[2, ~0]], "properties": {"COUNTYNAME": "花蓮縣", "TOWNNAME": "乙鄉", "TOWNENG": "B"}},
    ]
    return {"type": "Topology", "transform": {"scale": [0.1, 0.1], "translate": [120.0, 23.0]}, "arcs": arcs,
            "objects": {"towns": {"type": "GeometryCollection", "geometries": geometries}}}


def test_arcs_rings_centroids_and_areas():
    topo = _topology()
    arcs = make_geo.decode_arcs(topo)
    assert arcs[0] == [(121.0, 23.0), (121.0, 24.0)]
    a = make_geo.polygons(arcs, topo["objects"]["towns"]["geometries"][0])
    b = make_geo.polygons(arcs, topo["objects"]["towns"]["geometries"][1])
    assert make_geo.centroid(a) == (120.5, 23.5) and make_geo.centroid(b) == (121.5, 23.5)
    # One square degree at 23.5°N: 111.32² × cos(23.5°) ≈ 11,364 km².
    assert 11_300 < make_geo.area_km2(a) < 11_420
    shared = make_geo.arc_ids(topo["objects"]["towns"]["geometries"][0]) & make_geo.arc_ids(topo["objects"]["towns"]["geometries"][1])
    assert shared == {0}
    assert make_geo.normal("台東縣") == "臺東縣"


def test_simplify_keeps_the_corners():
    square = [(0.0, 0.0), (0.5, 0.001), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
    assert make_geo.simplify(square, 0.01) == [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]


def test_the_shipped_files_are_what_the_tool_writes():
    # The shipped tables have the columns and rows the tool writes (the atlas itself is not shipped).
    with open(os.path.join(ROOT, "scenarios", "data", "townships_geo.csv"), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["county", "township", "township_en", "lon", "lat", "area_km2", "coastal"] and len(rows) == 368
    with open(os.path.join(ROOT, "scenarios", "data", "townships_adjacent.csv"), encoding="utf-8", newline="") as handle:
        pairs = list(csv.DictReader(handle))
    names = {(r["county"], r["township"]) for r in rows}
    assert all((p["county_a"], p["township_a"]) in names and (p["county_b"], p["township_b"]) in names for p in pairs)
    outline = json.load(open(os.path.join(ROOT, "scenarios", "data", "counties_outline.json"), encoding="utf-8"))
    assert len(outline["counties"]) == 22 and outline["tolerance_deg"] == 0.004
