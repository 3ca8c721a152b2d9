"""Entities generated before play (Faker zh_TW, seeded from the session seed).

They are made once, written into the log header, and read back from there by
replay and verify: never regenerated, so a log replays even if Faker changes.
"""

from __future__ import annotations

from typing import Any

from faker import Faker

from tabletop.core.rng import derive_seed


def faker_for(seed: int, purpose: str) -> Faker:
    """A zh_TW Faker seeded for one purpose, so purposes never shift each other."""
    fake = Faker("zh_TW")
    fake.seed_instance(derive_seed(seed, f"faker:{purpose}"))
    return fake


def participants(scenario: Any, seed: int) -> dict[str, Any]:
    """Seats of the exercise; with ``participants.generate`` a duty officer name for each."""
    fake = faker_for(seed, "participants") if scenario.participants.generate else None
    seats: dict[str, Any] = {"facilitator": fake.name() if fake else None, "central": fake.name() if fake else None}
    for county in scenario.counties:
        seats[county.id] = {role: (fake.name() if fake else None) for role in county.roles}
    return seats


def generate_all(scenario: Any, seed: int, parts: Any) -> dict[str, Any]:
    """Every part's generated entities, by part name (empty parts left out)."""
    out: dict[str, Any] = {}
    for plugin in parts.all:
        if plugin.generate is not None:
            made = plugin.generate(scenario, seed)
            if made:
                out[plugin.name] = made
    return out
