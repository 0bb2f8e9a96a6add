(function () {
"use strict";
var root = document.getElementById("__ID__");
if (!root || !window.L) { return; }
var D = JSON.parse(root.querySelector("script.pbm-data").textContent);
var T = D.labels, R = D.radius, NETS = D.networks;
function fmt(s, v) { return s.replace(/\{(\w+)\}/g, function (m, k) { return (k in v) ? v[k] : m; }); }
var nf = [new Intl.NumberFormat(D.lang + "-CA", {maximumFractionDigits: 0}),
          new Intl.NumberFormat(D.lang + "-CA", {minimumFractionDigits: 1, maximumFractionDigits: 1})];
function num(x, d) {
  if (x === null || x === undefined) { return "…"; }
  var s = nf[d ? 1 : 0].format(x);
  return D.lang === "fr" ? s.replace(/[\u00a0 ]/g, "\u202f") : s;
}
function pct(x) { return num(x, 1) + (D.lang === "fr" ? "\u00a0%" : "%"); }
function decode(s) {
  var i = 0, lat = 0, lng = 0, out = [];
  while (i < s.length) {
    var b, shift = 0, r = 0;
    do { b = s.charCodeAt(i++) - 63; r |= (b & 31) << shift; shift += 5; } while (b >= 32);
    lat += (r & 1) ? ~(r >> 1) : (r >> 1);
    shift = 0; r = 0;
    do { b = s.charCodeAt(i++) - 63; r |= (b & 31) << shift; shift += 5; } while (b >= 32);
    lng += (r & 1) ? ~(r >> 1) : (r >> 1);
    out.push([lat / 1e5, lng / 1e5]);
  }
  return out;
}
function el(tag, cls, text) { var e = document.createElement(tag); if (cls) { e.className = cls; } if (text !== undefined) { e.textContent = text; } return e; }

var box = root.querySelector(".pbm-map");
var map = L.map(box, {zoomControl: false, attributionControl: false, minZoom: 2, maxZoom: 13, zoomSnap: 0.5, keyboard: true});
L.control.zoom({zoomInTitle: T.zoom_in, zoomOutTitle: T.zoom_out}).addTo(map);
var panes = {};
[["pbm-bg", 390], ["pbm-areas", 410], ["pbm-points", 450]].forEach(function (p) {
  map.createPane(p[0]).style.zIndex = p[1];
  panes[p[0]] = L.canvas({pane: p[0], padding: 0.3, tolerance: 2});
});
function shape(g, opts) {
  if (typeof g[0] === "number") { return L.circleMarker(g, opts); }
  return L.polygon(g.map(function (poly) { return poly.map(decode); }), opts);
}
var bg = L.layerGroup(D.background.map(function (g) {
  return shape(g, {renderer: panes["pbm-bg"], interactive: false, color: "#6b6b6b", weight: 0.8, fillColor: "#f4f4f4", fillOpacity: 1});
})).addTo(map);

// --- areas -----------------------------------------------------------------------------------
var mode = "csd", selected = null, pinned = null;
var levels = {};
Object.keys(D.levels).forEach(function (lv) {
  var A = D.levels[lv];
  A.layers = A.geom.map(function (g, i) {
    var layer = shape(g, {renderer: panes["pbm-areas"], radius: 3.5});
    layer.pbm = {kind: "area", level: lv, i: i};
    return layer;
  });
  A.group = L.layerGroup(A.layers);
  levels[lv] = A;
});
function shownNets() { return NETS.filter(function (n) { return n.shown; }); }
function combined(i) {
  var A = D.levels.csd, nets = shownNets(), best = null, withheld = false;
  if (!nets.length) { return {none: true}; }
  nets.forEach(function (n) {
    var d = A.dist[n.id][i];
    if (d === null) { withheld = true; } else if (best === null || d < best) { best = d; }
  });
  if (best !== null && best <= R) { return {km: best}; }
  if (withheld) { return {withheld: true, km: best}; }
  return {km: best};
}
var BANDS = [R / 5, R / 2, R, 2 * R, 5 * R];
function band(km) { for (var b = 0; b < BANDS.length; b++) { if (km <= BANDS[b]) { return b; } } return BANDS.length; }
function areaStyle(lv, i) {
  var A = levels[lv], fill = "#ffffff", dash = null;
  if (mode === "distance" && lv === "csd") {
    var c = combined(i);
    if (c.none || c.km === null && !c.withheld) { fill = "#ffffff"; }
    else if (c.withheld) { fill = "#bdbdbd"; dash = "3 3"; }
    else { fill = D.colours.distance[band(c.km)]; }
  } else if (A.q[i] !== null) { fill = D.colours.score[A.q[i] - 1]; }
  var point = typeof A.geom[i][0] === "number";
  return {fillColor: fill, fillOpacity: 0.85, color: point ? "#333333" : "#5c5c5c", weight: point ? 0.6 : 0.4, dashArray: dash};
}
function restyle() {
  Object.keys(levels).forEach(function (lv) {
    var A = levels[lv];
    A.layers.forEach(function (layer, i) { layer.setStyle(areaStyle(lv, i)); });
  });
  if (selected) { highlight(selected); }
}
function showMode() {
  var wantDa = mode === "da";
  levels.csd.group.addTo(map);
  if (levels.da) { if (wantDa) { levels.da.group.addTo(map); } else { levels.da.group.remove(); } }
  restyle(); legend();
}

// --- points ----------------------------------------------------------------------------------
var P = D.points, reachOn = false;
var maxWithin = Math.max.apply(null, P.within.map(function (v) { return v || 0; }).concat([1]));
NETS.forEach(function (n) { n.shown = true; n.layers = []; });
P.layers = P.geom.map(function (g, i) {
  var n = NETS[P.net[i]];
  var layer = L.circleMarker(g, {renderer: panes["pbm-points"], radius: 3.5, color: "#ffffff", weight: 1,
                                 fillColor: n.colour, fillOpacity: 0.95});
  layer.pbm = {kind: "point", i: i};
  n.layers.push(layer);
  return layer;
});
NETS.forEach(function (n) { n.group = L.layerGroup(n.layers).addTo(map); });
function pointRadius(i) { return reachOn ? 2.5 + 18 * Math.sqrt((P.within[i] || 0) / maxWithin) : 3.5; }
function resize() { P.layers.forEach(function (layer, i) { layer.setRadius(pointRadius(i)); }); }

// --- details -----------------------------------------------------------------------------------
var body = root.querySelector(".pbm-details .pbm-body"), status = root.querySelector(".pbm-status");
function areaLines(lv, i) {
  var A = levels[lv], lines = [fmt(T.detail_population, {value: num(A.pop[i])})];
  lines.push(A.score[i] === null ? T.detail_no_score : fmt(T.detail_score, {score: num(A.score[i], 1), q: A.q[i]}));
  if (A.rank[i] !== null) {
    var v = {rank: num(A.rank[i]), n: num(A.ranked)};
    if (A.lo && A.lo[i] !== null && A.hi[i] !== null) { v.low = num(A.lo[i]); v.high = num(A.hi[i]); lines.push(fmt(T.detail_rank, v)); }
    else { lines.push(fmt(T.detail_rank_only, v)); }
  }
  if (A.dist) {
    NETS.forEach(function (n) {
      var d = A.dist[n.id][i];
      lines.push(d === null ? fmt(T.detail_withheld, {network: n.label}) : fmt(T.detail_distance, {network: n.label, km: num(d, 1)}));
    });
  }
  return lines;
}
function pointLines(i) {
  var radius = num(R), lines = [fmt(T.detail_network, {network: NETS[P.net[i]].label}),
                                fmt(T.detail_within, {radius: radius, value: num(P.within[i])})];
  if (P.vuln) { lines.push(fmt(T.detail_vulnerable, {value: num(P.vuln[i])})); }
  return lines;
}
function title(f) {
  if (f.kind === "point") { return P.name[f.i] || P.code[f.i]; }
  var A = levels[f.level];
  return A.name[f.i] + " — " + A.provinces[A.pr[f.i]];
}
function show(f) {
  body.textContent = "";
  if (!f) { body.appendChild(el("p", null, T.details_hint)); return; }
  var head = el("p"); head.appendChild(el("strong", null, title(f))); body.appendChild(head);
  (f.kind === "point" ? pointLines(f.i) : areaLines(f.level, f.i)).forEach(function (line) { body.appendChild(el("p", null, line)); });
  if (D.synthetic) { body.appendChild(el("p", "pbm-tag", T.notice_short)); }
}
function layerOf(f) { return f.kind === "point" ? P.layers[f.i] : levels[f.level].layers[f.i]; }
function unhighlight() {
  if (!selected) { return; }
  var layer = layerOf(selected);
  if (selected.kind === "point") { layer.setStyle({color: "#ffffff", weight: 1}); } else { layer.setStyle(areaStyle(selected.level, selected.i)); }
}
function highlight(f) { var layer = layerOf(f); layer.setStyle({color: "#000000", weight: 3}); if (layer.bringToFront) { layer.bringToFront(); } }
function select(f, zoom) {
  unhighlight(); selected = f; pinned = f; highlight(f); show(f);
  status.textContent = title(f);
  if (zoom) {
    var layer = layerOf(f);
    if (f.kind === "point" || typeof levels[f.level].geom[f.i][0] === "number") { map.setView(layer.getLatLng(), Math.max(map.getZoom(), 8)); }
    else { map.fitBounds(layer.getBounds(), {maxZoom: 10, padding: [20, 20]}); }
  }
}
function hover(e) { show(e.target.pbm); }
function leave() { show(pinned); }
function click(e) { select(e.target.pbm, false); }
Object.keys(levels).forEach(function (lv) { levels[lv].layers.forEach(function (l) { l.on({mouseover: hover, mouseout: leave, click: click}); }); });
P.layers.forEach(function (l) { l.on({mouseover: hover, mouseout: leave, click: click}); });

// --- legend and summary ------------------------------------------------------------------------
var legendList = root.querySelector(".pbm-legend ul");
function item(swatch, text) { var li = el("li"); li.appendChild(swatch); li.appendChild(el("span", null, text)); legendList.appendChild(li); }
function sw(colour, cls) { var s = el("span", cls || "pbm-swatch"); if (colour) { s.style.background = colour; } s.setAttribute("aria-hidden", "true"); return s; }
function legend() {
  legendList.textContent = "";
  legendList.appendChild(el("li", null, mode === "distance" ? T.layer_distance : (mode === "da" ? T.layer_da : T.layer_csd)));
  if (mode === "distance") {
    var lows = [0].concat(BANDS);
    D.colours.distance.forEach(function (c, b) {
      item(sw(c), b < BANDS.length ? fmt(T.legend_band, {low: num(lows[b]), high: num(BANDS[b])}) : fmt(T.legend_band_last, {low: num(lows[b])}));
    });
    item(sw(null, "pbm-swatch pbm-withheld"), T.legend_withheld);
    item(sw("#ffffff"), T.legend_no_network);
  } else {
    D.colours.score.forEach(function (c, q) {
      var text = fmt(T.legend_quintile, {q: q + 1});
      if (q === 0) { text += " (" + T.legend_least + ")"; }
      if (q === 4) { text += " (" + T.legend_most + ")"; }
      item(sw(c), text);
    });
    item(sw("#ffffff"), T.legend_no_score);
  }
  legendList.appendChild(el("li", "pbm-head", T.legend_points));
  NETS.forEach(function (n) { item(sw(n.colour, "pbm-dot"), n.label); });
  if (reachOn) { legendList.appendChild(el("li", null, fmt(T.legend_reach, {radius: num(R), max: num(maxWithin)}))); }
  if (D.synthetic) { var li = el("li"); li.appendChild(el("span", "pbm-tag", T.notice_short)); legendList.appendChild(li); }
}
var summary = root.querySelector(".pbm-summary");
function summarise() {
  var A = D.levels.csd, total = 0, far = 0, held = 0;
  if (!shownNets().length) { summary.textContent = T.summary_none; return; }
  for (var i = 0; i < A.pop.length; i++) {
    var p = A.pop[i] || 0, c = combined(i);
    total += p;
    if (c.withheld) { held += p; } else if (c.km !== null && c.km > R) { far += p; }
  }
  var round = function (x) { return Math.round(x / 10) * 10; };
  var text = fmt(T.summary, {far: num(round(far)), share: pct(total ? 100 * far / total : 0), radius: num(R)});
  if (held) { text += " " + fmt(T.summary_withheld, {n: num(round(held))}); }
  summary.textContent = text;
}

// --- controls ----------------------------------------------------------------------------------
var modes = root.querySelector(".pbm-modes");
var choices = [["csd", T.layer_csd]];
if (levels.da) { choices.push(["da", T.layer_da]); }
choices.push(["distance", T.layer_distance]);
choices.forEach(function (c, k) {
  var label = el("label"), input = el("input");
  input.type = "radio"; input.name = "__ID__-mode"; input.value = c[0]; input.checked = k === 0;
  input.addEventListener("change", function () {
    if (!input.checked) { return; }
    mode = c[0]; showMode();
    if (mode === "da") { map.fitBounds(L.featureGroup(levels.da.layers).getBounds(), {padding: [10, 10]}); }
  });
  label.appendChild(input); label.appendChild(document.createTextNode(c[1])); modes.appendChild(label);
});
var netBox = root.querySelector(".pbm-networks");
NETS.forEach(function (n) {
  var label = el("label"), input = el("input");
  input.type = "checkbox"; input.checked = true; input.value = n.id; n.input = input;
  input.addEventListener("change", function () {
    n.shown = input.checked;
    if (n.shown) { n.group.addTo(map); } else { n.group.remove(); }
    if (mode === "distance") { restyle(); }
    summarise();
  });
  label.appendChild(input); label.appendChild(sw(n.colour, "pbm-dot"));
  label.appendChild(document.createTextNode(fmt(T.network_count, {network: n.label, n: num(n.count)})));
  netBox.appendChild(label);
});
var reachLabel = el("label"), reach = el("input");
reach.type = "checkbox";
reach.addEventListener("change", function () { reachOn = reach.checked; resize(); legend(); });
reachLabel.appendChild(reach); reachLabel.appendChild(document.createTextNode(T.reach_toggle)); netBox.appendChild(reachLabel);
var home = null;
var reset = el("button", "pbm-reset", T.reset); reset.type = "button";
reset.addEventListener("click", function () { if (home) { map.fitBounds(home); } });
modes.appendChild(reset);

// --- search -----------------------------------------------------------------------------------
function norm(s) { return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[\u00a0\u202f]/g, " ").toLowerCase(); }
var entries = [];
Object.keys(levels).forEach(function (lv) {
  var A = levels[lv];
  A.name.forEach(function (name, i) { entries.push({key: norm(name + " " + A.code[i]), f: {kind: "area", level: lv, i: i}, kind: T["level_" + lv]}); });
});
P.name.forEach(function (name, i) { entries.push({key: norm(name + " " + P.code[i]), f: {kind: "point", i: i}, kind: NETS[P.net[i]].label}); });
var input = root.querySelector(".pbm-search input"), results = root.querySelector(".pbm-results");
var said = root.querySelector(".pbm-search [aria-live]");
var LIMIT = 8;
function search() {
  var q = norm(input.value).trim();
  results.textContent = "";
  if (q.length < 2) { said.textContent = ""; return; }
  var found = entries.filter(function (e) { return e.key.indexOf(q) >= 0; });
  found.slice(0, LIMIT).forEach(function (e) {
    var li = el("li"), b = el("button", null, title(e.f) + " · " + e.kind);
    b.type = "button";
    b.addEventListener("click", function () {
      if (e.f.kind === "point") { var n = NETS[P.net[e.f.i]]; if (!n.shown) { n.input.click(); } }
      if (e.f.kind === "area" && e.f.level === "da" && mode !== "da") { modes.querySelector("input[value=da]").click(); }
      select(e.f, true);
    });
    b.addEventListener("keydown", function (ev) {
      var sib = ev.key === "ArrowDown" ? li.nextElementSibling : ev.key === "ArrowUp" ? li.previousElementSibling : null;
      if (sib) { sib.querySelector("button").focus(); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { input.focus(); ev.preventDefault(); }
    });
    li.appendChild(b); results.appendChild(li);
  });
  said.textContent = !found.length ? T.search_none : found.length > LIMIT ?
    fmt(T.search_more, {shown: LIMIT, n: num(found.length)}) : fmt(T.search_results, {n: num(found.length)});
}
input.addEventListener("input", search);
input.addEventListener("keydown", function (ev) {
  var first = results.querySelector("button");
  if (ev.key === "Enter" && first) { first.click(); ev.preventDefault(); }
  else if (ev.key === "ArrowDown" && first) { first.focus(); ev.preventDefault(); }
  else if (ev.key === "Escape") { input.value = ""; search(); }
});

// --- start -------------------------------------------------------------------------------------
showMode(); summarise();
var all = L.featureGroup(D.background.length ? bg.getLayers() : levels.csd.layers);
home = all.getBounds();
if (home.isValid()) { map.fitBounds(home); } else { map.setView([56, -96], 3); }
root.playbookMap = {map: map, select: select, levels: levels, points: P, networks: NETS, combined: combined};
})();
