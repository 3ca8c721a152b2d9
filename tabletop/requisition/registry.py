"""The registry of requisitionable property and people (物力編管、民力).

Two sources, merged: entries the scenario lists by hand, and entries Faker zh_TW
generates from the session seed (``generate``) where the scenario asks for N of a
kind. Generation runs once, before play; the result goes into the log header and
replay reads it back from there (``session.generated["requisition"]``).
"""

from __future__ import annotations

from typing import Any

from tabletop.generated import faker_for
from tabletop.requisition.model import PROPERTY_KINDS

#: kind -> (name zh_TW, unit, market value range NT$, capacity kg range, power kW range)
_KINDS: dict[str, tuple[str, str, tuple[int, int], tuple[int, int], tuple[int, int]]] = {
    "truck": ("貨車", "輛", (1_200_000, 3_500_000), (3_500, 17_000), (0, 0)),
    "bus": ("大客車", "輛", (3_000_000, 6_000_000), (0, 0), (0, 0)),
    "car": ("小客車", "輛", (400_000, 1_200_000), (300, 500), (0, 0)),
    "boat": ("漁船", "艘", (2_000_000, 15_000_000), (0, 0), (0, 0)),
    "heavy_machinery": ("挖土機", "部", (2_000_000, 8_000_000), (0, 0), (0, 0)),
    "generator": ("柴油發電機", "部", (300_000, 2_500_000), (0, 0), (20, 500)),
    "fuel": ("柴油（公升）", "公升", (200_000, 1_500_000), (0, 0), (0, 0)),
    "medical_supplies": ("醫療耗材", "批", (100_000, 800_000), (0, 0), (0, 0)),
    "building": ("活動中心", "棟", (10_000_000, 60_000_000), (0, 0), (0, 0)),
    "warehouse": ("倉庫", "棟", (8_000_000, 40_000_000), (0, 0), (0, 0)),
    "comms": ("無線電中繼台", "套", (50_000, 500_000), (0, 0), (0, 0)),
}
_SKILLS = {"driver": "駕駛", "machine_operator": "機具操作員", "repair_crew": "搶修人員", "medic": "醫護人員",
           "loader": "裝卸人員", "technician": "技術人員", "rescuer": "救援人員"}
_CONDITIONS = ("new", "good", "good", "fair", "worn")


def generate(scenario: Any, seed: int) -> dict[str, Any] | None:
    """Faker zh_TW entries for every county, as JSON data for the log header (None if none asked)."""
    spec = scenario.requisition.generate
    if not (spec.owners or any(spec.property.values()) or any(spec.people.values())):
        return None
    out: dict[str, list[dict[str, Any]]] = {"owners": [], "property": [], "people": []}
    for county in sorted(scenario.counties, key=lambda c: c.id):
        fake = faker_for(seed, f"requisition:{county.id}")
        towns = sorted(t.id for t in county.townships)
        owners = _owners(fake, county.id, towns, max(spec.owners, 1 if any(spec.property.values()) else 0))
        out["owners"] += owners
        out["property"] += _property(fake, county.id, towns, owners, spec.property)
        out["people"] += _people(fake, county.id, towns, spec.people)
    return {name: sorted(items, key=lambda e: e["id"]) for name, items in out.items()}


_MARKS = ("記", "興", "昌", "成", "發", "源", "順", "豐", "益", "和")
_TRADES = ("貨運有限公司", "通運股份有限公司", "實業有限公司", "企業社", "機電工程行", "營造有限公司", "商行",
           "交通事業有限公司", "漁業有限公司", "倉儲股份有限公司")
#: First letter of national IDs by county (household registration), and its two-digit code.
_ID_LETTER = {"taipei": "A", "taichung": "B", "keelung": "C", "tainan": "D", "kaohsiung": "E", "new_taipei": "F",
              "yilan": "G", "taoyuan": "H", "chiayi_city": "I", "hsinchu": "J", "miaoli": "K", "nantou": "M",
              "changhua": "N", "hsinchu_city": "O", "yunlin": "P", "chiayi": "Q", "pingtung": "T", "hualien": "U",
              "taitung": "V", "kinmen": "W", "penghu": "X", "lienchiang": "Z"}
