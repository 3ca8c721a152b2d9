"""The ids registry: ids the players created (station ids, plan ids ...) -> what they name.

A dict that also keeps, in order, every entry set since it was made (:attr:`IdRegistry.entered`,
a removal as ``(id, None)``), so the replay index stores with each snapshot only what changed
since the previous one instead of the whole registry, which grows all session long. Rules
only look ids up and add new ones; the order of the dict itself means nothing.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

#: One journal entry: an id and what it names now (None: removed).
Entry = tuple[str, "str | None"]


class IdRegistry(dict[str, str]):
    """Ids -> what they name, with the journal of what was set (see the module doc)."""

    __slots__ = ("entered",)

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(items)
        #: Every entry set since the registry was made, in order (its first ones: what it was made with).
        self.entered: list[Entry] = list(self.items())

    def __setitem__(self, key: str, value: str) -> None:
        dict.__setitem__(self, key, value)
        self.entered.append((key, value))

    def __delitem__(self, key: str) -> None:
        dict.__delitem__(self, key)
        self.entered.append((key, None))

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            value = dict.pop(self, key)
            self.entered.append((key, None))
            return value
        return dict.pop(self, key, *default)

    def popitem(self) -> tuple[str, str]:
        key, value = dict.popitem(self)
        self.entered.append((key, None))
        return key, value

    def clear(self) -> None:
        for key in list(self):
            self.entered.append((key, None))
        dict.clear(self)


def replay(base: dict[str, str], changes: Iterable[Any]) -> dict[str, str]:
    """``base`` (changed in place) after the journal entries ``changes`` ([id, what] pairs, what
    None for a removal), as the replay index rebuilds a snapshot's registry."""
    for key, value in changes:
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base
