"""tabletop: a deterministic, turn-based engine for mobilization tabletop exercises.

The public API lives in :mod:`tabletop.api`; everything else (CLI, UI, replay,
scoring) drives the engine through it.
"""

__version__ = "0.6.0"
