"""A batch's folder: finished rows in part files (written atomically as each task ends), the
manifest that ties the folder to one scenario, and the combined results in Parquet and CSV.

Resume is by content: a (seed, policy) found in a part file is never played again.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from tabletop import files
from tabletop.batch.rows import COUNTS, JSON_COLUMNS

MANIFEST, PARTS, RESULTS = "batch.json", "parts", "results"
FORMAT = 1


class StoreError(Exception):
    """A folder that holds another batch (another scenario or capabilities)."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key, self.params = key, params


def schema(capabilities: list[str]) -> pa.Schema:
    fields = [pa.field("seed", pa.int64()), pa.field("policy", pa.string()), pa.field("overall", pa.float64()),
              pa.field("seal", pa.string())]
    fields += [pa.field(name, pa.float64()) for name in capabilities]
    fields += [pa.field(name, pa.int64()) for name in COUNTS]
    fields += [pa.field(name, pa.string()) for name in JSON_COLUMNS]
    return pa.schema(fields)


class Store:
    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.parts = os.path.join(folder, PARTS)

    def open(self, manifest: dict[str, Any]) -> None:
        """Create the folder, or check that it holds the same batch (scenario, script, capabilities)."""
        os.makedirs(self.parts, exist_ok=True)
        path = os.path.join(self.folder, MANIFEST)
        if os.path.exists(path):
            old = json.loads(files.read_text(path))
            for key in ("format", "scenario_sha256", "script_sha256", "capabilities"):
                if old.get(key) != manifest.get(key):
                    raise StoreError("batch.err.other_batch", folder=self.folder, field=key)
            if old.get("policies") == manifest.get("policies"):
                return  # the report describes the policies of the last run over this folder
        _write_bytes(path, (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode())

    def manifest(self) -> dict[str, Any]:
        path = os.path.join(self.folder, MANIFEST)
        if not os.path.exists(path):
            raise StoreError("batch.err.no_batch", folder=self.folder)
        manifest: dict[str, Any] = json.loads(files.read_text(path))
        return manifest

    def add(self, rows: list[dict[str, Any]], capabilities: list[str]) -> None:
        """One finished task's rows, as one part file (temp file, fsync, rename)."""
        if not rows:
            return
        first = rows[0]
        name = f"part-{first['policy'].replace(':', '-')}-{first['seed']}-{len(rows)}-{_digest(rows)}.parquet"
        table = pa.Table.from_pylist(rows, schema=schema(capabilities))
        files.write_via(os.path.join(self.parts, name), lambda tmp: pq.write_table(table, tmp))

    def rows(self, capabilities: list[str]) -> list[dict[str, Any]]:
        """Every finished row, once each (a row in two parts, after a crash between them, counts once)."""
        seen: dict[tuple[int, str], dict[str, Any]] = {}
        if not os.path.isdir(self.parts):
            return []
        for name in sorted(os.listdir(self.parts)):
            if not name.endswith(".parquet") or name.startswith("."):
                continue
            for row in pq.read_table(os.path.join(self.parts, name)).to_pylist():
                seen.setdefault((row["seed"], row["policy"]), row)
        return list(seen.values())

    def finish(self, rows: list[dict[str, Any]], capabilities: list[str], policies: list[str]) -> tuple[str, str]:
        """results.parquet and results.csv: rows by policy (in the order given), then seed."""
        rank = {name: index for index, name in enumerate(policies)}
        rows = sorted(rows, key=lambda r: (rank.get(r["policy"], len(rank)), r["policy"], r["seed"]))
        table = pa.Table.from_pylist(rows, schema=schema(capabilities))
        parquet = os.path.join(self.folder, RESULTS + ".parquet")
        csv = os.path.join(self.folder, RESULTS + ".csv")
        files.write_via(parquet, lambda tmp: pq.write_table(table, tmp))
        files.write_via(csv, lambda tmp: pacsv.write_csv(table, tmp))
        return parquet, csv


def read_results(folder: str) -> list[dict[str, Any]]:
    path = os.path.join(folder, RESULTS + ".parquet")
    if not os.path.exists(path):
        raise StoreError("batch.err.no_results", folder=folder)
    return pq.read_table(path).to_pylist()


def _digest(rows: list[dict[str, Any]]) -> str:
    import hashlib

    return hashlib.sha256("|".join(f"{r['policy']}:{r['seed']}" for r in rows).encode()).hexdigest()[:12]


def _write_bytes(path: str, data: bytes) -> None:
    files.write_atomic(path, data)
