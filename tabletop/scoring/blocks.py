"""The report's building block (headings, paragraphs, tables, lists, charts), shared by the
report's section builders (:mod:`.report`, :mod:`.report_evaluation`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    kind: str  # h1 | h2 | p | note | table | list | chart | kv | stamp | banner
    text: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    svg: str = ""
    css: str = ""
    #: stamp: the seal, shown in full in monospace, and what it is (``caption``).
    code: str = ""
    caption: str = ""
