"""Trainee role views (hot-seat): inbox with acknowledge, the role's picture, and a
form for every command the role may issue, built from the command's argument model."""

from __future__ import annotations

import typing
from typing import Any

import pygame
import pygame_gui
import yaml

from tabletop import i18n
from tabletop.ui import gfx
from tabletop.ui.console import Console
from tabletop.ui.describe import command_name, inject_state, node_name, seat_name
from tabletop.ui.facilitator import current_phase, top_bar
from tabletop.ui.mapview import MapView

INBOX = pygame.Rect(8, 112, 430, 680)
PICTURE = pygame.Rect(446, 112, 400, 680)
FORM = pygame.Rect(854, 112, 418, 680)


def field_specs(args_model: type) -> list[tuple[str, Any, bool]]:
    """(name, annotation, required) of each argument, in declaration order."""
    return [(name, info.annotation, info.is_required()) for name, info in args_model.model_fields.items()]


def parse_value(text: str, annotation: Any) -> Any:
    """Form text -> argument value: strings as typed; numbers, booleans, lists through YAML."""
    if _is_text(annotation):
        return text
    return yaml.safe_load(text)


def _is_text(annotation: Any) -> bool:
    options = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    for option in options:
        base = typing.get_args(option)[0] if typing.get_origin(option) is typing.Annotated else option
        if base is str:
            return True
    return False


def field_label(name: str, lang: str) -> str:
    key = f"ui.field.{name}"
    return f"{i18n.t(key, lang)}（{name}）" if key in i18n.TABLE and lang == "zh_TW" else \
        i18n.t(key, lang) if key in i18n.TABLE else name


