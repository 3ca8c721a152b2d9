"""The policies: what a bot does with one seat payload.

A player's only input is the payload a browser seat gets (``Desk.payload`` /
``views.seat_payload``) and the book (:mod:`tabletop.bots.doctrine`); its only output is
commands as a seat sends them: ``(kind, args)``. It keeps no memory of its own but its seeded
random stream (``chaotic``; one per seat, from the session seed): what it has done is in the
payload (its own commands and their outcomes), so the same payloads give the same commands.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tabletop.bots.doctrine import Book
from tabletop.bots.fill import Context, Unmeetable, fill
from tabletop.bots.policy import Policy
from tabletop.core.injects import args_match
from tabletop.core.rng import Stream, derive_seed

#: How a tasking message names the inject it is about: 〔B04〕
TAG = re.compile(r"〔([A-Za-z0-9_.-]{1,64})〕")
#: A rejected task is tried again in a later turn, this many times in all.
TRIES = 2
#: Kinds ``chaotic`` never picks (they would end a seat's part in the exercise for nothing).
CHAOS_SKIP = ("acknowledge",)
Order = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Task:
    inject: str
    kind: str
    args: dict[str, Any]
    since: int
    to: str | None = None  # a tasking message to another seat of the county


class Player:
    def __init__(self, policy: Policy, book: Book, seed: int, seat: str) -> None:
        self.policy, self.book, self.seat = policy, book, seat
        self.stream = Stream(derive_seed(seed, f"bot:{seat}"))

    def decide(self, payload: dict[str, Any]) -> list[Order]:
        """The commands this seat sends now (empty: nothing to do)."""
        status = payload["status"]
        if status["state"] != "running_orders" or self.policy.name == "idle":
            return []
        if self.policy.name == "chaotic":
            return self._chaos(payload)
        return self._by_the_book(payload, self.policy.delay)

    # ----- by the book (and late) ------------------------------------------------------------
    def _by_the_book(self, payload: dict[str, Any], delay: int) -> list[Order]:
        turn = payload["status"]["turn"]
        forms = _forms(payload)
        own = payload["commands"]
        ctx = self._context(payload)
        out: list[Order] = []
        for task in self._tasks(payload):
            if turn < task.since + delay or task.kind not in forms or self._settled(task, own, turn):
                continue
            ctx.tag, ctx.topic = f"〔{task.inject}〕", self.book.titles.get(task.inject, {}).get("zh_TW", "")
            want = dict(task.args)
            if task.to is not None:
                want["to"] = task.to
            if task.kind == "acknowledge":
                want["inject"] = task.inject
            try:
                out.append((task.kind, fill(forms[task.kind], want, ctx)))
            except Unmeetable:
                continue
        out.extend(self._paperwork(payload, forms, ctx, own, turn))
        return out

    def _tasks(self, payload: dict[str, Any]) -> list[Task]:
        seat = payload["seat"]
        role, county = seat["role"], seat["county"]
        acks: list[Task] = []
        tasking: list[Task] = []
        actions: list[Task] = []
        for item in sorted(payload["inbox"], key=lambda i: (i["turn"], i["type"], str(i["id"]))):
            if item["type"] == "inject":
                if item["state"] not in ("delivered", "acknowledged", "expired"):
                    continue
                if item["state"] == "delivered":
                    acks.append(Task(item["id"], "acknowledge", {}, item["turn"]))
                others: list[str] = []
                for step in self.book.steps.get(item["id"], []):
                    if step.role is None or step.role == role:
                        actions.append(Task(item["id"], step.kind, step.args, item["turn"]))
                    elif county and step.role not in others:
                        others.append(step.role)
                        tasking.append(Task(item["id"], "send_message", {}, item["turn"], to=f"{county}.{step.role}"))
            else:
                for inject in TAG.findall(item.get("body") or ""):
                    for step in self.book.steps.get(inject, []):
                        if step.role == role:
                            actions.append(Task(inject, step.kind, step.args, item["turn"]))
        return acks + tasking + actions

    def _settled(self, task: Task, own: list[dict[str, Any]], turn: int) -> bool:
        """Done already, tried this turn, or refused too often."""
        tries = 0
        for cmd in own:
            if cmd["kind"] != task.kind or cmd["turn"] < task.since:
                continue
            args = cmd["args"] if isinstance(cmd["args"], dict) else {}
            if task.kind == "acknowledge" and args.get("inject") != task.inject:
                continue
            if task.to is not None:
                if args.get("to") != task.to or f"〔{task.inject}〕" not in str(args.get("body")):
                    continue
            elif not args_match(task.args, args):
                continue
            if cmd["status"] == "accepted":
                return True
            tries += 1
            if cmd["turn"] == turn:
                return True
        return tries >= TRIES

    def _paperwork(self, payload: dict[str, Any], forms: Mapping[str, Any], ctx: Context,
                   own: list[dict[str, Any]], turn: int) -> list[Order]:
        """Standing duties: central decides plans waiting for it; mobilization keeps each
        requisition's paper trail (delivery receipt, order within the IP's 3 days, valuation)."""
        out: list[Order] = []
        duties = ("approve_requisition_plan", "record_delivery", "issue_requisition_order", "assess_value")
        tried = {(c["kind"], str((c["args"] or {}).get("plan") or (c["args"] or {}).get("requisition")))
                 for c in own if c["turn"] == turn}
        for kind in duties:
            form = forms.get(kind)
            if form is None:
                continue
            field = form["fields"][0]
            for choice in field.get("choices", []):
                if (kind, str(choice["value"])) in tried:
                    continue
                try:
                    out.append((kind, fill(form, {field["key"]: choice["value"]}, ctx)))
                except Unmeetable:
                    continue
        return out

    def _context(self, payload: dict[str, Any], pick: Any = None) -> Context:
        seat, status = payload["seat"], payload["status"]
        resources = {}
        for cmd in payload["commands"]:
            args = cmd["args"] if isinstance(cmd["args"], dict) else {}
            if cmd["kind"] == "requisition" and "id" in args:
                resources[str(args["id"])] = str(args.get("resource"))
        used = {str((c["args"] or {}).get("id")) for c in payload["commands"] if isinstance(c["args"], dict)}
        return Context(self.book, seat["county"], seat["role"], status["turn"], status["time"][:10], pick=pick,
                       used_ids=used, resources=resources)

    # ----- chaotic -----------------------------------------------------------------------------
    def _chaos(self, payload: dict[str, Any]) -> list[Order]:
        """Zero to two random legal-looking commands a turn: a random form, random offered values."""
        own_turn = payload["status"]["turn"]
        if any(c["turn"] == own_turn for c in payload["commands"]):
            return []  # one burst a turn
        forms = _forms(payload)
        kinds = [kind for kind in forms if kind not in CHAOS_SKIP]
        ctx = self._context(payload, pick=self.stream.choice)
        ctx.tag, ctx.topic = "", ""
        out: list[Order] = []
        for _ in range(self.stream.randint(0, 2)):
            if not kinds:
                break
            form = forms[self.stream.choice(kinds)]
            try:
                out.append((form["kind"], fill(form, {}, ctx)))
            except Unmeetable:
                continue
        return out


def _forms(payload: dict[str, Any]) -> Mapping[str, Any]:
    """The payload's command forms by kind: a browser payload's list, or a view's mapping as it is."""
    found = payload["forms"]
    return found if isinstance(found, Mapping) else {form["kind"]: form for form in found}
