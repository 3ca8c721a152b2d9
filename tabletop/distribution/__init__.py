"""Distribution stations and rationing (配售站): the county supply model.

Modules: ``params`` (the scenario section), ``rules`` (law-citing rules),
``state`` (the session slice), ``lifecycle`` (station state machine), ``roads``,
``demand``, ``service``, ``convoys``, ``supply`` (stock, ledger, days of
supply), ``reports`` (to the EOC), ``commands``, ``effects``, ``adjudicate``,
``seat_view`` (the EOC's picture and form choices for the trainee seats).
"""

from __future__ import annotations

from tabletop.distribution import (adjudicate, aid, announcements, check, commands, effects, events, feed, metrics, queries,
                                   reports,
                                   restore, seat_view, state)
from tabletop.distribution.params import DistributionSection
from tabletop.core.parts import Plugin, ReportSection

PLUGIN = Plugin(
    name="distribution",
    events=events.EVENTS,
    feed=feed.FEED,
    metrics=metrics.METRICS,
    commands=commands.specs(),
    scenario_sections={"distribution": DistributionSection},
    init_state=state.init_state,
    restore=restore.restore,
    hooks={"adjudication": adjudicate.adjudicate},
    check_scenario=check.check,
    effects=effects.EFFECTS,
    conditions=effects.CONDITIONS,
    receivers={commands.ORDER: commands.order_received,
               commands.DIRECTIVE: commands.directive_received, aid.REQUEST: aid.request_received},
    report_section=ReportSection(("township",), reports.make, reports.read),
    listeners={"announcement": announcements.on_announcement},
    pictures=seat_view.PICTURES,
    panels=seat_view.PANELS,
    choices=seat_view.CHOICES,
    queries=queries.QUERIES,
)
