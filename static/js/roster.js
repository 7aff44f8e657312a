/* The PJ's roster: one tap per outcome, queued on the phone when there is no signal.
 *
 * Every outcome gets an idempotency key when it is tapped; the queue lives in
 * localStorage and is sent in order when the connection returns. The server
 * applies a key once, so a resend after a lost answer is harmless. A conflict
 * (the session changed meanwhile) or a refusal is shown, never dropped.
 */
(function () {
  "use strict";
  const root = document.getElementById("roster");
  if (!root) return;
  const data = JSON.parse(document.getElementById("roster-data").textContent);
  const user = root.dataset.user;
  const today = root.dataset.today;
  const QUEUE = "roster.queue." + user;
  const DONE = "roster.done." + user;
  const CONFLICTS = "roster.conflicts." + user;
  let csrf = root.dataset.csrf;
  let flushing = false;

  // Another account on this phone: start clean.
  if (localStorage.getItem("roster.user") !== user) {
    Object.keys(localStorage)
      .filter((k) => k.startsWith("roster."))
      .forEach((k) => localStorage.removeItem(k));
    localStorage.setItem("roster.user", user);
  }

  const load = (k, d) => {
    try { return JSON.parse(localStorage.getItem(k)) || d; } catch (e) { return d; }
  };
  const save = (k, v) => localStorage.setItem(k, JSON.stringify(v));
  let queue = load(QUEUE, []);
  let done = load(DONE, {});
  let conflicts = load(CONFLICTS, []);
  const sessions = data.sessions;
  const labels = data.outcomes;
  const byId = {};
  sessions.forEach((s) => { byId[s.id] = s; });
  // What the server already shows needs no overlay any more.
  Object.keys(done).forEach((id) => {
    const s = byId[id];
    if (!s || (s.outcome || null) === (done[id].outcome || null)) delete done[id];
  });
  save(DONE, done);
  save("roster.sessions." + user, sessions);

  const newKey = () =>
    (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
      : Date.now().toString(36) + Math.random().toString(36).slice(2);

  function state(s) {
    const queued = queue.find((q) => q.session_id === s.id);
    if (queued) return { outcome: queued.body.outcome, queued: true, undo: true };
    const d = done[s.id];
    if (d) return { outcome: d.outcome, status: d.status, undo: d.undo };
    return { outcome: s.outcome, status: s.status, undo: s.undo };
  }

  function dayLabel(iso) {
    const d = new Date(iso + "T00:00:00");
    const text = d.toLocaleDateString("id-ID", { weekday: "long", day: "numeric", month: "long" });
    return iso === today ? "Hari ini · " + text : text;
  }

  function shortDate(iso) {
    return iso.split("-").reverse().join("-");
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function button(text, cls, onClick, icon) {
    const b = el("button", "btn " + cls);
    b.type = "button";
    if (icon) {
      const i = el("i", "bi bi-" + icon + " me-1");
      i.setAttribute("aria-hidden", "true");
      b.appendChild(i);
    }
    b.appendChild(document.createTextNode(text));
    b.addEventListener("click", onClick);
    return b;
  }

  function badge(st) {
    if (st.queued) {
      return el("span", "badge text-bg-warning", labels[st.outcome] + " · belum terkirim");
    }
    if (!st.outcome) return el("span", "badge text-bg-light border", "terjadwal");
    const colour = st.outcome === "attended" ? "success"
      : st.outcome === "acceptable_absence" ? "info" : "danger";
    let text = labels[st.outcome];
    if (st.outcome === "attended" && st.status === "recorded") text += " · menunggu verifikasi";
    return el("span", "badge text-bg-" + colour, text);
  }

  function render() {
    root.textContent = "";
    const days = [...new Set(sessions.map((s) => s.date))];
    days.sort((a, b) => {
      const rank = (x) => (x === today ? 0 : x < today ? 1 : 2);
      return rank(a) - rank(b) || (a < today ? (a < b ? 1 : -1) : (a < b ? -1 : 1));
    });
    if (!days.length) {
      root.appendChild(el("p", "text-muted", "Tidak ada sesi terjadwal pekan ini di lokasi Anda."));
    }
    days.forEach((day) => {
      const group = el("section", "mb-3 roster-day");
      group.dataset.date = day;
      group.appendChild(el("h2", "h6 mt-3 mb-2", dayLabel(day)));
      const list = sessions.filter((s) => s.date === day);
      const future = day > today;
      // "All present": one tap for everyone of a time window still without an outcome.
      if (!future) {
        const windows = {};
        list.forEach((s) => {
          if (!state(s).outcome) (windows[s.start + "–" + s.end] ||= []).push(s);
        });
        Object.entries(windows).forEach(([span, open]) => {
          if (open.length < 2) return;
          const all = button("Semua hadir " + span, "btn-success w-100 mb-2", () => {
            open.forEach((s) => enqueue(s, { outcome: "attended", time_in: s.start, time_out: s.end }));
          }, "people-fill");
          group.appendChild(all);
        });
      }
      list.forEach((s) => group.appendChild(card(s, future)));
      root.appendChild(group);
    });
    renderState();
  }

  function card(s, future) {
    const st = state(s);
    const c = el("div", "card shadow-sm mb-2 session-card");
    c.dataset.session = s.id;
    const body = el("div", "card-body p-2");
    const head = el("div", "d-flex justify-content-between align-items-center gap-2");
    const who = el("div", "flex-grow-1 overflow-hidden");
    who.appendChild(el("div", "fw-semibold", s.code + " · " + s.first_name));
    who.appendChild(el("div", "small text-muted text-truncate", s.start + "–" + s.end + " · " + s.site));
    who.appendChild(badge(st));
    head.appendChild(who);
    body.appendChild(head);
    const actions = el("div", "d-grid gap-2 mt-2");
    if (st.outcome) {
      actions.className = "flex-shrink-0";
      head.appendChild(actions);
    }
    if (!st.outcome && !future) {
      actions.appendChild(button("Hadir " + s.start + "–" + s.end, "btn-primary btn-lg", () =>
        enqueue(s, { outcome: "attended", time_in: s.start, time_out: s.end }), "person-check"));
      const row = el("div", "d-flex gap-2");
      row.appendChild(button("Tidak hadir tanpa alasan", "btn-outline-danger flex-fill", () =>
        enqueue(s, { outcome: "unacceptable_absence" })));
      row.appendChild(button("Izin/sakit", "btn-outline-secondary flex-fill", () => {
        const tpl = document.getElementById("tpl-absence").content.cloneNode(true);
        tpl.querySelectorAll("[data-reason-code]").forEach((b) =>
          b.addEventListener("click", () => enqueue(s, {
            outcome: "acceptable_absence", reason_code: b.dataset.reasonCode, reason: b.textContent,
          })));
        actions.appendChild(tpl);
      }));
      actions.appendChild(row);
      actions.appendChild(button("Jam lain…", "btn-outline-primary", () => {
        const pair = el("div", "d-flex gap-2 align-items-center");
        const from = el("input", "form-control");
        const to = el("input", "form-control");
        from.type = to.type = "time";
        from.value = s.start;
        to.value = s.end;
        from.setAttribute("aria-label", "Jam datang");
        to.setAttribute("aria-label", "Jam pulang");
        pair.appendChild(from);
        pair.appendChild(el("span", "", "–"));
        pair.appendChild(to);
        actions.appendChild(pair);
        actions.appendChild(button("Simpan hadir", "btn-primary", () => {
          if (!from.value || !to.value || to.value <= from.value) {
            to.classList.add("is-invalid");
            return;
          }
          enqueue(s, { outcome: "attended", time_in: from.value, time_out: to.value });
        }));
      }));
      actions.appendChild(button("Dipulangkan…", "btn-outline-dark", () => {
        const reason = el("input", "form-control");
        reason.placeholder = "Alasan dipulangkan";
        reason.setAttribute("aria-label", "Alasan dipulangkan");
        const pair = el("div", "d-flex gap-2");
        const send = (fault) => {
          if (reason.value.trim().length < 5) { reason.classList.add("is-invalid"); return; }
          enqueue(s, { outcome: "sent_home", reason: reason.value.trim(), client_fault: fault });
        };
        pair.appendChild(button("Karena perilaku klien", "btn-danger flex-fill", () => send(true)));
        pair.appendChild(button("Bukan salah klien", "btn-secondary flex-fill", () => send(false)));
        actions.appendChild(reason);
        actions.appendChild(pair);
        reason.focus();
      }));
    } else if (st.queued) {
      actions.appendChild(button("Batalkan", "btn-outline-secondary btn-sm", () => {
        queue = queue.filter((q) => q.session_id !== s.id);
        save(QUEUE, queue);
        render();
      }, "arrow-counterclockwise"));
    } else if (st.outcome && st.undo) {
      actions.appendChild(button("Batalkan", "btn-outline-secondary btn-sm", () => undo(s),
        "arrow-counterclockwise"));
    }
    if (!st.outcome) body.appendChild(actions);
    c.appendChild(body);
    return c;
  }

  function renderState() {
    const online = navigator.onLine;
    const net = document.getElementById("net-state");
    net.className = "badge " + (online ? "text-bg-success" : "text-bg-secondary");
    net.dataset.online = online ? "1" : "0";
    net.textContent = online ? "Daring" : "Luring";
    const qs = document.getElementById("queue-state");
    qs.classList.toggle("d-none", queue.length === 0);
    qs.querySelector("[data-queue-count]").textContent = queue.length;
    const box = document.getElementById("conflicts");
    box.textContent = "";
    box.classList.toggle("d-none", conflicts.length === 0);
    conflicts.forEach((c, i) => {
      const a = el("div", "alert alert-danger py-2 small d-flex justify-content-between gap-2 conflict");
      a.appendChild(el("span", "", c.text));
      const x = button("Tutup", "btn-sm btn-outline-danger", () => {
        conflicts.splice(i, 1);
        save(CONFLICTS, conflicts);
        renderState();
      });
      a.appendChild(x);
      box.appendChild(a);
    });
  }

  function position() {
    if (!document.getElementById("use-gps").checked || !navigator.geolocation) {
      return Promise.resolve(null);
    }
    return new Promise((resolve) => {
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
        () => resolve(null),
        { timeout: 5000, maximumAge: 60000 }
      );
    });
  }

  async function enqueue(s, body) {
    if (queue.find((q) => q.session_id === s.id)) return;
    const item = { key: newKey(), session_id: s.id, body: body, label: s.code + " " + shortDate(s.date) };
    queue.push(item);
    save(QUEUE, queue);
    render();
    const where = await position(); // never blocks: no fix, no distance
    if (where) {
      item.body = Object.assign({}, item.body, where);
      save(QUEUE, queue);
    }
    flush();
  }

  function url(template, id) {
    return template.replace(/\/0\//, "/" + id + "/");
  }

  async function refreshToken() {
    const r = await fetch(root.dataset.tokenUrl, { credentials: "same-origin" });
    if (r.ok) csrf = (await r.json()).csrf_token;
  }

  async function post(target, body) {
    let r = await fetch(target, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    });
    if (r.status === 400) { // an old page's token: take a fresh one and try once more
      await refreshToken();
      r = await fetch(target, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(body),
      });
    }
    return r;
  }

  async function flush() {
    if (flushing || !queue.length) { renderState(); return; }
    flushing = true;
    try {
      while (queue.length) {
        const item = queue[0];
        let r;
        try {
          r = await post(url(root.dataset.outcomeUrl, item.session_id),
            Object.assign({ key: item.key }, item.body));
        } catch (e) {
          break; // no signal: keep the queue, try again later
        }
        let answer = {};
        try { answer = await r.json(); } catch (e) { answer = {}; }
        if (r.ok) {
          done[item.session_id] = answer.session;
        } else if (r.status === 409 || r.status === 422 || r.status === 404 || r.status === 403) {
          conflicts.push({ text: item.label + ": " + (answer.message || "ditolak") });
          save(CONFLICTS, conflicts);
          if (answer.session) done[item.session_id] = answer.session;
        } else {
          break; // the server is unwell: keep it for later
        }
        queue.shift();
        save(QUEUE, queue);
        save(DONE, done);
      }
    } finally {
      flushing = false;
      render();
    }
  }

  async function undo(s) {
    try {
      const r = await post(url(root.dataset.undoUrl, s.id), {});
      const answer = await r.json();
      if (r.ok) {
        done[s.id] = answer.session;
      } else {
        conflicts.push({ text: s.code + " " + shortDate(s.date) + ": " + (answer.message || "ditolak") });
        save(CONFLICTS, conflicts);
      }
      save(DONE, done);
    } catch (e) {
      conflicts.push({ text: "Tidak ada sinyal: pembatalan perlu koneksi." });
      save(CONFLICTS, conflicts);
    }
    render();
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", renderState);
  setInterval(flush, 10000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.swUrl, { scope: "/sesi/" }).catch(() => {});
  }
  render();
  flush();
})();