class TraineeScreen:
    def __init__(self, app: Any, county: str, role: str) -> None:
        self.app = app
        self.console: Console = app.console
        self.county, self.role = county, role
        self.map = MapView(self.console, pygame.Rect(PICTURE.x + 8, PICTURE.y + 40, PICTURE.width - 16, 330),
                           county or None) if county else None
        kinds = [k for k in self.console.commands_for(county, role)]
        self.kinds = kinds
        self.kind = kinds[0] if kinds else None
        self.result: tuple[str, tuple] | None = None
        self.widgets: list[Any] = []
        self.entries: dict[str, Any] = {}
        self.ack_buttons: dict[Any, str] = {}
        self.buttons: dict[Any, str] = {}
        self.kind_menu: Any = None
        self.role_menu: Any = None
        self._inbox_key: Any = None
        self.seat_labels: dict[str, tuple[str, str]] = {}

    # ----- widgets ----------------------------------------------------------------------
    def build(self, manager: pygame_gui.UIManager) -> None:
        lang = self.app.lang
        self.manager = manager
        labels = {}
        for county, role in self.console.seats():
            labels[seat_name(self.console.session, county or None, role, lang)] = (county, role)
        self.seat_labels = labels
        current = next(label for label, seat in labels.items() if seat == (self.county, self.role))
        self.role_menu = pygame_gui.elements.UIDropDownMenu(list(labels), current, pygame.Rect(8, 70, 330, 36), manager,
                                                            object_id="#role_menu")
        self.widgets.append(self.role_menu)
        for rect, key, action in ((pygame.Rect(346, 70, 200, 36), "ui.btn_console", "console"),
                                  (pygame.Rect(554, 70, 130, 36), "ui.btn_help", "help"),
                                  (pygame.Rect(692, 70, 130, 36), "ui.btn_lang", "lang")):
            button = pygame_gui.elements.UIButton(rect, i18n.t(key, lang), manager, object_id=f"#{action}")
            self.buttons[button] = action
            self.widgets.append(button)
        self._build_form(manager)
        self._build_inbox(manager)

    def _build_form(self, manager: pygame_gui.UIManager) -> None:
        lang = self.app.lang
        for widget in list(self.entries.values()) + [self.kind_menu]:
            if widget is not None:
                widget.kill()
        self.entries = {}
        self.kind_menu = None
        if not self.kinds:
            return
        names = {command_name(k, lang): k for k in self.kinds}
        self.kind_names = names
        current = command_name(self.kind, lang)
        self.kind_menu = pygame_gui.elements.UIDropDownMenu(list(names), current,
                                                            pygame.Rect(FORM.x + 10, FORM.y + 64, FORM.width - 20, 36),
                                                            manager, object_id="#kind_menu")
        y = FORM.y + 140
        spec = self.console.session.registry[self.kind]
        for name, annotation, required in field_specs(spec.args):
            entry = pygame_gui.elements.UITextEntryLine(pygame.Rect(FORM.x + 10, y, FORM.width - 20, 36), manager,
                                                        object_id=f"#field_{name}")
            self.entries[name] = entry
            y += 70
        self.submit_rect = pygame.Rect(FORM.x + 10, y + 4, FORM.width - 20, 40)
        submit = pygame_gui.elements.UIButton(self.submit_rect, i18n.t("ui.btn_submit", lang), manager, object_id="#submit")
        self.buttons = {b: a for b, a in self.buttons.items() if a != "submit"}
        for widget in [w for w in self.widgets if getattr(w, "_tabletop_submit", False)]:
            widget.kill()
            self.widgets.remove(widget)
        submit._tabletop_submit = True
        self.buttons[submit] = "submit"
        self.widgets.append(submit)

    def _build_inbox(self, manager: pygame_gui.UIManager) -> None:
        for button in self.ack_buttons:
            button.kill()
        self.ack_buttons = {}
        self.inbox_layout = []
        y = INBOX.y + 40
        width = INBOX.width - 20
        lang = self.app.lang
        for item in self.console.inbox(self.county, self.role):
            if y > INBOX.bottom - 60:
                break
            lines = self._item_lines(item, lang, width)
            height = 22 * len(lines) + 8
            ack = item["type"] == "inject" and item["state"] == "delivered"
            if ack:
                rect = pygame.Rect(INBOX.x + 10, y + height, 170, 32)
                button = pygame_gui.elements.UIButton(rect, i18n.t("ui.btn_ack", lang), manager, object_id=f"#ack_{item['id']}")
                self.ack_buttons[button] = item["id"]
                height += 40
            self.inbox_layout.append((y, item, lines))
            y += height + 8
        self._inbox_key = (self.console.session.seq, lang)

    def _item_lines(self, item: dict, lang: str, width: int) -> list[tuple[str, int, tuple]]:
        session = self.console.session
        out: list[tuple[str, int, tuple]] = []
        if item["type"] == "inject":
            head = i18n.t("ui.inbox_inject", lang, state=inject_state(item["state"], lang), id=item["id"],
                          title=i18n.pick(item["title"], lang))
            colour = gfx.STATE_COLOURS.get(item["state"], gfx.TEXT)
            out += [(line, 18, colour) for line in gfx.wrap(head, 18, width)]
            out += [(line, 16, gfx.TEXT) for line in gfx.wrap(i18n.pick(item["text"], lang), 16, width)[:5]]
            if item["deadline"] is not None and item["state"] in ("delivered", "acknowledged"):
                out.append((i18n.t("ui.inbox_expected", lang, turn=item["deadline"]), 15, gfx.WARN))
        else:
            by = item["by"]
            county, _, role = by.partition(".")
            sender = seat_name(session, county, role, lang) if role else node_name(session, by, lang)
            head = i18n.t("ui.inbox_message", lang, id=item["id"], by=sender, to=node_name(session, item["to"], lang))
            out += [(line, 17, gfx.ACCENT) for line in gfx.wrap(head, 17, width)]
            out += [(line, 16, gfx.TEXT) for line in gfx.wrap(item["body"], 16, width)[:4]]
        return out

    def kill(self) -> None:
        for widget in self.widgets + list(self.entries.values()) + list(self.ack_buttons) + [self.kind_menu]:
            if widget is not None:
                widget.kill()
        self.widgets, self.entries, self.ack_buttons, self.buttons, self.kind_menu = [], {}, {}, {}, None

    # ----- input ------------------------------------------------------------------------
    def on_button(self, element: Any) -> str | None:
        if element in self.ack_buttons:
            return f"ack:{self.ack_buttons[element]}"
        return self.buttons.get(element)

    def on_dropdown(self, element: Any, text: str) -> str | None:
        if element is self.kind_menu:
            self.kind = self.kind_names[text]
            self.result = None
            self._build_form(self.manager)
            return None
        if element is self.role_menu:
            county, role = self.seat_labels[text]
            return f"seat:{county}.{role}"
        return None

    def form_args(self) -> tuple[dict[str, Any] | None, str | None]:
        """The arguments typed in the form, or (None, problem) when a value cannot be read."""
        spec = self.console.session.registry[self.kind]
        args: dict[str, Any] = {}
        for name, annotation, required in field_specs(spec.args):
            text = self.entries[name].get_text().strip()
            if not text and not required:
                continue
            try:
                args[name] = parse_value(text, annotation)
            except yaml.YAMLError:
                return None, i18n.t("ui.form_bad_value", self.app.lang, field=name, value=text)
        return args, None

    def submit(self) -> None:
        if self.kind is None:
            return
        args, problem = self.form_args()
        if args is None:
            self.result = ("error", (problem,))
            return
        for entry in self.entries.values():
            entry.unfocus()
        outcome = self.console.play(self.county or None, self.role, self.kind, args)
        if outcome.rejected is not None:
            self.result = ("rejected", (outcome.rejected,))
        else:
            self.result = ("ok", (self.kind,))
            for entry in self.entries.values():
                entry.set_text("")

    def acknowledge(self, inject: str) -> None:
        outcome = self.console.play(self.county or None, self.role, "acknowledge", {"inject": inject})
        self.result = ("rejected", (outcome.rejected,)) if outcome.rejected else ("ok", ("acknowledge",))

    def first_open(self) -> str | None:
        return next((item["id"] for item in self.console.inbox(self.county, self.role)
                     if item["type"] == "inject" and item["state"] == "delivered"), None)

    def typing(self) -> bool:
        return any(entry.is_focused for entry in self.entries.values())

    # ----- drawing ----------------------------------------------------------------------
    def sync(self) -> None:
        """Rebuild the inbox's acknowledge buttons when the log has grown (before the UI updates)."""
        if self._inbox_key != (self.console.session.seq, self.app.lang):
            self._build_inbox(self.manager)

    def draw(self, target: pygame.Surface) -> None:
        lang = self.app.lang
        top_bar(target, self.console, lang, self.app.view)
        title = i18n.t("ui.trainee_title", lang, county=seat_name(self.console.session, self.county or None, "", lang).strip()
                       or "—", role=seat_name(self.console.session, None, self.role, lang))
        gfx.blit(target, title, (840, 74), 20, gfx.WARN, 430)
        self._inbox(target, lang)
        self._picture(target, lang)
        self._form(target, lang)

    def _inbox(self, target: pygame.Surface, lang: str) -> None:
        gfx.panel(target, INBOX, i18n.t("ui.inbox", lang))
        if not self.inbox_layout:
            gfx.blit(target, i18n.t("ui.inbox_empty", lang), (INBOX.x + 10, INBOX.y + 44), 17, gfx.DIM)
        for y, item, lines in self.inbox_layout:
            for i, (line, size, colour) in enumerate(lines):
                gfx.blit(target, line, (INBOX.x + 10, y + 22 * i), size, colour, INBOX.width - 20)
            pygame.draw.line(target, gfx.PANEL_EDGE, (INBOX.x + 10, y - 5), (INBOX.right - 10, y - 5))

    def _picture(self, target: pygame.Surface, lang: str) -> None:
        session = self.console.session
        gfx.panel(target, PICTURE, i18n.t("ui.picture", lang))
        y = PICTURE.y + 40
        if self.map is not None:
            self.map.draw(target, lang)
            y = self.map.rect.bottom + 10
            gfx.blit(target, i18n.t("ui.supply_title", lang), (PICTURE.x + 10, y), 16, gfx.DIM)
            y += 24
            goods = {g.id: g for g in session.scenario.goods}
            for i, (good, days) in enumerate(self.console.county_days(self.county).items()):
                colour = gfx.OK if days >= 14 else gfx.WARN if days >= 5 else gfx.BAD
                gfx.blit(target, f"{i18n.pick(goods[good].name.model_dump(), lang)} {days:.0f}",
                         (PICTURE.x + 10 + (i % 2) * 190, y + (i // 2) * 24), 16, colour, 180)
            y += 24 * ((len(goods) + 1) // 2) + 8
        gfx.blit(target, i18n.t("ui.phase", lang, phase=current_phase(session, lang)), (PICTURE.x + 10, y), 17)
        y += 26
        officer = self.console.officer(self.county, self.role)
        if officer:
            gfx.blit(target, i18n.t("ui.trainee_officer", lang, name=officer), (PICTURE.x + 10, y), 17, gfx.DIM)
            y += 26
        if "comms" not in session.domains:
            for line in gfx.wrap(i18n.t("ui.eoc_same_as_truth", lang), 15, PICTURE.width - 20)[:3]:
                if y > PICTURE.bottom - 22:
                    break
                gfx.blit(target, line, (PICTURE.x + 10, y), 15, gfx.DIM)
                y += 20

    def _form(self, target: pygame.Surface, lang: str) -> None:
        gfx.panel(target, FORM, i18n.t("ui.form", lang))
        if not self.kinds:
            gfx.blit(target, i18n.t("ui.form_none", lang), (FORM.x + 10, FORM.y + 44), 17, gfx.DIM)
            return
        gfx.blit(target, i18n.t("ui.form_kind", lang), (FORM.x + 10, FORM.y + 40), 16, gfx.DIM)
        spec = self.console.session.registry[self.kind]
        y = FORM.y + 116
        for name, annotation, required in field_specs(spec.args):
            label = field_label(name, lang) + ("" if required else " " + i18n.t("ui.form_optional", lang))
            gfx.blit(target, label, (FORM.x + 10, y), 16, gfx.DIM)
            y += 70
        if self.result is not None:
            status, values = self.result
            if status == "ok":
                text, colour = i18n.t("ui.result_ok", lang, kind=command_name(values[0], lang)), gfx.OK
            elif status == "rejected":
                text, colour = i18n.t("ui.result_rejected", lang, reason=i18n.pick(values[0], lang)), gfx.BAD
            else:
                text, colour = values[0], gfx.BAD
            y = self.submit_rect.bottom + 12
            for line in gfx.wrap(text, 17, FORM.width - 20)[:8]:
                gfx.blit(target, line, (FORM.x + 10, y), 17, colour)
                y += 24