_LETTER_CODE = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23,
                                                      24, 25, 26, 27, 28, 29, 32, 30, 31, 33), strict=True))


def _company(fake: Any) -> str:
    return f"{fake.last_name()}{fake.random_element(_MARKS)}{fake.random_element(_TRADES)}"


def national_id(fake: Any, county: str, female: bool) -> str:
    """A national ID number of the county's letter, with a valid check digit."""
    letter = _ID_LETTER.get(county) or fake.random_element(sorted(_LETTER_CODE))
    digits = [2 if female else 1] + [fake.random_digit() for _ in range(7)]
    code = _LETTER_CODE[letter]
    total = code // 10 + (code % 10) * 9 + sum(d * w for d, w in zip(digits, (8, 7, 6, 5, 4, 3, 2, 1), strict=True))
    return letter + "".join(map(str, digits)) + str((10 - total % 10) % 10)


def business_number(fake: Any) -> str:
    """An 8-digit 統一編號 whose check sum (weights 1,2,1,2,1,2,4,1) is a multiple of 10."""
    head = [fake.random_digit() for _ in range(7)]
    for last in range(10):
        digits = head + [last]
        total = sum(sum(divmod(d * w, 10)) for d, w in zip(digits, (1, 2, 1, 2, 1, 2, 4, 1), strict=True))
        if total % 10 == 0:
            return "".join(map(str, digits))
    return "".join(map(str, head)) + "0"  # unreachable: some last digit always works


def _phone(fake: Any, mobile: bool) -> str:
    return fake.numerify("09##-###-###") if mobile else fake.numerify("03-8######")


def _owners(fake: Any, county: str, towns: list[str], count: int) -> list[dict[str, Any]]:
    owners = []
    for n in range(1, count + 1):
        person, female = fake.random_int(0, 3) == 0, fake.random_int(0, 1) == 1
        owners.append({
            "id": f"{county}-own-{n:03d}", "kind": "person" if person else "company",
            "name": (fake.name_female() if female else fake.name_male()) if person else _company(fake),
            "id_number": national_id(fake, county, female) if person else business_number(fake),
            "phone": _phone(fake, person), "township": fake.random_element(towns), "requisitions_this_year": 0,
        })
    return owners


