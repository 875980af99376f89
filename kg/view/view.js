// kg graph view: filters, search, side panel and a seeded layout that is frozen once stable.
// Paper text is untrusted: it is only ever inserted with textContent, never as HTML.
(function () {
  "use strict";
  var t0 = performance.now();
  var violations = [];
  document.addEventListener("securitypolicyviolation", function (e) {
    violations.push(e.violatedDirective + " " + e.blockedURI);
  });
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var details = DATA.details;
  function sentence(i) { return i === null || i === undefined ? "" : DATA.sentences[i]; }
  var typeColor = {};
  DATA.types.forEach(function (t) { typeColor[t[0]] = t[1]; });

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // ---- state: which types / relations are on, minimum degree, nodes pinned by search ----
  var state = { types: {}, rels: {}, minDegree: DATA.initial.minDegree, pinned: {} };
  DATA.types.forEach(function (t) { state.types[t[0]] = DATA.initial.hiddenTypes.indexOf(t[0]) < 0; });
  DATA.rels.forEach(function (r) { state.rels[r[0]] = true; });

  var byId = {};
  var adjacency = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; adjacency[n.id] = []; });
  DATA.edges.forEach(function (e) {
    e.title = e.rel;
    e.label = e.rel;
    adjacency[e.from].push(e.to);
    adjacency[e.to].push(e.from);
  });
  var placed = {};
  var placedCount = 0;

  function nodeVisible(n) {
    return state.pinned[n.id] || (state.types[n.kind] && n.degree >= state.minDegree);
  }
  function edgeVisible(e, shown) {
    return state.rels[e.rel] && shown[e.from] && shown[e.to];
  }
  function visibility() {
    var shown = {};
    DATA.nodes.forEach(function (n) { shown[n.id] = !!nodeVisible(n); });
    return shown;
  }

  // Apply the initial filters before the network exists, so hidden nodes cost no layout time.
  var shown0 = visibility();
  DATA.nodes.forEach(function (n) { n.hidden = !shown0[n.id]; n.physics = shown0[n.id]; });
  DATA.edges.forEach(function (e) { e.hidden = !edgeVisible(e, shown0); e.physics = !e.hidden; });
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var network = new vis.Network($("network"), { nodes: nodes, edges: edges }, DATA.options);

  // Timings are milliseconds since navigation start (the file's parse included).
  var view = {
    network: network, nodes: nodes, edges: edges, state: state, violations: violations,
    settled: false, timings: { script: t0, network: performance.now() }, shownNodes: 0, shownEdges: 0
  };
  window.kgView = view;

  network.once("afterDrawing", function () { view.timings.firstDraw = performance.now(); });
  network.on("stabilizationProgress", function (p) {
    var pct = Math.round(100 * p.iterations / p.total);
    $("loading-fill").style.width = pct + "%";
    $("loading-text").textContent = "Laying out the graph… " + pct + "%";
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });  // frozen: no endless jiggling
    DATA.nodes.forEach(function (n) { if (shown0[n.id]) { placed[n.id] = true; placedCount++; } });
    $("loading").className = "done";
    view.settled = true;
    view.timings.settled = performance.now();
    hubLabels();
  });

  // The biggest entity hubs keep a readable label at any zoom (others appear as you zoom in).
  var HUBS = 12;
  var hubs = DATA.nodes.filter(function (n) { return /^(Method|Dataset|Metric|Task)$/.test(n.kind); })
    .sort(function (a, b) { return b.degree - a.degree || (a.id < b.id ? -1 : 1); }).slice(0, HUBS);
  var hubSize = 0;
  function hubLabels() {
    var size = Math.max(12, Math.round(11 / network.getScale()));
    if (size === hubSize) return;
    hubSize = size;
    nodes.update(hubs.map(function (n) { return { id: n.id, font: { size: size } }; }));
  }
  var hubFrame = null;
  network.on("zoom", function () {
    if (hubFrame === null) hubFrame = requestAnimationFrame(function () { hubFrame = null; hubLabels(); });
  });

  // ---- filters ----
  function place(id, positions) {
    // A node shown for the first time goes next to a placed neighbour (golden-angle ring).
    var anchor = null;
    for (var i = 0; i < adjacency[id].length && !anchor; i++) if (placed[adjacency[id][i]]) anchor = adjacency[id][i];
    var k = placedCount++;
    var angle = k * 2.39996;
    var base = { x: 0, y: 0 };
    if (anchor) {
      if (!positions[anchor]) positions[anchor] = network.getPosition(anchor);  // may be hidden
      base = positions[anchor];
    }
    var radius = anchor ? 40 + 6 * (k % 7) : 400 + 2 * Math.sqrt(k) * 20;
    placed[id] = true;
    positions[id] = { x: base.x + radius * Math.cos(angle), y: base.y + radius * Math.sin(angle) };
    return positions[id];
  }

  function apply() {
    var shown = visibility();
    var positions = {};
    var nodeUpdates = [];
    var edgeUpdates = [];
    var count = 0;
    DATA.nodes.forEach(function (n) {
      var hidden = !shown[n.id];
      if (!hidden) count++;
      if (hidden === n.hidden) return;
      n.hidden = hidden;
      var update = { id: n.id, hidden: hidden };
      if (!hidden && view.settled && !placed[n.id]) {
        var p = place(n.id, positions);
        update.x = p.x; update.y = p.y;
      }
      nodeUpdates.push(update);
    });
    var ecount = 0;
    DATA.edges.forEach(function (e) {
      var hidden = !edgeVisible(e, shown);
      if (!hidden) ecount++;
      if (hidden === e.hidden) return;
      e.hidden = hidden;
      edgeUpdates.push({ id: e.id, hidden: hidden });
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    view.shownNodes = count;
    view.shownEdges = ecount;
    $("stats").textContent = count.toLocaleString("en") + " of " + DATA.nodes.length.toLocaleString("en") +
      " nodes, " + ecount.toLocaleString("en") + " of " + DATA.edges.length.toLocaleString("en") + " edges shown";
    var reduced = DATA.initial.message && (DATA.initial.hiddenTypes.some(function (t) { return !state.types[t]; }) ||
      state.minDegree >= DATA.initial.minDegree && DATA.initial.minDegree > 0);
    $("notice").hidden = !reduced;
  }
  view.apply = apply;

  function legendRow(list, key, color, shapeClass, count, checked, onChange) {
    var li = el("li");
    var label = el("label");
    var box = el("input", { type: "checkbox", "data-key": key });
    box.checked = checked;
    box.addEventListener("change", function () { onChange(box.checked); });
    var sw = el("span", { "class": shapeClass });
    sw.style.background = color;
    label.appendChild(box);
    label.appendChild(sw);
    label.appendChild(el("span", {}, key));
    label.appendChild(el("span", { "class": "count" }, count.toLocaleString("en")));
    li.appendChild(label);
    list.appendChild(li);
  }
  DATA.types.forEach(function (t) {
    legendRow($("type-filters"), t[0], t[1], "swatch " + t[2], t[3], state.types[t[0]], function (on) {
      state.types[t[0]] = on; apply();
    });
  });
  DATA.rels.forEach(function (r) {
    legendRow($("rel-filters"), r[0], r[1], "line", r[2], true, function (on) {
      state.rels[r[0]] = on; apply();
    });
  });
  var maxDegree = DATA.nodes.reduce(function (m, n) { return Math.max(m, n.degree); }, 0);
  var slider = $("min-degree");
  slider.max = String(Math.min(Math.max(maxDegree, 1), 30));
  slider.value = String(state.minDegree);
  $("degree-value").textContent = String(state.minDegree);
  slider.addEventListener("input", function () {
    state.minDegree = Number(slider.value);
    $("degree-value").textContent = slider.value;
    apply();
  });
  $("edge-labels").addEventListener("change", function () {
    var on = $("edge-labels").checked;
    network.setOptions({ edges: { font: { size: on ? 10 : 0 } } });  // labels are set, size 0 hides
  });
  $("notice-text").textContent = DATA.initial.message;
  $("show-all").addEventListener("click", function () { showAll(); });
  function showAll() {
    Object.keys(state.types).forEach(function (t) { state.types[t] = true; });
    Object.keys(state.rels).forEach(function (r) { state.rels[r] = true; });
    state.minDegree = 0;
    slider.value = "0";
    $("degree-value").textContent = "0";
    document.querySelectorAll("#filters input[type=checkbox][data-key]").forEach(function (b) { b.checked = true; });
    apply();
  }
  view.showAll = showAll;

  // ---- side panel ----
  function jump(target, text) {
    if (!target || !byId[target]) return el("span", {}, text);
    var a = el("span", { "class": "jump", role: "link", tabindex: "0", "data-node": target }, text);
    a.addEventListener("click", function () { select(target); });
    return a;
  }
  function externalLink(url) {
    if (!/^https?:\/\//i.test(url)) return el("span", {}, url);
    return el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, url);
  }
  function heading(body, text) { body.appendChild(el("h4", {}, text)); }
  function list(body, rows, render) {
    var ul = el("ul");
    rows.forEach(function (row) { var li = el("li"); render(li, row); ul.appendChild(li); });
    body.appendChild(ul);
  }
  function highlighted(text, spans, field) {
    // The text with its mentions as <mark>s; spans are [field, start, end, type, nodeId].
    var out = el("div", { "class": field });
    var at = 0;
    spans.filter(function (s) { return s[0] === field; }).forEach(function (s) {
      if (s[1] < at) return;  // overlapping mention: keep the first
      out.appendChild(document.createTextNode(text.slice(at, s[1])));
      var mark = el("mark", { title: s[3], "data-node": s[4] || "" }, text.slice(s[1], s[2]));
      mark.style.background = (typeColor[s[3]] || "#ccc") + "40";
      mark.style.borderBottom = "2px solid " + (typeColor[s[3]] || "#ccc");
      if (s[4] && byId[s[4]]) mark.addEventListener("click", function () { select(s[4]); });
      out.appendChild(mark);
      at = s[2];
    });
    out.appendChild(document.createTextNode(text.slice(at)));
    return out;
  }

  function showPanel(id) {
    var d = details[id] || { kind: byId[id].kind, label: byId[id].label };
    var body = $("panel-body");
    body.textContent = "";
    var kind = el("span", { "class": "kind" }, d.kind);
    kind.style.background = typeColor[d.kind] || "#888";
    body.appendChild(kind);
    body.appendChild(el("h3", {}, d.title || d.label));
    body.appendChild(el("div", { "class": "meta" }, byId[id].degree + " connections"));
    if (/^https?:$/.test(window.location.protocol) && /^(paper|dataset|method|metric|task)\//.test(id)) {
      // Served (kg serve, or kg site on a web server): the node's page on the research site.
      var page = el("a", { "class": "site-page", href: id.split("/").map(encodeURIComponent).join("/") + "/" }, "Open its page");
      body.appendChild(el("div", { "class": "meta" })).appendChild(page);
    }
    if (d.kind === "Paper") {
      if (d.authors && d.authors.length) body.appendChild(el("div", { "class": "meta" }, d.authors.join(", ")));
      var when = (d.dates || []).join(", ");
      if (d.published) when = (when ? when + "; " : "") + "published " + d.published;
      if (when) body.appendChild(el("div", { "class": "meta" }, "Listed: " + when));
      heading(body, "Abstract");
      body.appendChild(highlighted(d.abstract || "", d.spans || [], "abstract"));
      if (d.code && d.code.length) { heading(body, "Code"); list(body, d.code, function (li, u) { li.appendChild(externalLink(u)); }); }
      if (d.pages && d.pages.length) { heading(body, "Project page"); list(body, d.pages, function (li, u) { li.appendChild(externalLink(u)); }); }
      if (d.listings && d.listings.length) { heading(body, "Listings"); list(body, d.listings, function (li, s) { li.textContent = s; }); }
    } else if (d.mentions) {
      if (d.aliases && d.aliases.length) { heading(body, "Aliases"); body.appendChild(el("div", {}, d.aliases.join(" · "))); }
      heading(body, "Mentioned in " + d.paperCount + " paper" + (d.paperCount === 1 ? "" : "s"));
      list(body, d.mentions, function (li, m) {
        li.appendChild(jump(m[0], m[1]));
        if (m[2] === "proposes") li.appendChild(el("em", {}, " (proposes)"));
        li.appendChild(el("span", { "class": "sentence" }, sentence(m[3])));
      });
      if (d.moreMentions) body.appendChild(el("div", { "class": "meta" }, "… and " + d.moreMentions + " more"));
      if (d.results && d.results.length) {
        heading(body, "Results");
        list(body, d.results, function (li, r) {
          li.appendChild(jump(r[0], r[1]));
          li.appendChild(el("span", { "class": "sentence" }, sentence(r[2])));
        });
        if (d.moreResults) body.appendChild(el("div", { "class": "meta" }, "… and " + d.moreResults + " more"));
      }
    } else if (d.kind === "Result") {
      body.appendChild(el("div", { "class": "meta" }, (d.delta ? "Change: +" : "Value: ") + d.value + (d.unit ? " " + d.unit : "")));
      if (d.about && d.about.length) { heading(body, "Measures"); list(body, d.about, function (li, a) { li.appendChild(el("span", {}, a[0] + ": ")); li.appendChild(jump(a[2], a[1])); }); }
      if (d.sentence !== null && d.sentence !== undefined) { heading(body, "Evidence"); body.appendChild(el("div", { "class": "sentence" }, sentence(d.sentence))); }
      if (d.papers && d.papers.length) { heading(body, "Reported by"); list(body, d.papers, function (li, p) { li.appendChild(jump(p[0], p[1])); }); }
    } else {
      if (d.url) { heading(body, "URL"); body.appendChild(externalLink(d.url)); }
      if (d.iri) { heading(body, "IRI"); body.appendChild(el("div", {}, d.iri)); }
      if (d.papers && d.papers.length) { heading(body, "Papers"); list(body, d.papers, function (li, p) { li.appendChild(jump(p[0], p[1])); }); }
    }
    $("panel").hidden = false;
    view.panelNode = id;
  }
  $("panel-close").addEventListener("click", function () { $("panel").hidden = true; view.panelNode = null; });

  function select(id) {
    if (byId[id].hidden) { state.pinned[id] = true; apply(); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 350 } });
    showPanel(id);
  }
  view.select = select;
  network.on("click", function (p) { if (p.nodes.length) showPanel(p.nodes[0]); });

  // ---- search by name or alias ----
  var searchIndex = DATA.search.map(function (s) { return [s[0].toLowerCase(), s[1], s[0]]; });
  var datalist = $("search-names");
  var seen = {};
  DATA.search.forEach(function (s) {
    if (seen[s[0]]) return;
    seen[s[0]] = true;
    datalist.appendChild(el("option", { value: s[0] }));
  });
  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) return null;
    var best = null;
    searchIndex.forEach(function (s) {
      var score = s[0] === q ? 3 : s[0].indexOf(q) === 0 ? 2 : s[0].indexOf(q) > 0 ? 1 : 0;
      if (!score) return;
      var deg = byId[s[1]].degree;
      if (!best || score > best[0] || (score === best[0] && deg > best[1])) best = [score, deg, s[1]];
    });
    return best && best[2];
  }
  view.find = find;
  $("search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = $("search-input").value;
    var id = find(q);
    $("search-message").textContent = id ? "" : "No node named “" + q + "”";
    if (id) select(id);
  });

  apply();
  if (DATA.focus && byId[DATA.focus]) {
    network.once("stabilizationIterationsDone", function () { network.selectNodes([DATA.focus]); showPanel(DATA.focus); });
  }
})();
