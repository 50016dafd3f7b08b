(function () {
  "use strict";
  // All document text reaches the page through textContent / createTextNode, never innerHTML.
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var PAGE = 20;
  var state = { page: 0, rule: null, site: null, query: "", stages: {}, changedOnly: false, order: "input" };
  var keep = [];       // keep patterns collected with "Keep this", in the order they were added
  var ruleDocs = {};   // rule -> Set of document indexes where it fired
  var lowered = [];    // search haystacks, built on first search
  var byShare = null;  // document indexes, most removed first, built on first use

  DATA.stages.forEach(function (s) { state.stages[s] = true; });
  Object.keys(DATA.rules).forEach(function (r) { ruleDocs[r] = new Set(DATA.rules[r].docs); });

  function $(id) { return document.getElementById(id); }
  function colour(stage) { return DATA.colours[stage] || "#d1d5db"; }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function ruleLink(rule, cls) {
    var a = el("a", cls);
    a.href = "#rule=" + encodeURIComponent(rule);
    return a;
  }

  // -- which documents ---------------------------------------------------------------------

  function haystack(i) {
    if (lowered[i] === undefined) {
      var d = DATA.docs[i];
      lowered[i] = (d.id + "\n" + d.source + "\n" + d.text).toLowerCase();
    }
    return lowered[i];
  }

  function matches(i) {
    if (state.changedOnly && !DATA.docs[i].edits.length) return false;
    if (state.rule && !ruleDocs[state.rule].has(i)) return false;
    if (state.site !== null && DATA.docs[i].site !== state.site) return false;
    return !state.query || haystack(i).indexOf(state.query) >= 0;
  }

  function order() {
    if (state.order !== "share") return DATA.docs.map(function (_, i) { return i; });
    if (!byShare) {
      byShare = DATA.docs.map(function (_, i) { return i; });
      byShare.sort(function (a, b) { return DATA.docs[b].share - DATA.docs[a].share || a - b; });
    }
    return byShare;
  }

  // -- one document ------------------------------------------------------------------------

  function hidden(edit) { return (state.rule && edit.rule !== state.rule) || !state.stages[edit.stage]; }

  function tooltip(edit) {
    var lines = [edit.stage + " / " + edit.rule + " (" + edit.action + ")"];
    Object.keys(edit.detail || {}).forEach(function (k) { lines.push(k + ": " + JSON.stringify(edit.detail[k])); });
    return lines.join("\n");
  }

  // Runs of blank lines show as one gap: a page that starts with hundreds of empty lines
  // does not start with a screen of white.
  function gaps(text, first) {
    text = text.replace(/(?:[ \t]*\n){3,}/g, "\n\n");
    return first ? text.replace(/^(?:[ \t]*\n)+/, "") : text;
  }

  function fillMark(mark, text) {
    // Removed line breaks get a visible glyph (one per run, with its count), so a struck
    // "\n\n" is not an empty stripe and a struck run of blank lines is one line.
    text.split(/(\n(?:[ \t]*\n)*)/).forEach(function (piece, n) {
      if (n % 2) {
        var breaks = piece.split("\n").length - 1;
        mark.appendChild(el("span", "nl", "\u21b5" + (breaks > 1 ? "\u00d7" + breaks : "")));
        mark.appendChild(document.createTextNode("\n"));
      } else if (piece) {
        mark.appendChild(document.createTextNode(piece));
      }
    });
  }

  function renderMark(doc, edit) {
    var mark = el("del", "mark");
    fillMark(mark, doc.text.slice(edit.s, edit.e));
    mark.dataset.rule = edit.rule;
    mark.dataset.stage = edit.stage;
    mark.style.background = colour(edit.stage);
    mark.title = tooltip(edit);
    mark.addEventListener("click", function () { showDetail(doc, edit, mark); });
    return mark;
  }

  function renderText(doc) {
    var box = el("div", "text"), cursor = 0;
    doc.edits.forEach(function (edit) {
      box.appendChild(document.createTextNode(gaps(doc.text.slice(cursor, edit.s), cursor === 0)));
      var mark = renderMark(doc, edit), off = hidden(edit);
      if (off) mark.classList.add("hidden-rule");
      box.appendChild(mark);
      if (edit.repl) box.appendChild(off ? document.createTextNode(edit.repl) : el("ins", "repl", edit.repl));
      cursor = edit.e;
    });
    box.appendChild(document.createTextNode(gaps(doc.text.slice(cursor), cursor === 0)));
    return box;
  }

  function renderDoc(doc) {
    var card = el("article", "doc");
    card.appendChild(el("h3", null, doc.id || doc.source));
    var pct = (doc.share * 100).toFixed(1) + "%";
    var where = doc.source && doc.source !== doc.id ? doc.source + " \u00b7 " : "";
    var meta = el("div", "meta");
    if (doc.url) meta.appendChild(el("span", "url", doc.url + " \u00b7 "));
    if (doc.site && doc.site !== doc.url) meta.appendChild(el("span", "site", "site " + doc.site + " \u00b7 "));
    meta.appendChild(document.createTextNode(where + doc.edits.length + " changes \u00b7 " + pct + " of text removed"));
    var bar = el("span", "share"), fill = el("span");
    fill.style.width = pct;
    bar.title = pct + " removed";
    bar.appendChild(fill);
    meta.appendChild(bar);
    card.appendChild(meta);
    card.appendChild(renderText(doc));
    return card;
  }

  // -- the removal panel -------------------------------------------------------------------

  function row(list, label, value) {
    list.appendChild(el("dt", null, label));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    list.appendChild(dd);
  }

  function showDetail(doc, edit, mark) {
    var list = $("detail"), link = ruleLink(edit.rule);
    list.textContent = "";
    link.textContent = edit.rule + " (documents where it fired)";
    row(list, "document", doc.id);
    row(list, "stage", edit.stage);
    row(list, "rule", link);
    row(list, "action", edit.action);
    row(list, "removed", JSON.stringify(doc.text.slice(edit.s, edit.e))
      .replace(/(?:\\n){3,}/g, function (run) { return "\\n\u00d7" + run.length / 2 + " "; }));
    if (edit.repl) row(list, "replaced by", JSON.stringify(edit.repl));
    Object.keys(edit.detail || {}).forEach(function (k) { row(list, k, JSON.stringify(edit.detail[k])); });
    if (edit.merged) row(list, "absorbed", edit.merged.join(", "));
    if (!edit.repl) {
      var button = el("button", "keep-this", "Keep this");
      button.type = "button";
      button.title = "Add a keep pattern for the removed line(s) to the snippet below";
      button.addEventListener("click", function () { addKeep(doc.text.slice(edit.s, edit.e)); });
      row(list, "wrong?", button);
    }
    $("detail-panel").hidden = false;
    document.querySelectorAll("del.mark.selected").forEach(function (m) { m.classList.remove("selected"); });
    mark.classList.add("selected");
  }

  // -- keep patterns -----------------------------------------------------------------------

  function escapeRegex(text) { return text.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&"); }

  // One pattern per removed line: the whole line, spaces around it allowed. cleaner keeps
  // every line a keep pattern matches.
  function addKeep(text) {
    text.split("\n").map(function (line) { return line.trim(); }).filter(Boolean).forEach(function (line) {
      var pattern = "^\\s*" + escapeRegex(line) + "\\s*$";
      if (keep.indexOf(pattern) < 0) keep.push(pattern);
    });
    renderKeep();
  }

  function keepToml() {
    // JSON string syntax is valid TOML basic-string syntax for these patterns.
    return "[patterns]\nkeep = [\n" + keep.map(function (p) { return "    " + JSON.stringify(p) + ",\n"; }).join("") + "]\n";
  }

  function renderKeep() {
    $("keep-panel").hidden = keep.length === 0;
    $("keep-toml").textContent = keep.length ? keepToml() : "";
  }

  // -- the page ----------------------------------------------------------------------------

  function renderDocs() {
    var list = order().filter(matches);
    var pages = Math.max(1, Math.ceil(list.length / PAGE));
    state.page = Math.max(0, Math.min(state.page, pages - 1));
    var box = $("docs");
    box.textContent = "";
    list.slice(state.page * PAGE, (state.page + 1) * PAGE).forEach(function (i) { box.appendChild(renderDoc(DATA.docs[i])); });
    $("page-info").textContent = "page " + (state.page + 1) + " of " + pages + " \u00b7 " + list.length + " documents";
    $("prev").disabled = state.page === 0;
    $("next").disabled = state.page >= pages - 1;
    $("empty").hidden = list.length > 0;
  }

  function renderRules() {
    var box = $("rules"), names = Object.keys(DATA.rules), max = 1;
    box.textContent = "";
    names.forEach(function (r) { max = Math.max(max, DATA.rules[r].count); });
    names.forEach(function (rule) {
      var info = DATA.rules[rule], active = state.rule === rule;
      var link = ruleLink(rule, "rule-row" + (active ? " active" : ""));
      if (active) link.href = "#";
      link.dataset.rule = rule;
      link.title = info.count + " times in " + info.docs.length + " documents";
      link.appendChild(el("span", "count", String(info.count)));
      link.appendChild(el("span", "name", rule));
      link.appendChild(el("span", "stage", info.stage));
      var bar = el("div", "bar");
      bar.style.width = (100 * info.count / max) + "%";
      bar.style.background = colour(info.stage);
      link.appendChild(bar);
      box.appendChild(link);
    });
    $("clear-rule").hidden = !state.rule;
  }

  function renderSites() {
    var box = $("sites"), names = Object.keys(DATA.sites);
    box.textContent = "";
    $("sites-panel").hidden = names.length < 2 && !(names.length === 1 && names[0]);
    names.forEach(function (site) {
      var info = DATA.sites[site], active = state.site === site;
      var link = el("a", "site-row" + (active ? " active" : ""));
      link.href = "#";
      link.dataset.site = site;
      link.appendChild(el("span", "count", info.docs + " docs \u00b7 " + (info.share * 100).toFixed(1) + "%"));
      link.appendChild(el("span", "name", site || "(no site)"));
      link.title = info.changes + " changes in " + info.docs + " documents; " + (info.share * 100).toFixed(1) + "% of their text removed";
      link.addEventListener("click", function (e) {
        e.preventDefault();
        state.site = active ? null : site;
        state.page = 0;
        renderSites();
        renderDocs();
      });
      box.appendChild(link);
    });
  }

  function renderStages() {
    var counts = {};
    DATA.docs.forEach(function (d) { d.edits.forEach(function (e) { counts[e.stage] = (counts[e.stage] || 0) + 1; }); });
    DATA.stages.forEach(function (stage) {
      var label = el("label", "stage-toggle"), box = el("input"), sw = el("span", "swatch");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.stage = stage;
      box.addEventListener("change", function () { state.stages[stage] = box.checked; renderDocs(); });
      sw.style.background = colour(stage);
      label.appendChild(box);
      label.appendChild(sw);
      label.appendChild(document.createTextNode(stage));
      label.appendChild(el("span", "n", String(counts[stage])));
      $("stages").appendChild(label);
    });
  }

  function renderSummary() {
    var chars = 0, removed = 0, changes = 0;
    DATA.docs.forEach(function (d) { chars += d.text.length; removed += d.share * d.text.length; changes += d.edits.length; });
    $("summary").textContent = DATA.docs.length + " documents \u00b7 " + changes + " changes \u00b7 " +
      Object.keys(DATA.rules).length + " rules fired \u00b7 " + (chars ? (100 * removed / chars).toFixed(1) : "0.0") + "% of text removed";
  }

  function refresh() { renderRules(); renderDocs(); }

  function fromHash() {
    var m = /^#rule=(.+)$/.exec(location.hash), rule = m ? decodeURIComponent(m[1]) : null;
    // Only a rule of this report: "#rule=constructor" names a property every object inherits.
    state.rule = rule && Object.prototype.hasOwnProperty.call(DATA.rules, rule) ? rule : null;
    state.page = 0;
    refresh();
  }

  function goto(page) {
    state.page = page;
    renderDocs();
    $("content").scrollIntoView();
  }

  function wire() {
    var timer = null;
    $("search").addEventListener("input", function (e) {
      clearTimeout(timer);
      timer = setTimeout(function () { state.query = e.target.value.trim().toLowerCase(); state.page = 0; renderDocs(); }, 120);
    });
    $("changed-only").addEventListener("change", function (e) { state.changedOnly = e.target.checked; state.page = 0; renderDocs(); });
    $("order").addEventListener("change", function (e) { state.order = e.target.value; state.page = 0; renderDocs(); });
    $("prev").addEventListener("click", function () { goto(state.page - 1); });
    $("next").addEventListener("click", function () { goto(state.page + 1); });
    $("keep-copy").addEventListener("click", function () {
      var text = keepToml();
      if (navigator.clipboard) navigator.clipboard.writeText(text).catch(function () {});
      var range = document.createRange();
      range.selectNodeContents($("keep-toml"));
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
    });
    $("keep-clear").addEventListener("click", function () { keep = []; renderKeep(); });
    window.addEventListener("hashchange", fromHash);
  }

  wire();
  renderSummary();
  renderStages();
  renderSites();
  fromHash();
})();
