// knews report: draws the index and the article pages from the data beside them.
// No framework and no network; works from file://. Offsets in the data are
// Python's (code points), so text is cut with Array.from, never with String.slice.
"use strict";

const PAGE_SIZE = 100;
const KIND_LABEL = { person: "PER", organization: "ORG", date: "DATE" };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

// -- the tooltip: any element with data-tip ---------------------------------------------
function setUpTips() {
  const tip = document.getElementById("tip");
  if (!tip) return;
  document.addEventListener("mouseover", (event) => {
    const target = event.target.closest("[data-tip]");
    if (!target) { tip.hidden = true; return; }
    tip.textContent = target.dataset.tip;
    tip.hidden = false;
    const box = target.getBoundingClientRect();
    tip.style.left = `${Math.max(4, box.left + window.scrollX)}px`;
    tip.style.top = `${box.bottom + window.scrollY + 6}px`;
  });
}

// -- the index ----------------------------------------------------------------------------
function drawIndex() {
  const data = window.KNEWS_INDEX;
  const col = Object.fromEntries(data.columns.map((name, i) => [name, i]));
  const counted = data.columns.slice(col.authors + 1);
  const shownColumns = ["n", "outlet", "published_at", "title", "status", ...counted];
  const state = { sort: "n", descending: false, page: 0 };
  const controls = {
    outlet: document.getElementById("f-outlet"),
    from: document.getElementById("f-from"),
    to: document.getElementById("f-to"),
    status: document.getElementById("f-status"),
    text: document.getElementById("f-text"),
  };
  for (const [name, select] of [["outlet", controls.outlet], ["status", controls.status]]) {
    const values = [...new Set(data.rows.map((row) => row[col[name]]))].sort();
    for (const value of values) select.append(el("option", { value, text: value || "(none)" }));
  }
  const head = document.querySelector("#articles thead tr");
  for (const name of shownColumns) {
    const th = el("th", { "data-column": name, scope: "col", tabindex: "0", text: name.replace("_", " ") });
    const sortBy = () => {
      state.descending = state.sort === name ? !state.descending : counted.includes(name);
      state.sort = name;
      state.page = 0;
      render();
    };
    th.addEventListener("click", sortBy);
    th.addEventListener("keydown", (event) => { if (event.key === "Enter") sortBy(); });
    head.append(th);
  }
  for (const control of Object.values(controls)) {
    control.addEventListener("input", () => { state.page = 0; render(); });
  }

  function matching() {
    const outlet = controls.outlet.value, status = controls.status.value;
    const from = controls.from.value, to = controls.to.value;
    const words = controls.text.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    return data.rows.filter((row) => {
      const day = row[col.published_at].slice(0, 10);
      if (outlet && row[col.outlet] !== outlet) return false;
      if (status && row[col.status] !== status) return false;
      if (from && (!day || day < from)) return false;
      if (to && (!day || day > to)) return false;
      if (words.length) {
        const hay = [row[col.title], row[col.article_id], row[col.authors], row[col.outlet]]
          .join(" ").toLowerCase();
        if (!words.every((word) => hay.includes(word))) return false;
      }
      return true;
    });
  }

  function render() {
    const rows = matching();
    const i = col[state.sort];
    rows.sort((a, b) => {
      const x = a[i] ?? -1, y = b[i] ?? -1;
      const order = x < y ? -1 : x > y ? 1 : a[col.n] - b[col.n];
      return state.descending ? -order : order;
    });
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    const body = document.querySelector("#articles tbody");
    body.replaceChildren(...rows.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE).map((row) =>
      el("tr", { "data-article": row[col.article_id] }, ...shownColumns.map((name) => {
        const value = row[col[name]];
        if (name === "title") {
          return el("td", {}, el("a", { href: `articles/${row[col.page]}`, text: value || row[col.article_id] }));
        }
        if (name === "status") return el("td", { class: `status status-${value}`, text: value });
        return el("td", { class: counted.includes(name) || name === "n" ? "count" : null, text: value ?? "" });
      }))));
    for (const th of head.children) {
      th.setAttribute("aria-sort", th.dataset.column === state.sort ? (state.descending ? "descending" : "ascending") : "none");
    }
    document.getElementById("shown").textContent = `${rows.length} of ${data.rows.length} articles`;
    const nav = document.getElementById("pages");
    nav.replaceChildren();
    if (pages > 1) {
      const go = (page) => { state.page = page; render(); window.scrollTo(0, 0); };
      const prev = el("button", { type: "button", text: "← previous", disabled: state.page === 0 });
      const next = el("button", { type: "button", text: "next →", disabled: state.page >= pages - 1 });
      prev.addEventListener("click", () => go(state.page - 1));
      next.addEventListener("click", () => go(state.page + 1));
      nav.append(prev, el("span", { text: ` page ${state.page + 1} of ${pages} ` }), next);
    }
  }
  render();
}

