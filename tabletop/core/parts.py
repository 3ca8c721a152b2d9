"""The seam where each part of the engine plugs in: what a part declares (:class:`Plugin`)
and the registries built from the parts a session is given (:class:`Parts`).

The core never chooses its parts: ``tabletop.api`` builds :class:`Parts` from the parts list
(``tabletop.plugins.PLUGIN_MODULES``) and hands it to every session and to scenario loading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from pydantic import BaseModel

from tabletop.core import events as core_events
from tabletop.core.commands import CommandSpec


@dataclass(frozen=True)
class Plugin:
    name: str
    commands: tuple[CommandSpec, ...] = ()
    #: Top-level scenario sections: name -> pydantic model (instantiable with no arguments).
    scenario_sections: dict[str, type] = field(default_factory=dict)
    #: Builds this plugin's slice of session state (plain data or an object with ``to_data``).
    init_state: Callable[[Any], Any] | None = None
    #: Rebuilds this part's slice from its snapshot data (``init_state``'s ``to_data`` output).
    restore: Callable[[Any, Any], Any] | None = None
    #: Phase name (injects, orders, adjudication, turnend, hotwash) -> hook(session).
    hooks: dict[str, Callable[[Any], None]] = field(default_factory=dict)
    #: Cross-reference checks: (scenario, known command kinds) -> [(path, message)].
    check_scenario: Callable[[Any], list[tuple[tuple[Any, ...], str]]] | None = None
    #: Entities made before play (Faker etc.): (scenario, seed) -> JSON data for the log header.
    generate: Callable[[Any, int], Any] | None = None
    #: Inject effect types this part provides: name -> EffectSpec.
    effects: dict[str, "EffectSpec"] = field(default_factory=dict)
    #: Named conditions on the truth for triggered injects: name -> ConditionSpec.
    conditions: dict[str, "ConditionSpec"] = field(default_factory=dict)
    #: Timer handlers (see ``Session.schedule``): name -> fn(session, data).
    timers: dict[str, Callable[[Any, dict[str, Any]], None]] = field(default_factory=dict)
    #: Message receivers: message kind -> fn(session, message) run when it is delivered.
    receivers: dict[str, Callable[[Any, dict[str, Any]], None]] = field(default_factory=dict)
    #: A transport replacing immediate delivery (only the communications part sets it): fn(session) -> transport.
    transport: Callable[[Any], Any] | None = None
    #: Facts a field node reports about itself: fn(session, node) -> dict (merged across parts).
    facts: Callable[[Any, str], dict[str, Any]] | None = None
    #: The node kinds (``township``, ``station`` ...) ``facts`` can say anything about; None: every
    #: kind. Nodes of other kinds are not asked (a national turn asks of thousands of stations).
    fact_nodes: tuple[str, ...] | None = None
    #: ``facts`` of many nodes of one kind at once (a township's stations, in its report):
    #: fn(session, nodes) -> {node: facts}, new dicts with their keys sorted, in the order of
    #: ``nodes``: exactly what ``facts`` says of each (optional: saves a call per station where
    #: this part alone knows the kind; tests/comms/test_fact_nodes.py).
    facts_many: Callable[[Any, list[str]], dict[str, dict[str, Any]]] | None = None
    #: What this part adds to a field node's report to its EOC and learns when one arrives
    #: (one message per node and report: see :class:`ReportSection`).
    report_section: "ReportSection | None" = None
    #: Event listeners: event kind -> fn(session, data), called right after the event is logged.
    listeners: dict[str, Callable[[Any, dict[str, Any]], None]] = field(default_factory=dict)
    #: State-machine diagrams this part draws (name -> fn() -> mermaid), kept in docs/diagrams/.
    diagrams: dict[str, Callable[[], str]] = field(default_factory=dict)
    #: Role pictures (what a county's EOC knows, for the trainee views): panel name ->
    #: fn(session, county) -> [PictureRow].
    pictures: dict[str, Callable[[Any, str], list["PictureRow"]]] = field(default_factory=dict)
    #: Which roles see each of its panels, and where among the role's tabs: panel -> {role:
    #: position} (0 first; see ``tabletop.pictures.panel_names``).
    panels: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Choices for command form fields: "<kind>.<arg>" (or "*.<arg>" for every kind) ->
    #: fn(session, county, role) -> [Choice]. Fields without choices are typed.
    choices: dict[str, Callable[[Any, str, str], list["Choice"]]] = field(default_factory=dict)
    #: What other parts may ask of this one: "<part>.<name>" -> fn(session, ...) (see
    #: ``Session.query``). A part never reads another part's slice or imports its modules.
    queries: dict[str, Callable[..., Any]] = field(default_factory=dict)
    #: The event kinds this part emits: kind -> pydantic model of its ``data`` (one shape per
    #: kind; see :mod:`tabletop.core.events`). A kind is declared by exactly one part or the core.
    events: dict[str, type[BaseModel]] = field(default_factory=dict)
    #: The console's feed line of each of its event kinds: kind -> fn(names, data) -> params or
    #: (key, params) for ``ui.ev.<kind>`` (see :mod:`tabletop.feed`; strings in its strings.yaml).
    feed: dict[str, Callable[[Any, dict[str, Any]], Any]] = field(default_factory=dict)
    #: The names of the metrics this part declares (``@metric`` in its ``metrics.py``, which its
    #: plugin module imports: they are registered when the part is loaded).
    metrics: tuple[str, ...] = ()


class DataSlice:
    """A part's slice of session state kept as one plain dict (``self.data``): indexable like
    the dict, and snapshotted as it is (``to_data``)."""

    data: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.data[key] = value

    def to_data(self) -> dict[str, Any]:
        return self.data


@dataclass(frozen=True)
class ReportSection:
    """A part's section of the field reports a node sends its EOC (the communications part's
    ``report`` message, on schedule or on request): ``make(session, node)`` -> the section, or
    None when the part has nothing to say of the node now; ``read(session, county, node,
    section)`` when a report carrying it reaches the county's EOC. Only nodes of the kinds in
    ``nodes`` are asked. A part's news travels in the one report its node sends, never in a
    message of its own (log format 6: a national turn sends 368 messages fewer)."""

    nodes: tuple[str, ...]
    make: Callable[[Any, str], dict[str, Any] | None]
    read: Callable[[Any, str, str, dict[str, Any]], None]


@dataclass(frozen=True)
class EffectSpec:
    """An inject effect: its parameter schema and what it does when the inject is delivered."""

    args: type[BaseModel]
    apply: Callable[[Any, Any, str], None]  # (session, validated args, inject id)
    #: Parameters naming places (townships, warehouses, stations...), checked by ``lint``.
    places: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class PictureRow:
    """One line of a role picture panel: bilingual text and a tone (text, ok, warn, bad, dim)."""

    text: dict[str, str]
    tone: str = "text"


@dataclass(frozen=True)
class Choice:
    """One option of a form field: the argument value and its bilingual label."""

    value: Any
    label: dict[str, str]


@dataclass(frozen=True)
class ConditionSpec:
    """A condition on the truth that a triggered inject can wait for."""

    args: type[BaseModel]
    test: Callable[[Any, Any], bool]  # (session, validated args) -> holds?
    doc: str = ""


class Parts:
    """The parts of one engine, in order (the order of phase hooks within a phase), and the
    registries merged from them. A name declared by two parts is an error."""

    def __init__(self, plugins: tuple[Plugin, ...]) -> None:
        self.all = tuple(plugins)
        self.commands: dict[str, CommandSpec] = {}
        for plugin in self.all:
            for spec in plugin.commands:
                if spec.kind in self.commands:
                    raise RuntimeError(f"command kind {spec.kind!r} declared twice")
                self.commands[spec.kind] = spec
        self.effects: dict[str, EffectSpec] = self._merged("effects")
        self.conditions: dict[str, ConditionSpec] = self._merged("conditions")
        self.receivers: dict[str, Callable[[Any, dict[str, Any]], None]] = self._merged("receivers")
        self.timers: dict[str, Callable[[Any, dict[str, Any]], None]] = self._merged("timers")
        self.pictures: dict[str, Callable[[Any, str], list[PictureRow]]] = self._merged("pictures")
        self.choices: dict[str, Callable[[Any, str, str], list[Choice]]] = self._merged("choices")
        self.queries: dict[str, Callable[..., Any]] = self._merged("queries")
        self.feed: dict[str, Callable[[Any, dict[str, Any]], Any]] = self._merged("feed")
        self.panels: dict[str, dict[str, int]] = self._merged("panels")
        #: Metric name -> the part that declares it.
        self.metric_owner: dict[str, str] = {}
        for plugin in self.all:
            for name in plugin.metrics:
                if name in self.metric_owner:
                    raise RuntimeError(f"metric {name!r} declared twice")
                self.metric_owner[name] = plugin.name
        listeners: dict[str, list[Callable[[Any, dict[str, Any]], None]]] = {}
        for plugin in self.all:
            for kind, listener in plugin.listeners.items():
                listeners.setdefault(kind, []).append(listener)
        #: Event kind -> every part's listener for it, in part order.
        self.listeners: dict[str, tuple[Callable[[Any, dict[str, Any]], None], ...]] = {
            kind: tuple(fns) for kind, fns in listeners.items()}
        self._facts: dict[str, tuple[Callable[[Any, str], dict[str, Any]], ...]] = {}
        self._facts_many: dict[str, Callable[[Any, list[str]], dict[str, dict[str, Any]]] | None] = {}
        #: Part name -> its report section, in part order.
        self.report_sections: dict[str, ReportSection] = {
            p.name: p.report_section for p in self.all if p.report_section is not None}
        self.sections: dict[str, type] = self._merged("scenario_sections")
        #: Event kind -> its data model: the core's (:mod:`tabletop.core.events`), then each part's.
        self.events: dict[str, type[BaseModel]] = dict(core_events.EVENTS)
        #: Event kind -> who declares it ("core" or a part's name).
        self.event_owner: dict[str, str] = dict.fromkeys(core_events.EVENTS, "core")
        for plugin in self.all:
            for kind, model in plugin.events.items():
                if kind in self.events:
                    raise RuntimeError(f"event kind {kind!r} declared twice")
                self.events[kind] = model
                self.event_owner[kind] = plugin.name

    def facts_many_for(self, kind: str) -> Callable[[Any, list[str]], dict[str, dict[str, Any]]] | None:
        """The ``facts_many`` of the one part that can say something of a node of ``kind``, or
        None (no part, several, or one without ``facts_many``)."""
        if kind not in self._facts_many:
            parts = self._knowing(kind)
            self._facts_many[kind] = parts[0].facts_many if len(parts) == 1 else None
        return self._facts_many[kind]

    def _knowing(self, kind: str) -> list[Plugin]:
        """The parts with ``facts`` about nodes of ``kind`` (their ``fact_nodes``), in part order."""
        return [p for p in self.all if p.facts is not None and (p.fact_nodes is None or kind in p.fact_nodes)]

    def facts_for(self, kind: str) -> tuple[Callable[[Any, str], dict[str, Any]], ...]:
        """The parts' ``facts`` functions that can say something of a node of ``kind`` (their
        ``fact_nodes``), in part order."""
        found = self._facts.get(kind)
        if found is None:
            found = self._facts[kind] = tuple(p.facts for p in self._knowing(kind) if p.facts is not None)
        return found

    def _merged(self, attribute: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for plugin in self.all:
            for name, value in getattr(plugin, attribute).items():
                if name in out:
                    raise RuntimeError(f"{attribute.rstrip('s')} {name!r} declared twice")
                out[name] = value
        return out
