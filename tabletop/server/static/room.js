// The exercise room's seat and facilitator pages. Hand-written, no framework, no CDN.
// The server decides everything a seat may see and do; this script only shows it and sends
// commands. A command keeps its client id until the server answers, so a resend after a
// dropped connection (or a reopened browser) is applied once.
"use strict";
(() => {
  const token = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
  const key = (name) => `tabletop:${token.slice(0, 12)}:${name}`;
  const isFacilitator = document.body.classList.contains("facilitator");
  const FEED_KEEP = 200;
  let lang = localStorage.getItem("tabletop:lang") || "zh_TW";
  let strings = {};
  let payload = null;
  let after = Number(localStorage.getItem(key("after")) || 0);
  let feed = load("feed", []);
  let pending = load("pending", []);
  let panel = null, kind = null, formShape = null, socket = null, backoff = 500;
  let clockData = null, clockAt = 0, reportShape = null;

  const $ = (id) => document.getElementById(id);
  function load(name, fallback) {
    try { return JSON.parse(localStorage.getItem(key(name))) ?? fallback; } catch (e) { return fallback; }
  }
  function save(name, value) { localStorage.setItem(key(name), JSON.stringify(value)); }
  const pick = (text) => text == null ? "" : typeof text === "string" ? text : (text[lang] || text.en || "");
  function t(name, params) {
    let text = pick(strings[name]) || name;
    for (const [k, v] of Object.entries(params || {})) text = text.split(`{${k}}`).join(String(v));
    return text;
  }
  // Elements are built with textContent only: nothing from the server is parsed as HTML.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }
  // An inject by its title; its MSEL id small and grey after it, and as the tooltip.
  function injectHead(state, id, title) {
    return [t("inject_head", { state, title }), " ", el("small", { class: "id", title: id }, id)];
  }
  function clientId() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));  // randomUUID needs https; this does not
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // ----- talking to the server ------------------------------------------------------------
  async function api(path, options = {}) {
    const headers = Object.assign({ Authorization: `Bearer ${token}` }, options.headers || {});
    const pin = $("pin") && $("pin").value;
    if (pin) headers["X-Facilitator-Pin"] = pin;
    const response = await fetch(path, Object.assign({}, options, { headers, cache: "no-store" }));
    const body = await response.json().catch(() => ({}));
    return { status: response.status, body };
  }

  async function send(entry) {
    // Resend with the same client id until the server answers; the server applies it once.
    for (;;) {
      let answer;
      try {
        answer = await api("/api/command", { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ kind: entry.kind, args: entry.args, client_id: entry.client_id, turn: entry.turn }) });
      } catch (e) {
        await sleep(1000);
        continue;
      }
      if (answer.status === 429 || answer.status >= 500) { await sleep(1000); continue; }
      pending = pending.filter((p) => p.client_id !== entry.client_id);
      save("pending", pending);
      return answer;
    }
  }
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function command(kindName, args) {
    const entry = { client_id: clientId(), kind: kindName, args,
                    turn: payload && !isFacilitator ? payload.status.turn : null };
    pending.push(entry);
    save("pending", pending);
    showResult(() => t("sending"), "");
    const answer = await send(entry);
    const body = answer.body;
    if (answer.status !== 200) {
      showResult(() => t("error", { detail: body.detail || body.error || answer.status }), "bad");
    } else if (body.status === "rejected") {
      showResult(() => t("result_rejected", { reason: pick(body.reason) }), "bad");
    } else {
      showResult(() => t("result_accepted", { seq: body.seq }), "ok");
    }
    refresh();
    return answer;
  }
  // The result line is kept as a function of the language, so the toggle translates it too.
  let result = { text: () => "", tone: "" };
  function showResult(text, tone) {
    result = { text: typeof text === "function" ? text : () => text, tone };
    $("result").textContent = result.text();
    $("result").className = tone;
  }

  async function refresh() {
    const seat = await api("/api/seat").catch(() => null);
    if (seat && seat.status === 200) render(seat.body);
    const events = await api(`/api/events?after=${after}`).catch(() => null);
    if (events && events.status === 200) addEvents(events.body.events);
  }

  function connect() {
    socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`);
    socket.onopen = () => socket.send(JSON.stringify({ token, after }));
    socket.onmessage = (message) => {
      const data = JSON.parse(message.data);
      if (data.type === "hello") { backoff = 500; setConnected(true); }
      else if (data.type === "events") addEvents(data.events);
      else if (data.type === "seat") render(data.seat);
    };
    socket.onclose = () => {
      setConnected(false);
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 8000);
    };
  }
  function setConnected(on) {
    $("conn").className = `conn ${on ? "on" : "off"}`;
    $("conn").textContent = t(on ? "online" : "offline");
    $("conn").dataset.on = on ? "1" : "0";
  }

  // ----- rendering ---------------------------------------------------------------------------
  function addEvents(events) {
    const known = new Set(feed.map((e) => e.seq));
    for (const event of events) {
      if (!known.has(event.seq)) feed.push(event);
      after = Math.max(after, event.seq);
    }
    feed = feed.slice(-FEED_KEEP);
    save("feed", feed);
    localStorage.setItem(key("after"), String(after));
    renderFeed();
  }

  function renderFeed() {
    const list = $("feed");
    list.replaceChildren(...feed.slice().reverse().map((e) =>
      el("li", { class: `tone-${e.tone}`, "data-seq": e.seq, "data-kind": e.kind, title: e.inject || null },
        el("span", { class: "meta" }, `T${e.turn} · `), pick(e.text),
        e.inject ? [" ", el("small", { class: "id" }, e.inject)] : null)));
  }

  function render(data) {
    payload = data;
    document.documentElement.lang = lang === "zh_TW" ? "zh-Hant-TW" : "en";
    document.title = `${pick(data.seat.title)} · ${t(isFacilitator ? "facilitator" : "title")}`;
    if (data.evaluator) {
      document.body.classList.add("evaluator");
      document.querySelector("#col-inbox h2").dataset.t = "eeg";
      document.querySelector("#col-picture h2").dataset.t = "reports_all";
    }
    for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
    $("lang").textContent = t("lang");
    $("seat-title").textContent = `${pick(data.seat.title)} · ${pick(data.seat.scenario)}`;
    $("officer").textContent = data.seat.officer ? t("officer", { name: data.seat.officer }) : "";
    const s = data.status;
    $("turn").textContent = t("turn", { turn: s.turn, turns: s.turns });
    $("state").textContent = pick(s.state_label);
    $("state").dataset.state = s.state;
    $("time").textContent = s.time_short;
    setConnected($("conn").dataset.on === "1");
    renderClock(data.clock);
    if (isFacilitator) renderFacilitator(data);
    else if (data.evaluator) renderEvaluator(data);
    else { renderInbox(data.inbox); renderPanels(data.panels); renderReport(data.reports); renderFeedback(data.feedback); }
    renderForm(data.forms);
    renderMine(data.commands);
    renderFeed();
    $("result").textContent = result.text();
  }

  function renderInbox(items) {
    const list = $("inbox");
    if (!items.length) { list.replaceChildren(el("li", { class: "empty" }, t("inbox_empty"))); return; }
    list.replaceChildren(...items.map((item) => item.type === "inject"
      ? el("li", { class: `inject ${item.state}`, "data-inject": item.id },
          el("h3", { title: item.id }, injectHead(pick(item.state_label), item.id, pick(item.title))),
          el("p", {}, pick(item.text)),
          el("div", { class: "meta" }, `T${item.turn}`, item.deadline ? ` · ${t("due", { turn: item.deadline })}` : ""),
          item.state === "delivered"
            ? el("button", { type: "button", class: "ack", "data-inject": item.id,
                             onclick: () => command("acknowledge", { inject: item.id }) }, t("ack"))
            : null)
      : el("li", { class: "message", "data-message": item.id },
          el("div", { class: "meta" }, `T${item.turn} · `, t("message_from", { id: item.id, by: pick(item.from) })),
          el("p", {}, item.body))));
  }

  function renderPanels(panels) {
    if (!panels.length) { $("tabs").replaceChildren(); $("rows").replaceChildren(); return; }
    if (!panels.some((p) => p.name === panel)) panel = panels[0].name;
    $("tabs").replaceChildren(...panels.map((p) =>
      el("button", { type: "button", "aria-selected": p.name === panel ? "true" : "false", "data-panel": p.name,
                     onclick: () => { panel = p.name; renderPanels(payload.panels); } }, pick(p.title))));
    const rows = panels.find((p) => p.name === panel).rows;
    $("rows").replaceChildren(...(rows.length ? rows.map((r) => el("li", { class: `tone-${r.tone}` }, pick(r.text)))
                                              : [el("li", { class: "empty" }, t("panel_empty"))]));
  }

  function renderFacilitator(data) {
    if ($("reports")) {
      $("reports").replaceChildren(...(data.reports.length ? data.reports.map((r) =>
        el("li", { class: "report-latest", "data-seat": r.seat },
          el("b", {}, `${pick(r.title)} · ${pick(r.phase_name) || r.phase} · v${r.version}`),
          el("div", { class: "meta" }, Object.values(r.fields).filter((v) => v).join(" ／ "))))
        : [el("li", { class: "empty" }, t("report_none"))]));
    }
    const clockState = data.clock ? data.clock.state : "idle";
    const clockButtons = [
      ["clock_discussion", "clock_start", { segment: "discussion" }, clockState !== "running"],
      ["clock_brief", "clock_start", { segment: "brief" }, clockState !== "running"],
      ["clock_pause", "clock_pause", {}, clockState === "running"],
      ["clock_extend5", "clock_extend", { minutes: 5 }, clockState !== "idle"],
      ["clock_skip", "clock_skip", {}, clockState !== "idle"],
    ].map(([label, kindName, args, enabled]) =>
      el("button", { type: "button", class: "clock", disabled: !enabled, "data-clock": label,
                     onclick: () => command(kindName, args) }, t(label)));
    $("controls").replaceChildren(...data.controls.map((c) =>
      el("button", { type: "button", disabled: !c.enabled, "data-control": c.kind,
                     onclick: () => command(c.kind, {}) }, pick(c.label))), ...clockButtons);
    $("sheet").href = `/sheet/${encodeURIComponent(token)}?lang=${lang}`;
    $("seats").replaceChildren(...data.seats.map((s) =>
      el("li", { "data-seat": s.seat }, el("span", {}, pick(s.title)),
        el("span", { class: s.connected ? "here" : "away" },
          s.connected ? t("connected", { n: s.connected }) : t("not_connected")))));
    $("msel").replaceChildren(...data.msel.map((m) =>
      el("li", { class: m.state === "expired" ? "tone-bad" : m.state === "scheduled" ? "tone-dim" : "", title: m.id },
        injectHead(pick(m.state_label), m.id, pick(m.title)), ` · ${m.seat}`,
        m.due_turn ? ` · T${m.due_turn}` : "")));
  }

  // ----- the phase clock (the server sends the seconds left; the page counts down) ------------------
  function renderClock(c) { clockData = c || null; clockAt = Date.now(); tickClock(); }
  function mmss(seconds) {
    const whole = Math.round(Math.abs(seconds));
    return `${String(Math.floor(whole / 60)).padStart(2, "0")}:${String(whole % 60).padStart(2, "0")}`;
  }
  function tickClock() {
    const node = $("countdown");
    if (!node) return;
    const c = clockData;
    if (!c || c.state === "idle") { node.textContent = t("countdown_idle"); node.dataset.state = "idle"; return; }
    if (c.remaining === null || c.remaining === undefined) { node.textContent = pick(c.label); node.dataset.state = c.state; return; }
    const left = c.remaining - (c.state === "running" ? (Date.now() - clockAt) / 1000 : 0);
    const name = left < 0 && c.state === "running" ? "countdown_over" : c.state === "paused" ? "countdown_paused" : "countdown";
    node.textContent = t(name, { segment: pick(c.label), left: mmss(left) });
    node.dataset.state = left < 0 ? "over" : left < 300 ? "soon" : c.state;
  }
  setInterval(tickClock, 1000);

  // ----- the department's response report: drafts on this device, versions from the log --------------
  function reportValues() {
    const out = {};
    for (const input of $("report-fields").querySelectorAll("textarea")) out[input.name] = input.value;
    return out;
  }
  function fillReport(values) {
    for (const input of $("report-fields").querySelectorAll("textarea")) input.value = values[input.name] || "";
  }
  function renderReport(rep) {
    const box = $("report-box");
    if (!box) return;
    if (!rep || !rep.fields) { box.hidden = true; return; }
    box.hidden = false;
    $("report-phase").textContent = rep.phase ? t("report_for", { phase: pick(rep.phase_name) }) : "";
    const shape = JSON.stringify([lang, rep.phase, rep.fields]);
    if (shape !== reportShape) {
      const kept = reportShape === null ? load(`draft:${rep.phase}`, {}) : reportValues();
      reportShape = shape;
      $("report-fields").replaceChildren(...rep.fields.map((f) =>
        el("label", { class: "field", "data-report-field": f.name }, el("span", {}, pick(f.label)),
          el("textarea", { name: f.name, rows: f.name === "text" ? 3 : 2 }))));
      fillReport(kept);
    }
    const list = $("report-versions");
    if (!rep.versions.length) { list.replaceChildren(el("li", { class: "empty" }, t("report_none"))); return; }
    list.replaceChildren(...rep.versions.map((v) =>
      el("li", { class: "report-version", "data-version": v.version, "data-phase": v.phase },
        el("div", { class: "meta" }, t("report_version", { phase: pick(v.phase_name) || v.phase, version: v.version, turn: v.turn })),
        el("dl", {}, rep.fields.filter((f) => v[f.name]).flatMap((f) => [el("dt", {}, pick(f.label)), el("dd", {}, v[f.name])])),
        el("button", { type: "button", onclick: () => fillReport(v) }, t("report_load")))));
  }
  function draftKey() { return `draft:${payload && payload.reports ? payload.reports.phase : ""}`; }
  if ($("report-draft")) {
    $("report-draft").addEventListener("click", () => {
      save(draftKey(), reportValues());
      $("report-note").textContent = t("report_draft_saved");
    });
    $("report-submit").addEventListener("click", async () => {
      const values = reportValues();
      const answer = await command("submit_report", values);
      if (answer.status === 200 && answer.body.status === "accepted") {
        localStorage.removeItem(key(draftKey()));
        $("report-note").textContent = "";
      }
    });
  }

  // ----- the hotwash's participant feedback form -------------------------------------------------
  let feedbackShape = null;
  function renderFeedback(form) {
    const box = $("feedback-box");
    if (!box) return;
    box.hidden = !(form && form.open);
    if (box.hidden) return;
    const shape = JSON.stringify([lang, form.capabilities]);
    if (shape !== feedbackShape) {
      const kept = {};
      for (const input of $("feedback-caps").querySelectorAll("textarea")) kept[input.name] = input.value;
      feedbackShape = shape;
      $("feedback-caps").replaceChildren(...form.capabilities.map((c) =>
        el("label", { class: "field", "data-capability": c.id },
          el("span", {}, t("improve_on", { capability: pick(c.name) })),
          el("textarea", { name: c.id, rows: 2 }))));
      for (const input of $("feedback-caps").querySelectorAll("textarea")) input.value = kept[input.name] || "";
    }
    $("feedback-note").textContent = form.sent ? t("feedback_sent", { n: form.sent }) : "";
  }
  if ($("feedback-submit")) {
    $("feedback-submit").addEventListener("click", async () => {
      const box = $("feedback-box");
      const improvements = {};
      for (const input of $("feedback-caps").querySelectorAll("textarea")) {
        if (input.value.trim()) improvements[input.name] = input.value.trim();
      }
      const args = { strengths: box.querySelector("[name='strengths']").value.trim(),
                     text: box.querySelector("[name='text']").value.trim(), improvements };
      const answer = await command("feedback", args);
      if (answer.status === 200 && answer.body.status === "accepted") {
        for (const input of box.querySelectorAll("textarea")) input.value = "";
      }
    });
  }

  // ----- the evaluator's page -----------------------------------------------------------------------
  function renderEvaluator(data) {
    const guide = data.eeg.map((g) =>
      el("li", { class: "eeg", "data-capability": g.id }, el("h3", {}, pick(g.name)),
        el("ul", {}, g.tasks.map((task) => el("li", { "data-task": task.id }, pick(task.name))))));
    const delivered = data.delivered.map((d) =>
      el("li", { class: `inject ${d.state}`, "data-inject": d.id },
        el("div", { class: "meta" }, `T${d.turn} · ${pick(d.seat)}`),
        injectHead(pick(d.state_label), d.id, pick(d.title))));
    $("inbox").replaceChildren(...guide, el("li", { class: "sub" }, el("h3", {}, t("delivered"))), ...delivered);
    $("tabs").replaceChildren();
    const reports = data.reports.map((r) =>
      el("li", { class: "report-latest", "data-seat": r.seat, "data-phase": r.phase },
        el("h3", {}, `${pick(r.title)} · ${pick(r.phase_name) || r.phase} · v${r.version}`),
        el("dl", {}, Object.entries(r.fields).filter(([, v]) => v).flatMap(([k, v]) => [el("dt", {}, t(`field_${k}`)), el("dd", {}, v)]))));
    const ratings = data.ratings.map((r) =>
      el("li", { class: `rating r-${r.rating}`, "data-capability": r.capability },
        el("b", {}, r.rating), ` ${pick(r.seat_title)} · ${pick(r.capability_name)}${r.task_name ? " / " + pick(r.task_name) : ""} · T${r.turn}`,
        el("div", { class: "meta" }, r.rationale)));
    $("rows").replaceChildren(...(reports.length ? reports : [el("li", { class: "empty" }, t("report_none"))]),
      el("li", { class: "sub" }, el("h3", {}, t("ratings_mine"))), ...ratings);
  }

  function renderMine(commands) {
    const list = $("mine");
    if (!commands.length) { list.replaceChildren(el("li", { class: "empty" }, t("mine_empty"))); return; }
    list.classList.add("mine");
    list.replaceChildren(...commands.map((c) =>
      el("li", { "data-seq": c.seq, "data-status": c.status },
        el("span", { class: `status ${c.status}` }, t(c.status)),
        pick(c.label), el("span", { class: "meta" }, ` · T${c.turn} · #${c.seq} · ${summary(c.args)}`),
        c.reason ? el("span", { class: "reason" }, t("rule_reason", { rule: c.rule, reason: pick(c.reason) })) : null)));
  }
  function summary(args) {
    const text = Object.entries(args).map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : v}`).join(", ");
    return text.length > 90 ? `${text.slice(0, 89)}…` : text;
  }

  // ----- the command form (fields from the command's argument model) ------------------------------
  function renderForm(forms) {
    const select = $("kind");
    if (!forms.length) {
      select.replaceChildren(); $("fields").replaceChildren(el("p", { class: "empty" }, t("form_none")));
      $("submit").disabled = true; return;
    }
    $("submit").disabled = false;
    if (!forms.some((f) => f.kind === kind)) kind = forms[0].kind;
    select.replaceChildren(...forms.map((f) => el("option", { value: f.kind, selected: f.kind === kind }, pick(f.label))));
    const form = forms.find((f) => f.kind === kind);
    const shape = JSON.stringify([lang, form]);
    if (shape === formShape) return;  // same fields and choices: keep what the trainee has typed
    const kept = formValues();
    formShape = shape;
    $("fields").replaceChildren(...form.fields.map((f) => fieldNode(f, kept[f.name])));
  }

  function fieldNode(f, keep) {
    const title = `${pick(f.label)}${f.required ? "" : t("optional")}${f.widget === "multi" ? t("multi") : ""}`;
    let input;
    if (f.widget === "choice" || f.widget === "multi") {
      input = el("select", { name: f.name, multiple: f.widget === "multi", "data-widget": f.widget });
      if (f.widget === "choice" && (!f.required || !f.choices.length)) input.append(el("option", { value: "" }, t("blank")));
      f.choices.forEach((c, i) => {
        const chosen = keep !== undefined ? [].concat(keep).includes(String(i))
                                          : f.default !== null && JSON.stringify(c.value) === JSON.stringify(f.default);
        input.append(el("option", { value: String(i), selected: chosen, title: String(c.value) }, pick(c.label) || String(c.value)));
      });
    } else if (f.widget === "json") {
      input = el("textarea", { name: f.name, "data-widget": "json",
                               placeholder: t("json_hint", { example: f.name === "goods" ? '{"rice": 1000}' : '["a", "b"]' }) });
      input.value = keep ?? (f.default !== null && f.default !== undefined ? JSON.stringify(f.default) : "");
    } else {
      input = el("input", { name: f.name, type: f.widget === "number" ? "number" : "text", step: f.widget === "number" ? "any" : null,
                            "data-widget": f.widget });
      input.value = keep ?? (f.initial || (f.default !== null && f.default !== undefined ? String(f.default) : ""));
    }
    return el("label", { class: "field", "data-field": f.name }, el("span", {}, title), input);
  }

  function formValues() {
    const out = {};
    for (const input of $("fields").querySelectorAll("[name]")) {
      out[input.name] = input.multiple ? Array.from(input.selectedOptions, (o) => o.value) : input.value;
    }
    return out;
  }

  function formArgs(form) {
    const args = {};
    for (const f of form.fields) {
      const input = $("fields").querySelector(`[name="${CSS.escape(f.name)}"]`);
      const raw = input.multiple ? Array.from(input.selectedOptions, (o) => o.value) : input.value.trim();
      if (f.widget === "multi") { if (raw.length || f.required) args[f.key] = raw.map((i) => f.choices[Number(i)].value); continue; }
      if (raw === "") {
        if (f.required) throw new Error(f.widget === "choice" ? t("pick", { field: pick(f.label) }) : t("bad_value", { field: pick(f.label) }));
        continue;
      }
      if (f.widget === "choice") args[f.key] = f.choices[Number(raw)].value;
      else if (f.widget === "number") {
        const n = Number(raw);
        if (!Number.isFinite(n)) throw new Error(t("bad_value", { field: pick(f.label) }));
        args[f.key] = n;
      } else if (f.widget === "json") {
        try { args[f.key] = JSON.parse(raw); } catch (e) { throw new Error(t("bad_value", { field: pick(f.label) })); }
      } else args[f.key] = raw;
    }
    return args;
  }

  // ----- wiring -----------------------------------------------------------------------------------
  $("kind").addEventListener("change", (e) => { kind = e.target.value; formShape = null; renderForm(payload.forms); });
  $("form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = payload && payload.forms.find((f) => f.kind === kind);
    if (!form) return;
    let args;
    try { args = formArgs(form); } catch (err) { showResult(err.message, "bad"); return; }
    $("submit").disabled = true;
    try {
      const answer = await command(kind, args);
      if (answer.status === 200 && answer.body.status === "accepted") { formShape = null; $("fields").replaceChildren(); }
    } finally { $("submit").disabled = false; }
  });
  $("lang").addEventListener("click", () => {
    lang = lang === "zh_TW" ? "en" : "zh_TW";
    localStorage.setItem("tabletop:lang", lang);
    formShape = null;
    if (payload) render(payload);
  });

  (async () => {
    const answer = await fetch("/api/strings").then((r) => r.json()).catch(() => ({}));
    strings = answer;
    renderFeed();
    await refresh();
    for (const entry of pending.slice()) send(entry).then(refresh);  // commands sent before the page closed
    connect();
  })();
})();
