"""Trainee role views (hot-seat): inbox with acknowledge, the role's known picture, and a
form for every command the role may issue, built from the command's argument model."""

from __future__ import annotations

from typing import Any

import pygame
import pygame_gui
import yaml

from tabletop import i18n
from tabletop.ui import gfx
from tabletop.ui.console import Console
from tabletop.ui.describe import command_name, inject_state, node_name, seat_labels, seat_name
from tabletop.ui.facilitator import top_bar
from tabletop.ui.formfields import BadValue, FormField, form_fields, parse_value
from tabletop.ui.mapview import MapView
from tabletop.ui.rolepicture import panel_names, panel_rows, panel_title

INBOX = pygame.Rect(8, 112, 400, 680)
PICTURE = pygame.Rect(416, 112, 430, 680)
FORM = pygame.Rect(854, 112, 418, 680)
MAP_H = 340


def relayout(width: int, height: int) -> None:
    """Place the trainee view's inbox, picture and form columns for the window (their shares of
    the width as at 1280×800; the full height under the seat bar)."""
    global INBOX, PICTURE, FORM, MAP_H
    inner = width - 32
    inbox_w = round(inner * 400 / 1248)
    picture_w = round(inner * 430 / 1248)
    INBOX = pygame.Rect(8, 112, inbox_w, height - 120)
    PICTURE = pygame.Rect(INBOX.right + 8, 112, picture_w, height - 120)
    FORM = pygame.Rect(PICTURE.right + 8, 112, width - 8 - (PICTURE.right + 8), height - 120)
    MAP_H = max(240, round((height - 120) / 2))
TONES = {"text": gfx.TEXT, "ok": gfx.OK, "warn": gfx.WARN, "bad": gfx.BAD, "dim": gfx.DIM, "accent": gfx.ACCENT}
FIELD_STEP, MULTI_STEP = 58, 116


def field_label(name: str, lang: str) -> str:
    key = f"ui.field.{name}"
    if key not in i18n.TABLE:
        return name
    return f"{i18n.t(key, lang)}（{name}）" if lang == "zh_TW" else i18n.t(key, lang)


def _unique_labels(field: FormField, lang: str) -> dict[str, Any]:
    """Drop-down text -> value (a value's id is added where two labels would read the same)."""
    out: dict[str, Any] = {}
    for choice in field.choices:
        label = i18n.pick(choice.label, lang) or str(choice.value)
        if label in out:
            label = f"{label} ({choice.value})"
        out[label] = choice.value
    return out


