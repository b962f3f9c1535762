(function () {
"use strict";
const PAYLOAD = $payload;
const DATA = PAYLOAD.data;
const LABELS = PAYLOAD.labels;
const GEOM = PAYLOAD.geometry;
const K = DATA.topics.length;
const map = document.getElementById("map");
const bars = document.getElementById("bars");
const NS = bars.namespaceURI;
const slider = document.getElementById("lambda");
const lambdaValue = document.getElementById("lambda-value");
const heading = document.getElementById("bar-heading");
const caption = document.getElementById("bar-caption");
const info = document.getElementById("info");
const topicLegend = document.getElementById("legend-topic");
const circles = [];
const numbers = [];
map.querySelectorAll("circle.topic-circle").forEach(function (c) { circles[Number(c.dataset.topic) - 1] = c; });
map.querySelectorAll("text.topic-label").forEach(function (t) { numbers[Number(t.dataset.topic) - 1] = t; });
const state = { topic: null, lambda: Number(slider.value) };

function node(name, attributes, text) {
  const element = document.createElementNS(NS, name);
  Object.keys(attributes).forEach(function (key) { element.setAttribute(key, String(attributes[key])); });
  if (text !== undefined) { element.textContent = text; }
  return element;
}
function percent(share) {
  const value = 100 * share;
  return value > 0 && value < 1 ? "<1%" : Math.floor(value + 0.5) + "%";
}
function number(x) {
  if (x === 0) { return "0"; }
  if (Math.abs(x) >= 100) { return Math.round(x).toLocaleString("en-US"); }
  return String(Number(x.toPrecision(3)));
}
function fitLabel(label, text) {
  const room = GEOM.label_width - 12;
  let kept = Math.min(text.length, GEOM.label_chars);
  label.textContent = kept < text.length ? text.slice(0, kept - 1) + "\u2026" : text;
  if (typeof label.getComputedTextLength !== "function") { return; }
  while (kept > 2 && label.getComputedTextLength() > room) {
    kept -= 1;
    label.textContent = text.slice(0, kept - 1) + "\u2026";
  }
}
function niceStep(max) {
  const raw = max / 4;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / magnitude;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
}
function topicTitle(t) {
  return "Topic " + (t + 1) + " of " + K + " \u2014 " + percent(DATA.topics[t].prevalence) + " of tokens";
}
function rankedTerms(t, lambda) {
  return DATA.topics[t].terms.map(function (e) {
    return { id: e.id, frequency: e.frequency, logprob: e.logprob, loglift: e.loglift,
             relevance: lambda * e.logprob + (1 - lambda) * e.loglift };
  }).sort(function (a, b) { return (b.relevance - a.relevance) || (a.id - b.id); }).slice(0, DATA.top_n);
}
function describe(row) {
  const term = DATA.terms[row.id];
  const lines = [term.term, "Overall frequency (model): " + number(term.frequency),
                 "Corpus count: " + number(term.corpus_frequency)];
  if (state.topic === null) {
    lines.push("Saliency: " + number(term.saliency));
  } else {
    lines.push("Estimated frequency in topic " + (state.topic + 1) + ": " + number(row.frequency));
    lines.push("p(w | t) = " + number(Math.exp(row.logprob)) +
               ", lift p(w | t) / p(w) = " + number(Math.exp(row.loglift)));
    lines.push("Relevance at \u03bb = " + state.lambda.toFixed(2) + ": " + number(row.relevance));
  }
  return lines;
}
function defaultInfo() {
  return "Select a topic by clicking its circle (or Tab to it and press Enter); " +
    "hover or focus a term to see how it is shared among topics.";
}
function showTopicInfo(t) {
  const label = LABELS[t] ? ": " + LABELS[t] : "";
  info.textContent = topicTitle(t) + " (" + number(DATA.topics[t].tokens) + " tokens)" + label;
}
function showTerm(id) {
  const term = DATA.terms[id];
  circles.forEach(function (c, t) {
    c.setAttribute("r", (GEOM.radius_scale * Math.sqrt(term.topic_share[t])).toFixed(2));
  });
  map.classList.add("term-view");
  info.textContent = "\u201c" + term.term + "\u201d: circle areas now show how its " + number(term.frequency) +
    " tokens are shared among topics.";
}
function resetCircles() {
  circles.forEach(function (c) { c.setAttribute("r", c.dataset.r); });
  map.classList.remove("term-view");
  info.textContent = defaultInfo();
}
function drawAxis(maxFrequency, scale, height) {
  const step = niceStep(maxFrequency);
  for (let i = 0; i * step <= maxFrequency * (1 + 1e-9); i += 1) {
    const x = GEOM.label_width + i * step * scale;
    bars.appendChild(node("line", { "class": "grid", x1: x, x2: x, y1: GEOM.top - 4, y2: height }));
    bars.appendChild(node("text", { "class": "tick", x: x, y: GEOM.top - 9, "text-anchor": "middle" },
                          number(i * step)));
  }
}
function drawRow(row, i, scale) {
  const term = DATA.terms[row.id];
  const y = GEOM.top + i * GEOM.row;
  const lines = describe(row);
  const group = node("g", { "class": "term-row", tabindex: 0, role: "listitem", "aria-label": lines.join("; ") });
  group.appendChild(node("title", {}, lines.join("\n")));
  const label = node("text", { "class": "term-label", x: GEOM.label_width - 6, y: y + GEOM.row / 2,
                               "text-anchor": "end", "dominant-baseline": "central" });
  group.appendChild(label);
  group.appendChild(node("rect", { "class": "term-bar term-bar-overall", x: GEOM.label_width, y: y + 2,
                                   width: term.frequency * scale, height: GEOM.row - 4 }));
  if (state.topic !== null) {
    group.appendChild(node("rect", { "class": "term-bar term-bar-topic", x: GEOM.label_width, y: y + 2,
                                     width: row.frequency * scale, height: GEOM.row - 4 }));
  }
  group.addEventListener("mouseenter", function () { showTerm(row.id); });
  group.addEventListener("focus", function () { showTerm(row.id); });
  group.addEventListener("mouseleave", resetCircles);
  group.addEventListener("blur", resetCircles);
  bars.appendChild(group);
  fitLabel(label, term.term);
}
function renderBars() {
  const rows = state.topic === null ? DATA.salient.map(function (id) { return { id: id }; })
                                    : rankedTerms(state.topic, state.lambda);
  const maxFrequency = rows.reduce(function (m, r) { return Math.max(m, DATA.terms[r.id].frequency); }, 0) || 1;
  const scale = GEOM.bar_width / maxFrequency;
  const height = GEOM.top + rows.length * GEOM.row + 4;
  while (bars.firstChild) { bars.removeChild(bars.firstChild); }
  bars.setAttribute("viewBox", "0 0 " + GEOM.width + " " + height);
  bars.setAttribute("height", String(height));
  drawAxis(maxFrequency, scale, height);
  rows.forEach(function (row, i) { drawRow(row, i, scale); });
  if (state.topic === null) {
    heading.textContent = "Most salient terms overall";
    caption.textContent = "Top " + rows.length + " terms by saliency (Chuang et al. 2012); " +
      "select a topic to rank its terms by relevance.";
  } else {
    const label = LABELS[state.topic];
    heading.textContent = topicTitle(state.topic);
    caption.textContent = (label ? label + " \u00b7 " : "") + "Top " + rows.length +
      " terms by relevance at \u03bb = " + state.lambda.toFixed(2) + ".";
  }
  topicLegend.hidden = state.topic === null;
}
function select(t) {
  state.topic = t;
  circles.forEach(function (c, i) {
    c.classList.toggle("selected", i === t);
    c.setAttribute("aria-pressed", i === t ? "true" : "false");
  });
  renderBars();
}
function toggle(t) { select(state.topic === t ? null : t); }
circles.forEach(function (c, t) {
  c.addEventListener("click", function () { toggle(t); });
  c.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(t); }
  });
  c.addEventListener("mouseenter", function () { showTopicInfo(t); });
  c.addEventListener("focus", function () { showTopicInfo(t); });
  c.addEventListener("mouseleave", function () { info.textContent = defaultInfo(); });
  c.addEventListener("blur", function () { info.textContent = defaultInfo(); });
});
numbers.forEach(function (n, t) { n.addEventListener("click", function () { toggle(t); }); });
document.getElementById("previous").addEventListener("click", function () {
  select(state.topic === null ? K - 1 : (state.topic + K - 1) % K);
});
document.getElementById("next").addEventListener("click", function () {
  select(state.topic === null ? 0 : (state.topic + 1) % K);
});
document.getElementById("clear").addEventListener("click", function () { select(null); });
document.addEventListener("keydown", function (event) { if (event.key === "Escape") { select(null); } });
slider.addEventListener("input", function () {
  state.lambda = Number(slider.value);
  lambdaValue.textContent = state.lambda.toFixed(2);
  if (state.topic !== null) { renderBars(); }
});
lambdaValue.textContent = state.lambda.toFixed(2);
info.textContent = defaultInfo();
document.documentElement.classList.add("js");
renderBars();
}());
