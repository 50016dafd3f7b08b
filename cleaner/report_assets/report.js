(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var PAGE = 20;
  var COLOURS = { yellow: "#fde68a", magenta: "#f5c2f0", red: "#fecaca", cyan: "#bae6fd", blue: "#c7d2fe",
                  bright_red: "#fda4af", bright_magenta: "#e9d5ff", dim: "#e5e7eb" };
  var state = { page: 0, rule: null, query: "", stages: {} };
  DATA.stages.forEach(function (s) { state.stages[s] = true; });

  function colour(stage) { return COLOURS[DATA.colours[stage]] || "#fecaca"; }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function matches(doc, index) {
    if (state.rule && DATA.rules[state.rule].docs.indexOf(index) < 0) return false;
    if (state.query) {
      var q = state.query.toLowerCase();
      if (doc.id.toLowerCase().indexOf(q) < 0 && doc.text.toLowerCase().indexOf(q) < 0) return false;
    }
    return true;
  }

  function renderText(doc) {
    var box = el("div", "text");
    var cursor = 0;
    doc.edits.forEach(function (edit) {
      box.appendChild(document.createTextNode(doc.text.slice(cursor, edit.s)));
      var mark = el("del", "mark", doc.text.slice(edit.s, edit.e));
      mark.dataset.rule = edit.rule;
      mark.dataset.stage = edit.stage;
      mark.style.background = colour(edit.stage);
      mark.title = edit.stage + " / " + edit.rule + (edit.detail && Object.keys(edit.detail).length ? "\n" + JSON.stringify(edit.detail) : "");
      var hidden = (state.rule && edit.rule !== state.rule) || !state.stages[edit.stage];
      if (hidden) mark.classList.add("hidden-rule");
      mark.addEventListener("click", function () { showDetail(doc, edit); });
      box.appendChild(mark);
      if (edit.repl) box.appendChild(el("ins", "repl", edit.repl));
      cursor = edit.e;
    });
    box.appendChild(document.createTextNode(doc.text.slice(cursor)));
    return box;
  }

  function showDetail(doc, edit) {
    document.getElementById("detail-panel").hidden = false;
    document.getElementById("detail").textContent = JSON.stringify({
      document: doc.id, stage: edit.stage, rule: edit.rule, action: edit.action,
      start: edit.s, end: edit.e, removed: doc.text.slice(edit.s, edit.e), replacement: edit.repl, detail: edit.detail
    }, null, 2);
  }

  function renderDocs() {
    var list = [];
    DATA.docs.forEach(function (doc, i) { if (matches(doc, i)) list.push(doc); });
    var pages = Math.max(1, Math.ceil(list.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    var box = document.getElementById("docs");
    box.textContent = "";
    list.slice(state.page * PAGE, (state.page + 1) * PAGE).forEach(function (doc) {
      var card = el("article", "doc");
      card.appendChild(el("h3", null, doc.id || doc.source));
      var meta = el("div", "meta", doc.source + " · " + doc.edits.length + " changes · " + (doc.share * 100).toFixed(1) + "% of text removed");
      var bar = el("span", "share"); var fill = el("span"); fill.style.width = (doc.share * 100) + "%";
      bar.appendChild(fill); meta.appendChild(bar);
      card.appendChild(meta);
      card.appendChild(renderText(doc));
      box.appendChild(card);
    });
    document.getElementById("page-info").textContent = "page " + (state.page + 1) + " of " + pages + " · " + list.length + " documents";
    document.getElementById("prev").disabled = state.page === 0;
    document.getElementById("next").disabled = state.page >= pages - 1;
  }

  function renderRules() {
    var box = document.getElementById("rules");
    box.textContent = "";
    var max = 1;
    Object.keys(DATA.rules).forEach(function (r) { max = Math.max(max, DATA.rules[r].count); });
    Object.keys(DATA.rules).forEach(function (rule) {
      var info = DATA.rules[rule];
      var row = el("div", "rule-row" + (state.rule === rule ? " active" : ""));
      row.dataset.rule = rule;
      row.appendChild(el("span", "count", String(info.count)));
      row.appendChild(el("span", "name", rule));
      var bar = el("div", "bar"); bar.style.width = (100 * info.count / max) + "%"; bar.style.background = colour(info.stage);
      row.appendChild(bar);
      row.addEventListener("click", function () { state.rule = state.rule === rule ? null : rule; state.page = 0; refresh(); });
      box.appendChild(row);
    });
    document.getElementById("clear-rule").hidden = !state.rule;
  }

  function renderStages() {
    var box = document.getElementById("stages");
    DATA.stages.forEach(function (stage) {
      var label = el("label", "stage-toggle");
      var box2 = el("input"); box2.type = "checkbox"; box2.checked = true; box2.dataset.stage = stage;
      box2.addEventListener("change", function () { state.stages[stage] = box2.checked; renderDocs(); });
      var sw = el("span", "swatch"); sw.style.background = colour(stage);
      label.appendChild(box2); label.appendChild(sw); label.appendChild(document.createTextNode(stage));
      box.appendChild(label);
    });
  }

  function refresh() { renderRules(); renderDocs(); }

  var total = DATA.docs.length, changes = 0;
  DATA.docs.forEach(function (d) { changes += d.edits.length; });
  document.getElementById("summary").textContent = total + " documents · " + changes + " changes · " + Object.keys(DATA.rules).length + " rules fired";
  document.getElementById("search").addEventListener("input", function (e) { state.query = e.target.value; state.page = 0; renderDocs(); });
  document.getElementById("prev").addEventListener("click", function () { state.page--; renderDocs(); });
  document.getElementById("next").addEventListener("click", function () { state.page++; renderDocs(); });
  document.getElementById("clear-rule").addEventListener("click", function () { state.rule = null; refresh(); });
  renderStages();
  refresh();
})();
