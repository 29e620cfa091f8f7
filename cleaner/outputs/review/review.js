"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const INDEX = JSON.parse($("review-index").textContent);
  const DETS = INDEX.detectors;
  const ROWS = INDEX.rows;
  const LAYOUT = "layout";
  const state = {
    sortKey: "i", sortDir: 1, query: "", filters: new Set(), failedOnly: false,
    page: 0, selected: 0, open: null, dimmed: new Set(), order: [], shown: 0,
  };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function firedSum(row, dets) {
    let sum = 0;
    for (const d of dets) sum += row.fired[d] || 0;
    return sum;
  }

  function sortValue(row, key) {
    if (key === "fired") {
      if (state.filters.size) return firedSum(row, state.filters);
      return Object.keys(row.fired).length;
    }
    const value = row[key];
    if (value === null || value === undefined) return null;
    return typeof value === "string" ? value.toLowerCase() : value;
  }

  function compare(a, b) {
    const x = sortValue(a, state.sortKey), y = sortValue(b, state.sortKey);
    if (x === y) return a.i - b.i;
    if (x === null) return 1;  // failed inputs (no counts) last in either direction
    if (y === null) return -1;
    return (x < y ? -1 : 1) * state.sortDir;
  }

  function matches(row) {
    if (state.failedOnly && !row.error) return false;
    if (state.filters.size) {
      let any = false;
      for (const d of state.filters) if (row.fired[d]) { any = true; break; }
      if (!any) return false;
    }
    if (state.query) {
      const q = state.query;
      if (!row.path.toLowerCase().includes(q) && !row.title.toLowerCase().includes(q)) return false;
    }
    return true;
  }

  // A new sort or filter starts at the top of the new order.
  function recompute() {
    state.order = ROWS.filter(matches).sort(compare).map((row) => row.i);
    state.selected = 0;
    state.page = 0;
  }

  // ---- index -------------------------------------------------------------
  function detTag(d, lines) {
    const tag = el("span", "tag det-" + d, DETS[d].name + " " + lines);
    tag.dataset.detector = DETS[d].name;
    return tag;
  }

  function renderChips() {
    const box = $("chips");
    const totals = new Map();
    let failed = 0;
    for (const row of ROWS) {
      if (row.error) failed++;
      for (const d in row.fired) totals.set(d, (totals.get(d) || 0) + 1);
    }
    const names = [...totals.keys()].sort((a, b) => DETS[a].name.localeCompare(DETS[b].name));
    for (const d of names) {
      const chip = el("label", "chip det-" + d);
      const box2 = el("input");
      box2.type = "checkbox";
      box2.value = d;
      box2.addEventListener("change", () => {
        if (box2.checked) state.filters.add(d); else state.filters.delete(d);
        recompute(); renderIndex();
      });
      chip.dataset.detector = DETS[d].name;
      chip.title = "Show only inputs where " + DETS[d].name + " removed lines (" + totals.get(d) + " inputs)";
      chip.append(box2, document.createTextNode(DETS[d].name + " (" + totals.get(d) + ")"));
      box.append(chip);
    }
    if (failed) {
      const chip = el("label", "chip failed");
      const box2 = el("input");
      box2.type = "checkbox";
      box2.id = "failed-only";
      box2.addEventListener("change", () => { state.failedOnly = box2.checked; recompute(); renderIndex(); });
      chip.append(box2, document.createTextNode("failed (" + failed + ")"));
      box.append(chip);
    }
  }

  function renderRow(row, position) {
    const tr = el("tr", row.error ? "failed" : "");
    tr.dataset.i = row.i;
    tr.dataset.position = position;
    if (position === state.selected) tr.classList.add("selected");
    tr.append(el("td", "num", row.i + 1), el("td", "path", row.path), el("td", "", row.lang));
    const title = el("td", "title", row.error ? "error: " + row.error : row.title);
    title.title = row.error || row.title;
    tr.append(title, el("td", "num", row.total), el("td", "num", row.kept), el("td", "num", row.removed));
    const fired = el("td");
    const box = el("div", "fired");
    const dets = Object.keys(row.fired).sort((a, b) => row.fired[b] - row.fired[a]);
    for (const d of dets) box.append(detTag(d, row.fired[d]));
    fired.append(box);
    tr.append(fired);
    tr.addEventListener("click", () => { state.selected = position; openInput(row.i, true); });
    return tr;
  }

  function renderIndex() {
    const size = INDEX.pageSize, total = state.order.length;
    const pages = Math.max(1, Math.ceil(total / size));
    state.page = Math.min(Math.max(0, state.page), pages - 1);
    const start = state.page * size, end = Math.min(total, start + size);
    const body = $("rows");
    const fragment = document.createDocumentFragment();
    for (let p = start; p < end; p++) fragment.append(renderRow(ROWS[state.order[p]], p));
    body.replaceChildren(fragment);
    const filtered = total === ROWS.length ? "" : " (filtered from " + ROWS.length + ")";
    $("count").textContent = total ? "showing " + (start + 1) + "\u2013" + end + " of " + total + filtered
      : "no input matches" + filtered;
    $("page-info").textContent = "page " + (state.page + 1) + " of " + pages;
    $("page-prev").disabled = state.page === 0;
    $("page-next").disabled = state.page >= pages - 1;
    for (const th of document.querySelectorAll("#table th")) {
      th.classList.remove("sorted-asc", "sorted-desc");
      if (th.dataset.key === state.sortKey) th.classList.add(state.sortDir > 0 ? "sorted-asc" : "sorted-desc");
    }
  }

  function select(position) {
    if (!state.order.length) return;
    state.selected = Math.min(Math.max(0, position), state.order.length - 1);
    const page = Math.floor(state.selected / INDEX.pageSize);
    if (page !== state.page) { state.page = page; renderIndex(); }
    for (const tr of $("rows").children) {
      const on = Number(tr.dataset.position) === state.selected;
      tr.classList.toggle("selected", on);
      if (on) tr.scrollIntoView({block: "nearest"});
    }
  }

  // ---- detail ------------------------------------------------------------
  function detailData(i) {
    const node = $("review-" + i);
    return node ? JSON.parse(node.textContent) : null;
  }

  function metaRow(list, label, value, cls) {
    if (value === null || value === undefined || value === "") return;
    list.append(el("dt", "", label), el("dd", cls || "", value));
  }

  function legendChip(d, text, hint) {
    const chip = el("button", "chip det-" + d, text);
    chip.type = "button";
    chip.dataset.detector = DETS[d].name;
    chip.title = hint;
    if (state.dimmed.has(String(d))) chip.classList.add("off");
    chip.addEventListener("click", () => {
      const key = String(d);
      if (state.dimmed.has(key)) state.dimmed.delete(key); else state.dimmed.add(key);
      chip.classList.toggle("off", state.dimmed.has(key));
      $("page").classList.toggle("dim-" + d, state.dimmed.has(key));
    });
    return chip;
  }

  function renderLegend(row, data) {
    const legend = $("legend");
    legend.replaceChildren();
    const rules = new Map();
    for (const [, , d, rule] of data.spans.concat(data.edits.map((e) => [0, 0, e[3], e[4]]))) {
      if (!rules.has(d)) rules.set(d, new Map());
      rules.get(d).set(rule, (rules.get(d).get(rule) || 0) + 1);
    }
    const order = [...rules.keys()].sort((a, b) => (row.fired[b] || 0) - (row.fired[a] || 0) || a - b);
    for (const d of order) {
      const parts = [...rules.get(d)].map(([rule, n]) => rule + (n > 1 ? " \u00d7" + n : ""));
      const count = row.fired[d] || 0;
      const lines = count ? ", " + count + (count === 1 ? " line" : " lines") : "";
      legend.append(legendChip(d, DETS[d].name + ": " + parts.join(" ") + lines, "Click to dim/undim " +
        DETS[d].name + "'s highlights"));
    }
    if (!order.length) legend.append(el("span", "muted", "nothing removed"));
  }

  function lineNode(number, text, badge, edits) {
    const line = el("div", "l");
    line.dataset.line = number;
    line.append(el("span", "n", number));
    const label = el("span", "b");
    if (badge) label.append(badge);
    line.append(label);
    const body = el("span", "t");
    if (edits && edits.length) {
      let at = 0;
      for (const [, start, end, d, rule] of edits) {
        if (start < at) continue;
        body.append(document.createTextNode(text.slice(at, start)));
        const cut = el("del", "edit det-" + d, text.slice(start, end));
        cut.dataset.detector = DETS[d].name;
        cut.title = DETS[d].name + " " + rule + ": cut from the kept line";
        body.append(cut);
        at = end;
      }
      body.append(document.createTextNode(text.slice(at)));
    } else {
      body.textContent = text;
    }
    line.append(body);
    return line;
  }

  // Blocks: a kept line, or a removed span cut into pieces of at most chunkLines lines.
  function blocks(data) {
    const starts = new Map();
    for (const span of data.spans) starts.set(span[0], span);
    const out = [];
    const n = data.lines.length;
    for (let number = 1; number <= n;) {
      const span = starts.get(number);
      if (!span) { out.push({first: number, last: number, span: null}); number++; continue; }
      const last = Math.min(span[1], n);
      for (let first = number; first <= last; first += INDEX.chunkLines) {
        out.push({first: first, last: Math.min(last, first + INDEX.chunkLines - 1), span: span,
          cont: first !== number});
      }
      number = last + 1;
    }
    return out;
  }

  function blockNode(block, data, editsByLine) {
    if (!block.span) {
      const kept = el("div", "kept");
      kept.append(lineNode(block.first, data.lines[block.first - 1], null, editsByLine.get(block.first)));
      return kept;
    }
    const [first, last, d, rule, reason] = block.span;
    const name = DETS[d].name;
    const box = el("div", "span det-" + d);
    box.dataset.detector = name;
    box.dataset.rule = rule;
    box.title = name + " " + rule + " (lines " + first + "\u2013" + last + ")" + (reason ? ": " + reason : "");
    for (let number = block.first; number <= block.last; number++) {
      let badge = null;
      if (number === block.first && name !== LAYOUT) {
        badge = el("span", "badge", name + " " + rule + (block.cont ? " (cont.)" : ""));
      }
      box.append(lineNode(number, data.lines[number - 1], badge, null));
    }
    return box;
  }

  function renderMore() {
    const view = state.view;
    const page = $("page");
    const fragment = document.createDocumentFragment();
    let lines = 0;
    while (view.next < view.blocks.length && lines < INDEX.chunkLines) {
      const block = view.blocks[view.next++];
      fragment.append(blockNode(block, view.data, view.edits));
      lines += block.last - block.first + 1;
    }
    page.append(fragment);
    const more = $("more");
    const left = view.blocks.length ? view.data.lines.length - view.blocks[view.next - 1].last : 0;
    more.hidden = view.next >= view.blocks.length;
    more.textContent = "show " + Math.min(left, INDEX.chunkLines) + " more lines (" + left + " left)";
  }

  function renderDetail(i) {
    const row = ROWS[i];
    const data = detailData(i);
    $("detail-path").textContent = row.path;
    const position = state.order.indexOf(i);
    $("position").textContent = position >= 0 ? "input " + (position + 1) + " of " + state.order.length
      : "input #" + (i + 1) + " (hidden by the filter)";
    $("prev").disabled = position <= 0;
    $("next").disabled = position < 0 || position >= state.order.length - 1;
    const meta = $("meta");
    meta.replaceChildren();
    const page = $("page");
    page.replaceChildren();
    page.className = "page";
    for (const d of state.dimmed) page.classList.add("dim-" + d);
    if (!data) {
      metaRow(meta, "error", row.error || "not cleaned", "error");
      $("legend").replaceChildren();
      $("more").hidden = true;
      state.view = null;
      return;
    }
    const m = data.metadata || {};
    metaRow(meta, "title", m.title);
    metaRow(meta, "author", m.author);
    metaRow(meta, "date", m.date);
    metaRow(meta, "language", m.language);
    metaRow(meta, "lines", row.total + " total, " + row.kept + " kept, " + row.removed + " removed");
    metaRow(meta, "encoding", data.encoding);
    metaRow(meta, "output", data.output);
    for (const note of data.notes || []) metaRow(meta, "note", note);
    renderLegend(row, data);
    const edits = new Map();
    for (const edit of data.edits) {
      if (!edits.has(edit[0])) edits.set(edit[0], []);
      edits.get(edit[0]).push(edit);
    }
    for (const list of edits.values()) list.sort((a, b) => a[1] - b[1]);
    state.view = {data: data, blocks: blocks(data), next: 0, edits: edits};
    renderMore();
  }

  function openInput(i, push) {
    state.open = i;
    const position = state.order.indexOf(i);
    if (position >= 0) state.selected = position;
    $("index").hidden = true;
    $("detail").hidden = false;
    renderDetail(i);
    window.scrollTo(0, 0);
    const hash = "#input=" + (i + 1);
    try {
      if (push) history.pushState({i: i}, "", hash); else history.replaceState({i: i}, "", hash);
    } catch (e) { /* file:// in some browsers: the view still works without history */ }
  }

  function showIndex(push) {
    state.open = null;
    $("detail").hidden = true;
    $("index").hidden = false;
    state.page = Math.floor(state.selected / INDEX.pageSize);
    renderIndex();
    select(state.selected);
    if (push) {
      try { history.pushState(null, "", location.pathname + location.search); } catch (e) { /* see above */ }
    }
  }

  function step(delta) {
    if (state.open === null) { select(state.selected + delta); return; }
    const position = state.order.indexOf(state.open) + delta;
    if (position >= 0 && position < state.order.length) openInput(state.order[position], false);
  }

  function fromHash() {
    const match = /^#input=(\d+)$/.exec(location.hash);
    const i = match ? Number(match[1]) - 1 : -1;
    if (i >= 0 && i < ROWS.length) openInput(i, false); else showIndex(false);
  }

  // ---- keys and wiring ---------------------------------------------------
  function toggleHelp(show) {
    $("help").hidden = show === undefined ? !$("help").hidden : !show;
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = event.target instanceof HTMLInputElement && event.target.type !== "checkbox";
    if (typing) {
      if (event.key === "Escape" || event.key === "Enter") { event.target.blur(); event.preventDefault(); }
      return;
    }
    const inDetail = state.open !== null;
    const key = event.key;
    if (key === "?") { toggleHelp(); }
    else if (key === "Escape") {
      if (!$("help").hidden) toggleHelp(false); else if (inDetail) showIndex(true);
    }
    else if (key === "j" || (key === "ArrowDown" && !inDetail) || (key === "ArrowRight" && inDetail)) step(1);
    else if (key === "k" || (key === "ArrowUp" && !inDetail) || (key === "ArrowLeft" && inDetail)) step(-1);
    else if (key === "Enter" && !inDetail && state.order.length) openInput(state.order[state.selected], true);
    else if (key === "/" && !inDetail) { $("search").focus(); }
    else if (key === "n" && !inDetail) select((state.page + 1) * INDEX.pageSize);
    else if (key === "p" && !inDetail) select((state.page - 1) * INDEX.pageSize);
    else return;
    event.preventDefault();
  }

  function summary() {
    let total = 0, removed = 0, failed = 0;
    for (const row of ROWS) {
      if (row.error) { failed++; continue; }
      total += row.total; removed += row.removed;
    }
    return ROWS.length + " inputs" + (failed ? " (" + failed + " failed)" : "") + ", " + total +
      " lines, " + removed + " removed";
  }

  function init() {
    $("summary").textContent = summary();
    renderChips();
    for (const th of document.querySelectorAll("#table th")) {
      th.addEventListener("click", () => {
        const key = th.dataset.key;
        if (state.sortKey === key) state.sortDir = -state.sortDir;
        else { state.sortKey = key; state.sortDir = ["i", "path", "lang", "title"].includes(key) ? 1 : -1; }
        recompute(); renderIndex();
      });
    }
    $("search").addEventListener("input", (event) => {
      state.query = event.target.value.trim().toLowerCase(); recompute(); renderIndex();
    });
    $("page-prev").addEventListener("click", () => { select((state.page - 1) * INDEX.pageSize); });
    $("page-next").addEventListener("click", () => { select((state.page + 1) * INDEX.pageSize); });
    $("back").addEventListener("click", () => showIndex(true));
    $("prev").addEventListener("click", () => step(-1));
    $("next").addEventListener("click", () => step(1));
    $("more").addEventListener("click", renderMore);
    $("help-button").addEventListener("click", () => toggleHelp());
    $("help").addEventListener("click", (event) => { if (event.target === $("help")) toggleHelp(false); });
    document.addEventListener("keydown", onKey);
    window.addEventListener("popstate", fromHash);
    recompute();
    fromHash();
    document.body.dataset.ready = "1";
  }

  init();
})();
