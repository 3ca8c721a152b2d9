"""Rebuild the requisition slice from its snapshot data (``RequisitionState.to_data``), for
replay's fast seek and what-if forks (``Session.from_snapshot``).

The registry is not part of snapshots: it comes from the scenario and the log header, as
in ``init_state``. Every case and manpower case is given back to its state machine in the
state it was in.
"""

from __future__ import annotations

from typing import Any

from tabletop.requisition import registry
from tabletop.requisition.state import RequisitionState


def restore(session: Any, data: dict[str, Any]) -> RequisitionState:
    state = RequisitionState(registry.build(session.scenario, session.generated.get("requisition")))
    state.plans = data["plans"]
    for case in data["cases"].values():
        state.add_case(case)
    for case in data["manpower"].values():
        state.add_manpower(case)
    state.liabilities = data["liabilities"]
    state.penalties = data["penalties"]
    return state