// -- an article ---------------------------------------------------------------------------
function rowsOf(tables, name) {
  const table = tables[name];
  if (!table) return [];
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i]])));
}

function marksOf(tables) {
  const people = Object.fromEntries(rowsOf(tables, "people").map((p) => [p.entity_id, p]));
  const orgs = Object.fromEntries(rowsOf(tables, "organizations").map((o) => [o.entity_id, o]));
  const marks = [];
  for (const m of rowsOf(tables, "mentions")) {
    if (m.kind === "date" || m.raw_start === null) continue;
    const about = m.kind === "person" ? people[m.entity_id] : orgs[m.entity_id];
    const detail = m.kind === "person"
      ? [about?.titles?.join(" "), about?.affiliation].filter(Boolean).join(", ")
      : about?.type || "";
    marks.push({
      start: m.raw_start, end: m.raw_end, kind: m.kind, entity: m.entity_id,
      tip: `${m.kind}: ${m.entity || m.text}${detail ? ` (${detail})` : ""} · ${m.entity_id || "no id"}`,
    });
  }
  for (const d of rowsOf(tables, "dates")) {
    if (d.raw_start === null) continue;
    marks.push({
      start: d.raw_start, end: d.raw_end, kind: "date",
      tip: `date: ${d.value || "no value"} (${d.resolution || "?"}) · ${d.rule || ""}`,
    });
  }
  // Overlapping marks cannot nest as elements: the longer one wins, the rest stay in the tables.
  marks.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept = [];
  for (const mark of marks) {
    if (!kept.length || mark.start >= kept[kept.length - 1].end) kept.push(mark);
  }
  return kept;
}

function outersOf(tables, marks) {
  const outers = [];
  for (const q of rowsOf(tables, "quotes")) {
    if (q.raw_start === null) continue;
    const speaker = q.speaker_id ? speakerMark(marks, q.speaker_id, q.raw_start) : null;
    outers.push({
      start: q.raw_start, end: q.raw_end, kind: "quote", id: `q${q.quote_id}`, order: 0,
      tip: `quote ${q.quote_id} (${q.kind}) · speaker: ${q.speaker || q.speaker_text || "unknown"}`
        + `${q.speaker_kind ? ` (${q.speaker_kind})` : ""}${q.verb ? ` · ${q.verb}` : ""}`,
      speaker: q.speaker || q.speaker_text || "unknown speaker", speakerKind: q.speaker_kind,
      target: speaker ? `m${speaker.start}` : null,
    });
  }
  for (const p of rowsOf(tables, "pledges")) {
    if (p.raw_start === null) continue;
    outers.push({
      start: p.raw_start, end: p.raw_end, kind: "pledge", id: `p${p.pledge_id}`, order: 1,
      tip: `pledge ${p.pledge_id} · ${p.actor || "no actor"}${p.name ? ` · ${p.name}` : ""} · cue ${p.cue}`,
    });
  }
  return outers;
}

