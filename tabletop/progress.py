"""Progress bars, made one way (tqdm): without tqdm's monitor thread.

tqdm starts a thread that watches its bars for stalls (every ``monitor_interval`` seconds) and
outlives a closed bar by up to that long. The replay index forks its helper process only from
a process with no other thread (a lock another thread held would stay held in the child for
ever), so a bar shown just before a build would keep the helper away. The bars here are
updated from their loops, which is all they need.
"""

from __future__ import annotations

from typing import Any


def bar(**options: Any) -> Any:
    """A ``tqdm`` bar with ``options``, and no monitor thread."""
    from tqdm import tqdm

    tqdm.monitor_interval = 0
    return tqdm(**options)
