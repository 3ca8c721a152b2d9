"""The exercise room: one session server, browsers as seats (docs/server.md).

Kept light on import (the ``serve`` subcommand is registered through the plugin seam at
every launch): Starlette and uvicorn load only when the server runs.

- :mod:`tabletop.server.seats`: seats, their tokens, the seats sidecar and join links.
- :mod:`tabletop.server.journal`: the client-id journal that makes resends exactly once.
- :mod:`tabletop.server.room`: the one authority: the session, the one command queue, the log.
- :mod:`tabletop.server.views`: what a seat may see (fog of war): its payload and its events.
- :mod:`tabletop.server.forms`: command forms built from the command specs.
- :mod:`tabletop.server.app`: the Starlette application (routes, limits, websocket).
- :mod:`tabletop.server.cli`: the ``serve`` subcommand.
"""