// The speaker's mention nearest before the quote, else the first one after it.
function speakerMark(marks, entityId, start) {
  const own = marks.filter((m) => m.entity === entityId);
  return own.filter((m) => m.start < start).pop() || own[0] || null;
}

function drawLine(line, marks, outers) {
  const [number, lineStart, kind, label, text] = line;
  const chars = Array.from(text || "");
  const lineEnd = lineStart + chars.length;
  const div = el("div", { class: `line kind-${kind}`, id: `L${number}`, "data-line": number });
  div.append(el("a", { class: "no", href: `#L${number}`, text: number }));
  const body = el("span", { class: "tx", "data-start": lineStart });
  const here = marks.filter((m) => m.start < lineEnd && m.end > lineStart && m.start >= lineStart);
  const over = outers.filter((o) => o.start < lineEnd && o.end > lineStart);
  // Atoms: a mark is one atom; plain text is cut wherever a quote or pledge starts or ends.
  const cuts = new Set([lineStart, lineEnd]);
  for (const o of over) cuts.add(Math.max(o.start, lineStart)).add(Math.min(o.end, lineEnd));
  for (const m of here) cuts.add(m.start).add(Math.min(m.end, lineEnd));
  const points = [...cuts].sort((a, b) => a - b);
  const atoms = [];
  for (let i = 0; i < points.length - 1; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const mark = here.find((m) => m.start <= a && a < m.end);
    if (mark && atoms.length && atoms[atoms.length - 1].mark === mark) continue;
    atoms.push(mark ? { start: mark.start, end: Math.min(mark.end, lineEnd), mark } : { start: a, end: b });
  }
  const piece = (a, b) => chars.slice(a - lineStart, b - lineStart).join("");
  const stack = [{ node: body, outer: null }];
  const endsHere = new Set();
  for (const atom of atoms) {
    const wanted = over.filter((o) => o.start <= atom.start && atom.start < o.end)
      .sort((x, y) => x.order - y.order || x.start - y.start);
    let depth = 1;
    while (depth < stack.length && depth - 1 < wanted.length && stack[depth].outer === wanted[depth - 1]) depth++;
    stack.length = depth;
    for (const outer of wanted.slice(depth - 1)) {
      const node = el("span", { class: outer.kind, "data-id": outer.id, "data-tip": outer.tip });
      stack[stack.length - 1].node.append(node);
      stack.push({ node, outer });
      if (outer.end <= lineEnd) endsHere.add(outer);
    }
    const parent = stack[stack.length - 1].node;
    if (atom.mark) {
      const m = atom.mark;
      parent.append(el("mark", {
        class: `ent ${m.kind}`, id: `m${m.start}`, "data-start": m.start, "data-end": m.end,
        "data-label": KIND_LABEL[m.kind], "data-entity": m.entity, "data-tip": m.tip,
      }, piece(atom.start, atom.end)));
    } else {
      parent.append(piece(atom.start, atom.end));
    }
    // A quote ending here points at its speaker once its last character is drawn.
    for (const outer of [...endsHere]) {
      if (outer.kind === "quote" && atom.end >= outer.end) {
        stack.find((open) => open.outer === outer).node.after(speakerLink(outer));
        endsHere.delete(outer);
      }
    }
  }
  div.append(body);
  if (label && kind !== "body") div.append(el("span", { class: "why", text: kind === "boilerplate" || kind === "blank" ? `removed: ${label}` : label }));
  return div;
}

function speakerLink(quote) {
  const text = `→ ${quote.speaker}`;
  if (!quote.target) return el("span", { class: "speaker unlinked", "data-quote": quote.id, text });
  return el("a", { class: "speaker", href: `#${quote.target}`, "data-quote": quote.id, "data-target": quote.target, text });
}