class TraineeScreen:
    def __init__(self, app: Any, county: str, role: str, locked: bool = False) -> None:
        self.app = app
        self.console: Console = app.console
        self.county, self.role = county, role
        #: A logged-in trainee: no seat menu, no facilitator controls (see App.key_action).
        self.locked = locked
        self.map = MapView(self.console, pygame.Rect(PICTURE.x + 8, PICTURE.y + 36, PICTURE.width - 16, MAP_H),
                           county or None) if county else None
        if self.map is not None:
            self.map.view = "eoc"
        self.kinds = list(self.console.commands_for(county, role))
        self.kind = self.kinds[0] if self.kinds else None
        self.panels = panel_names(role)
        self.panel = self.panels[0] if self.panels else None
        self.result: tuple[str, tuple] | None = None
        self.widgets: list[Any] = []
        self.fields: list[FormField] = []
        self.inputs: dict[str, Any] = {}
        self.options: dict[str, dict[str, Any]] = {}
        self.form_widgets: list[Any] = []
        self.ack_buttons: dict[Any, str] = {}
        self.buttons: dict[Any, str] = {}
        self.panel_buttons: dict[Any, str] = {}
        self.kind_menu: Any = None
        self.role_menu: Any = None
        self._inbox_key: Any = None
        self._form_key: Any = None
        self._rows_key: Any = None
        self.seat_labels: dict[str, tuple[str, str]] = {}

    # ----- widgets ----------------------------------------------------------------------
    def build(self, manager: pygame_gui.UIManager) -> None:
        lang = self.app.lang
        self.manager = manager
        x = 8
        if not self.locked:
            labels = self.seat_labels = seat_labels(self.console, lang, forms=True)
            current = next(label for label, seat in labels.items() if seat == (self.county, self.role))
            self.role_menu = pygame_gui.elements.UIDropDownMenu(list(labels), current, pygame.Rect(8, 70, 280, 36),
                                                                manager, object_id="#role_menu")
            self.widgets.append(self.role_menu)
            x = 296
        row = (("ui.btn_logout", "logout", 170), ("ui.btn_help", "help", 110), ("ui.btn_lang", "lang", 130)) if self.locked \
            else (("ui.btn_console", "console", 170), ("ui.btn_login", "login", 150), ("ui.btn_help", "help", 110),
                  ("ui.btn_lang", "lang", 130))
        for key, action, width in row:
            button = pygame_gui.elements.UIButton(pygame.Rect(x, 70, width, 36), i18n.t(key, lang), manager,
                                                  object_id=f"#{action}")
            self.buttons[button] = action
            self.widgets.append(button)
            x += width + 8
        self.title_x = x + 8
        self._build_panel_tabs(manager)
        self._build_form(manager)
        self._build_inbox(manager)

    def _build_panel_tabs(self, manager: pygame_gui.UIManager) -> None:
        if not self.panels:
            return
        lang = self.app.lang
        top = PICTURE.y + 36 + MAP_H + 8 if self.map is not None else PICTURE.y + 36
        self.rows_top = top + 36
        width = (PICTURE.width - 16) // len(self.panels)
        for i, name in enumerate(self.panels):
            rect = pygame.Rect(PICTURE.x + 8 + i * width, top, width - 4, 30)
            button = pygame_gui.elements.UIButton(rect, gfx.fit(i18n.pick(panel_title(name), lang), 15, width - 12), manager,
                                                  object_id=f"#panel_{name.replace('.', '_')}")
            self.panel_buttons[button] = name
            self.widgets.append(button)
        self._select_panel_button()

    def _select_panel_button(self) -> None:
        for button, name in self.panel_buttons.items():
            button.select() if name == self.panel else button.unselect()

    def _kill_form(self) -> None:
        for widget in self.form_widgets:
            widget.kill()
        self.form_widgets, self.inputs, self.options = [], {}, {}
        self.kind_menu = None
        self.buttons = {b: a for b, a in self.buttons.items() if a != "submit"}

    def _form_values(self) -> dict[str, Any]:
        """What the trainee has entered so far (to carry over a rebuild)."""
        out: dict[str, Any] = {}
        for name, widget in self.inputs.items():
            if isinstance(widget, pygame_gui.elements.UITextEntryLine):
                out[name] = widget.get_text()
            elif isinstance(widget, pygame_gui.elements.UIDropDownMenu):
                out[name] = widget.selected_option[0] if isinstance(widget.selected_option, tuple) else widget.selected_option
            else:
                out[name] = list(widget.get_multi_selection())
        return out

    def _build_form(self, manager: pygame_gui.UIManager, keep: dict[str, Any] | None = None) -> None:
        lang = self.app.lang
        self._kill_form()
        self._form_key = (self.console.session.seq, lang, self.kind)
        if not self.kinds or self.kind is None:  # the kind is None exactly when the seat has no commands
            return
        names = {command_name(k, lang): k for k in self.kinds}
        self.kind_names = names
        self.kind_menu = pygame_gui.elements.UIDropDownMenu(list(names), command_name(self.kind, lang),
                                                            pygame.Rect(FORM.x + 10, FORM.y + 60, FORM.width - 20, 34),
                                                            manager, object_id="#kind_menu", expansion_height_limit=560)
        self.form_widgets.append(self.kind_menu)
        self.fields = form_fields(self.console, self.county, self.role, self.kind)
        y = FORM.y + 104
        self.label_at: list[tuple[FormField, int]] = []
        for field in self.fields:
            self.label_at.append((field, y))
            rect = pygame.Rect(FORM.x + 10, y + 20, FORM.width - 20, 32)
            previous = (keep or {}).get(field.name)
            widget: pygame_gui.core.UIElement
            if field.widget == "text":
                widget = pygame_gui.elements.UITextEntryLine(rect, manager, object_id=f"#field_{field.name}",
                                                             initial_text=previous if previous is not None else field.initial
                                                             or None)
                y += FIELD_STEP
            elif field.widget == "choice":
                options = _unique_labels(field, lang)
                blank = i18n.t("ui.form_blank", lang)
                if not field.required or not options:
                    options = {blank: None} | options
                start = previous if previous in options else next(
                    (label for label, value in options.items() if field.default is not None and value == field.default),
                    next(iter(options)))
                widget = pygame_gui.elements.UIDropDownMenu(list(options), start, rect, manager,
                                                            object_id=f"#field_{field.name}",
                                                            expansion_height_limit=max(120, FORM.bottom - rect.bottom - 4))
                self.options[field.name] = options
                y += FIELD_STEP
            else:
                options = _unique_labels(field, lang)
                rect.height = 88
                widget = pygame_gui.elements.UISelectionList(rect, list(options), manager, allow_multi_select=True,
                                                             object_id=f"#field_{field.name}",
                                                             default_selection=[p for p in previous or [] if p in options]
                                                             or None)
                self.options[field.name] = options
                y += MULTI_STEP
            self.inputs[field.name] = widget
            self.form_widgets.append(widget)
        self.submit_rect = pygame.Rect(FORM.x + 10, y + 2, FORM.width - 20, 38)
        submit = pygame_gui.elements.UIButton(self.submit_rect, i18n.t("ui.btn_submit", lang), manager, object_id="#submit")
        self.buttons[submit] = "submit"
        self.form_widgets.append(submit)

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
            if item["type"] == "inject" and item["state"] == "delivered":
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
            out.append((i18n.t("ui.inbox_inject_id", lang, id=item["id"]), 14, gfx.DIM))  # the MSEL id, in grey
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
        self._kill_form()
        for widget in self.widgets + list(self.ack_buttons):
            widget.kill()
        self.widgets, self.ack_buttons, self.buttons, self.panel_buttons = [], {}, {}, {}

    # ----- input ------------------------------------------------------------------------
    def on_button(self, element: Any) -> str | None:
        if element in self.ack_buttons:
            return f"ack:{self.ack_buttons[element]}"
        if element in self.panel_buttons:
            return f"panel:{self.panel_buttons[element]}"
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

    def show_panel(self, name: str) -> None:
        if name in self.panels:
            self.panel = name
            self._select_panel_button()

    def cycle_panel(self, step: int) -> None:
        if self.panels and self.panel is not None:  # the panel is None exactly when the role has none
            self.show_panel(self.panels[(self.panels.index(self.panel) + step) % len(self.panels)])

    def form_args(self) -> tuple[dict[str, Any] | None, str | None]:
        """The arguments entered in the form, or (None, problem) when a value cannot be read."""
        args: dict[str, Any] = {}
        lang = self.app.lang
        for field in self.fields:
            widget = self.inputs[field.name]
            if field.widget == "text":
                text = widget.get_text().strip()
                if not text and not field.required:
                    continue
                try:
                    args[field.key] = parse_value(text, field.annotation)
                except BadValue as err:  # unreadable, a tag, or a value the log cannot hold: name the field
                    return None, err.text(field_label(field.name, lang), lang)
                except yaml.YAMLError:
                    return None, i18n.t("ui.form_bad_value", lang, field=field_label(field.name, lang), value=text[:80])
            elif field.widget == "choice":
                label = widget.selected_option[0] if isinstance(widget.selected_option, tuple) else widget.selected_option
                value = self.options[field.name].get(label)
                if value is None:
                    if field.required:
                        return None, i18n.t("ui.form_pick", lang, field=field_label(field.name, lang))
                    continue
                args[field.key] = value
            else:
                values = [self.options[field.name][label] for label in widget.get_multi_selection()
                          if label in self.options[field.name]]
                if values or field.required:
                    args[field.key] = values
        return args, None

    def submit(self) -> None:
        if self.kind is None:
            return
        args, problem = self.form_args()
        if args is None:
            self.result = ("error", (problem,))
            return
        for widget in self.inputs.values():
            if isinstance(widget, pygame_gui.elements.UITextEntryLine):
                widget.unfocus()
        outcome = self.console.play(self.county or None, self.role, self.kind, args)
        if outcome.rejected is not None:
            self.result = ("rejected", (outcome.rejected,))
        else:
            self.result = ("ok", (self.kind,))
            self._build_form(self.manager)  # a fresh form: new suggested id, current options

    def acknowledge(self, inject: str) -> None:
        outcome = self.console.play(self.county or None, self.role, "acknowledge", {"inject": inject})
        self.result = ("rejected", (outcome.rejected,)) if outcome.rejected else ("ok", ("acknowledge",))

    def first_open(self) -> str | None:
        return next((item["id"] for item in self.console.inbox(self.county, self.role)
                     if item["type"] == "inject" and item["state"] == "delivered"), None)

    def typing(self) -> bool:
        return any(isinstance(w, pygame_gui.elements.UITextEntryLine) and w.is_focused for w in self.inputs.values())

    def _menu_open(self) -> bool:
        menus = [w for w in self.inputs.values() if isinstance(w, pygame_gui.elements.UIDropDownMenu)]
        return any(m.current_state is m.menu_states["expanded"] for m in menus + [self.kind_menu] if m is not None)

    # ----- drawing ----------------------------------------------------------------------
    def sync(self) -> None:
        """Rebuild what depends on the log when it has grown (before the UI updates): the inbox's
        acknowledge buttons, and the form's options (keeping what the trainee has entered)."""
        seq, lang = self.console.session.seq, self.app.lang
        if self._inbox_key != (seq, lang):
            self._build_inbox(self.manager)
        if self.kinds and self._form_key != (seq, lang, self.kind) and not self.typing() and not self._menu_open():
            self._build_form(self.manager, keep=self._form_values())

    def draw(self, target: pygame.Surface) -> None:
        lang = self.app.lang
        session = self.console.session
        top_bar(target, self.console, lang, "eoc")
        officer = self.console.officer(self.county, self.role)
        parts = [seat_name(session, self.county or None, self.role, lang)] if self.locked or not officer else []
        if officer:
            parts.append(i18n.t("ui.trainee_officer", lang, name=officer))
        title = "　".join(parts)
        gfx.blit(target, title, (self.title_x, 76), 19, gfx.WARN, gfx.SIZE[0] - self.title_x - 8)
        self._inbox(target, lang)
        self._picture(target, lang)
        self._form(target, lang)

    def _inbox(self, target: pygame.Surface, lang: str) -> None:
        gfx.panel(target, INBOX, i18n.t("ui.inbox", lang))
        if not self.inbox_layout:
            gfx.blit(target, i18n.t("ui.inbox_empty", lang), (INBOX.x + 10, INBOX.y + 44), 17, gfx.DIM)
        for y, _item, lines in self.inbox_layout:
            for i, (line, size, colour) in enumerate(lines):
                gfx.blit(target, line, (INBOX.x + 10, y + 22 * i), size, colour, INBOX.width - 20)
            pygame.draw.line(target, gfx.PANEL_EDGE, (INBOX.x + 10, y - 5), (INBOX.right - 10, y - 5))

    def _picture(self, target: pygame.Surface, lang: str) -> None:
        session = self.console.session
        gfx.panel(target, PICTURE, i18n.t("ui.picture_known", lang))
        if self.map is not None:
            self.map.draw(target, lang)
        if not self.panels or self.panel is None:
            return
        key = (session.seq, lang, self.panel)
        if self._rows_key != key:
            self._rows_key = key
            self._rows = self._panel_lines(lang, self.panel)
        for i, (line, colour) in enumerate(self._rows):
            gfx.blit(target, line, (PICTURE.x + 12, self.rows_top + 22 * i), 16, colour, PICTURE.width - 24)

    def _panel_lines(self, lang: str, panel: str) -> list[tuple[str, tuple]]:
        room = (PICTURE.bottom - 8 - self.rows_top) // 22
        rows = panel_rows(self.console.session, self.county, panel)
        if not rows:
            return [(i18n.t("ui.panel_empty", lang), gfx.DIM)]
        out: list[tuple[str, tuple]] = []
        for row in rows:
            for line in gfx.wrap(i18n.pick(row.text, lang), 16, PICTURE.width - 24):
                out.append((line, TONES.get(row.tone, gfx.TEXT)))
        if len(out) > room:
            hidden = len(out) - room + 1
            out = out[:room - 1] + [(i18n.t("ui.panel_more", lang, n=hidden), gfx.DIM)]
        return out

    def _form(self, target: pygame.Surface, lang: str) -> None:
        gfx.panel(target, FORM, i18n.t("ui.form", lang))
        if not self.kinds:
            gfx.blit(target, i18n.t("ui.form_none", lang), (FORM.x + 10, FORM.y + 44), 17, gfx.DIM)
            return
        gfx.blit(target, i18n.t("ui.form_kind", lang), (FORM.x + 10, FORM.y + 38), 16, gfx.DIM)
        for field, y in self.label_at:
            label = field_label(field.name, lang) + ("" if field.required else " " + i18n.t("ui.form_optional", lang))
            if field.widget == "multi":
                label += " " + i18n.t("ui.form_multi", lang)
            gfx.blit(target, label, (FORM.x + 10, y), 16, gfx.DIM, FORM.width - 20)
        if self.result is not None:
            status, values = self.result
            if status == "ok":
                text, colour = i18n.t("ui.result_ok", lang, kind=command_name(values[0], lang)), gfx.OK
            elif status == "rejected":
                text, colour = i18n.t("ui.result_rejected", lang, reason=i18n.pick(values[0], lang)), gfx.BAD
            else:
                text, colour = values[0], gfx.BAD
            y = self.submit_rect.bottom + 8
            room = max(1, (FORM.bottom - 6 - y) // 22)
            for line in gfx.wrap(text, 16, FORM.width - 20)[:room]:
                gfx.blit(target, line, (FORM.x + 10, y), 16, colour)
                y += 22