def _property(fake: Any, county: str, towns: list[str], owners: list[dict[str, Any]], counts: dict[str, int]) -> list[dict[str, Any]]:
    items = []
    for kind in sorted(counts):
        name, unit, value, capacity, power = _KINDS[kind]
        for n in range(1, counts[kind] + 1):
            owner = fake.random_element(owners)
            label = f"{name} {fake.license_plate()}" if PROPERTY_KINDS[kind] == "transport" and kind != "boat" else f"{name} {owner['name'][:2]}{n:02d}"
            exemption = None
            if fake.random_int(1, 100) <= 8:
                exemption = fake.random_element(EXEMPTION_CLASSES)
            items.append({
                "id": f"{county}-{kind.replace('_', '-')}-{n:02d}", "kind": kind, "name": label, "owner": owner["id"],
                "township": owner["township"] if fake.random_int(0, 2) else fake.random_element(towns),
                "market_value": fake.random_int(value[0] // 10_000, value[1] // 10_000) * 10_000,
                "condition": fake.random_element(_CONDITIONS), "quantity": fake.random_int(5, 50) * 1000 if kind == "fuel" else 1,
                "unit": unit, "capacity_kg": fake.random_int(*capacity) // 100 * 100 if capacity[1] else 0,
                "power_kw": fake.random_int(*power) // 10 * 10 if power[1] else 0, "exemption": exemption,
                "patent": fake.random_int(1, 100) <= 3, "sole_agent": fake.random_int(1, 100) <= 3,
                "no_alternative": fake.random_int(1, 100) <= 5,
            })
    _cover_exemptions(fake, items)
    return items


#: Art 29's five classes of property that may not be requisitioned.
EXEMPTION_CLASSES = ("art.29.1", "art.29.2", "art.29.3", "art.29.4", "art.29.5")


def _cover_exemptions(fake: Any, items: list[dict[str, Any]]) -> None:
    """Every class of art 29 (1 to 5) occurs in the county's registry, so each can occur in play:
    a class no item drew goes to a non-exempt item picked by the seeded generator."""
    for basis in EXEMPTION_CLASSES:
        if any(item["exemption"] == basis for item in items):
            continue
        free = [item for item in items if item["exemption"] is None]
        if free:
            fake.random_element(free)["exemption"] = basis


def _people(fake: Any, county: str, towns: list[str], counts: dict[str, int]) -> list[dict[str, Any]]:
    people = []
    for skill in sorted(counts):
        for n in range(1, counts[skill] + 1):
            last, female = fake.last_name(), fake.random_int(0, 1) == 1
            survivors = []
            if fake.random_int(0, 1):
                survivors.append({"relation": "spouse", "name": fake.name()})
            for _ in range(fake.random_int(0, 2)):
                survivors.append({"relation": "child", "name": last + fake.first_name()})
            for index in range(fake.random_int(0, 2)):
                survivors.append({"relation": "parent", "name": last + fake.first_name() if index == 0 else fake.name()})
            people.append({
                "id": f"{county}-p-{skill.replace('_', '-')}-{n:02d}",
                "name": last + (fake.first_name_female() if female else fake.first_name_male()),
                "id_number": national_id(fake, county, female), "phone": _phone(fake, True), "township": fake.random_element(towns), "skill": skill,
                "employer": _company(fake) if fake.random_int(0, 2) else None,
                "sole_operator": fake.random_int(1, 100) <= 8, "family_dependent": fake.random_int(1, 100) <= 6,
                "unfit": fake.random_int(1, 100) <= 5, "job_benefit": 0, "survivors": survivors, "will": [],
            })
    return people


def build(scenario: Any, generated: dict[str, Any] | None) -> dict[str, dict[str, dict[str, Any]]]:
    """The merged registry: {owners|property|people: {id: entry}} with each entry's county."""
    town_county = {t.id: c.id for c in scenario.counties for t in c.townships}
    section = scenario.requisition
    out: dict[str, dict[str, dict[str, Any]]] = {"owners": {}, "property": {}, "people": {}}
    made = generated or {}
    for part in ("owners", "property", "people"):
        entries = list(made.get(part, [])) + [e.model_dump() for e in getattr(section, part)]
        for entry in entries:
            entry = dict(entry)
            entry["county"] = town_county.get(entry["township"])
            if part == "property":
                entry["class"] = PROPERTY_KINDS[entry["kind"]]
            out[part][entry["id"]] = entry
    return out


def listing(registry: dict[str, dict[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Rows for review before the day: ids, kind, class, owner, value, township, exemption, flags."""
    rows = []
    owners = registry["owners"]
    for ident in sorted(registry["property"]):
        e = registry["property"][ident]
        flags = [f for f in ("patent", "sole_agent", "no_alternative") if e.get(f)]
        owner = owners.get(e["owner"], {})
        rows.append({"id": ident, "part": "property", "kind": e["kind"], "class": e["class"], "name": e["name"],
                     "owner": e["owner"], "owner_name": owner.get("name"), "value": e["market_value"],
                     "township": e["township"], "county": e["county"], "exemption": e.get("exemption"), "flags": flags})
    for ident in sorted(registry["people"]):
        e = registry["people"][ident]
        flags = [f for f in ("sole_operator", "family_dependent", "unfit") if e.get(f)]
        rows.append({"id": ident, "part": "people", "kind": e["skill"], "class": "manpower", "name": e["name"],
                     "owner": None, "owner_name": e.get("employer"), "value": None, "township": e["township"],
                     "county": e["county"], "exemption": "art.34" if flags else None, "flags": flags,
                     "id_number": e.get("id_number"), "phone": e.get("phone")})
    for ident in sorted(owners):
        e = owners[ident]
        rows.append({"id": ident, "part": "owners", "kind": e["kind"], "class": "owner", "name": e["name"], "owner": None,
                     "owner_name": None, "value": None, "township": e["township"], "county": e["county"], "exemption": None,
                     "flags": [], "id_number": e.get("id_number"), "phone": e.get("phone")})
    return rows