// The text of a span, cut from the lines (the page carries each character once).
function textAt(lines, start, end) {
  let text = "";
  for (const [, lineStart, , , lineText] of lines) {
    const chars = Array.from(lineText || "");
    if (lineStart + chars.length < start || lineStart >= end) continue;
    text += chars.slice(Math.max(0, start - lineStart), end - lineStart).join("");
  }
  return text;
}

// Tables the page derives: sentences get their text; boilerplate is the removed lines.
function withDerived(tables, lines) {
  const all = { ...tables };
  const sentences = tables.sentences;
  if (sentences) {
    const [start, end] = [sentences.columns.indexOf("raw_start"), sentences.columns.indexOf("raw_end")];
    all.sentences = {
      columns: [...sentences.columns, "text"],
      rows: sentences.rows.map((row) => [...row, textAt(lines, row[start], row[end])]),
    };
  }
  all.boilerplate = {
    columns: ["text", "reason", "raw_line", "raw_start", "raw_end"],
    rows: lines.filter(([, , kind]) => kind === "boilerplate" || kind === "blank")
      .map(([n, start, , label, text]) => [text, label, n, start, start + Array.from(text || "").length]),
  };
  return all;
}

function drawTables(tables) {
  const section = document.getElementById("tables");
  for (const [name, table] of Object.entries(tables)) {
    const details = el("details", { id: `table-${name}`, open: table.rows.length && table.rows.length <= 40 ? "" : null },
      el("summary", { text: `${name} (${table.rows.length})` }));
    const shown = table.columns.filter((c) => c !== "raw_start" && c !== "raw_end");
    const head = el("tr", {}, ...shown.map((c) => el("th", { scope: "col", text: c })));
    const rows = table.rows.map((row) => el("tr", {}, ...shown.map((c) => {
      const value = row[table.columns.indexOf(c)];
      if (c === "raw_line" && value !== null) return el("td", {}, el("a", { href: `#L${value}`, text: value }));
      return el("td", { text: Array.isArray(value) ? value.join("; ") : value ?? "" });
    })));
    details.append(el("table", { class: "rows" }, el("thead", {}, head), el("tbody", {}, ...rows)));
    section.append(details);
  }
}

// A page can be mostly furniture: let the reader hide the removed lines.
function hideRemovedToggle(main) {
  const box = el("input", { type: "checkbox", id: "hide-removed" });
  box.addEventListener("change", () => main.classList.toggle("hide-removed", box.checked));
  return el("label", { class: "toggle" }, box, " hide removed lines");
}

function drawArticle() {
  const data = JSON.parse(document.getElementById("data").textContent);
  const marks = marksOf(data.tables);
  const outers = outersOf(data.tables, marks);
  const main = document.getElementById("text");
  main.replaceChildren(...data.lines.map((line) => drawLine(line, marks, outers)));
  const counts = {};
  for (const m of marks) counts[m.kind] = (counts[m.kind] || 0) + 1;
  for (const o of outers) counts[o.kind] = (counts[o.kind] || 0) + 1;
  document.getElementById("legend").replaceChildren(
    ...["person", "organization", "date", "quote", "pledge"].map((kind) =>
      el("span", { class: `key ${kind}`, text: `${kind} ${counts[kind] || 0}` })),
    el("span", { class: "key removed", text: "removed line" }),
    hideRemovedToggle(main));
  drawTables(withDerived(data.tables, data.lines));
  // Hovering a quote lights up its speaker's mention.
  main.addEventListener("mouseover", (event) => {
    for (const lit of main.querySelectorAll(".lit")) lit.classList.remove("lit");
    const quote = event.target.closest(".quote, .speaker");
    if (!quote) return;
    const id = quote.dataset.id || quote.dataset.quote;
    const link = main.querySelector(`.speaker[data-quote="${id}"]`);
    const target = link && link.dataset.target && document.getElementById(link.dataset.target);
    if (target) target.classList.add("lit");
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUpTips();
  const page = document.body.dataset.page;
  if (page === "index") drawIndex();
  if (page === "article") drawArticle();
});
