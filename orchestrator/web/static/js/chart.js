// Policy decisions by rule over time, as stacked bars in inline SVG, from audit records.
//
// A decision counts once for every rule that gave it a reason (`reasons[].rule_id`), in the
// time bucket of its `created_at`; the bucket size is the smallest of STEPS that gives at
// most MAX_BUCKETS bars over the records' span.

import { dateTime, el, shortLabel } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY];
const MAX_BUCKETS = 24;
const MAX_SERIES = 8;
const OTHER = "other rules";
const NONE = "(no rule)";
// Each at least 3:1 against white; the legend and the table name every series as well.
const COLOURS = [
  "#1f4e99",
  "#b5470b",
  "#0b7a55",
  "#9c2f7a",
  "#6b4e16",
  "#4b3a9a",
  "#006d80",
  "#a11d33",
];
const GREY = "#5f6368";

function rulesOf(record) {
  const ids = new Set((record.reasons || []).map((r) => r.rule_id).filter(Boolean));
  return ids.size ? [...ids] : [NONE];
}

function stepFor(first, last) {
  const fits = (step) => Math.floor(last / step) - Math.floor(first / step) < MAX_BUCKETS;
  return STEPS.find(fits) || STEPS.at(-1);
}

function rankedSeries(records) {
  const totals = new Map();
  for (const record of records) {
    for (const rule of rulesOf(record)) totals.set(rule, (totals.get(rule) || 0) + 1);
  }
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const series = ranked
    .slice(0, MAX_SERIES)
    .map(([rule, total], i) => ({ rule, colour: COLOURS[i], total }));
  const rest = ranked.slice(MAX_SERIES).reduce((sum, [, total]) => sum + total, 0);
  if (rest) series.push({ rule: OTHER, colour: GREY, total: rest });
  return series;
}

/** The counts to draw: `{step, buckets: [{start, counts}], series: [{rule, colour, total}]}`. */
export function decisionsByRule(records) {
  const dated = records
    .map((record) => ({ record, at: Date.parse(record.created_at) }))
    .filter(({ at }) => !Number.isNaN(at));
  if (!dated.length) return { step: MINUTE, buckets: [], series: [] };
  const first = Math.min(...dated.map(({ at }) => at));
  const last = Math.max(...dated.map(({ at }) => at));
  const step = stepFor(first, last);
  const series = rankedSeries(dated.map(({ record }) => record));
  const named = new Set(series.map((s) => s.rule));
  const start = Math.floor(first / step) * step;
  const buckets = [];
  for (let t = start; t <= last; t += step) buckets.push({ start: t, counts: new Map() });
  for (const { record, at } of dated) {
    const counts = buckets[Math.floor((at - start) / step)].counts;
    for (const rule of rulesOf(record)) {
      const name = named.has(rule) ? rule : OTHER;
      counts.set(name, (counts.get(name) || 0) + 1);
    }
  }
  return { step, buckets, series };
}

function svg(tag, attributes = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

function scale(peak) {
  const step = Math.max(1, Math.ceil(peak / 4));
  const top = Math.max(step, Math.ceil(peak / step) * step);
  const values = [];
  for (let v = 0; v <= top; v += step) values.push(v);
  return { top, values };
}

function stack(data, bucket, x, width, y, plot) {
  const rects = [];
  let bottom = plot.bottom;
  for (const { rule, colour } of data.series) {
    const n = bucket.counts.get(rule) || 0;
    if (!n) continue;
    const height = (n / y.top) * plot.height;
    bottom -= height;
    const attributes = { x, y: bottom, width, height, fill: colour, stroke: "#ffffff" };
    const rect = svg("rect", { ...attributes, "data-rule": rule });
    const when = dateTime(new Date(bucket.start));
    rect.append(svg("title", {}, `${rule}: ${n} decision${n === 1 ? "" : "s"} from ${when}`));
    rects.push(rect);
  }
  return rects;
}

function bars(data, y, plot) {
  const group = svg("g");
  const slot = plot.width / data.buckets.length;
  const width = Math.max(2, Math.min(48, slot * 0.7));
  const every = Math.ceil(data.buckets.length / Math.max(1, Math.floor(plot.width / 70)));
  data.buckets.forEach((bucket, i) => {
    const x = plot.left + i * slot + (slot - width) / 2;
    group.append(...stack(data, bucket, x, width, y, plot));
    if (i % every !== 0) return;
    const label = shortLabel(new Date(bucket.start), data.step >= DAY);
    const middle = plot.left + (i + 0.5) * slot;
    group.append(svg("text", { x: middle, y: plot.bottom + 16, "text-anchor": "middle" }, label));
  });
  return group;
}

function axes(y, plot) {
  const group = svg("g");
  const across = { x1: plot.left, x2: plot.right };
  for (const value of y.values) {
    const at = plot.bottom - (value / y.top) * plot.height;
    group.append(svg("line", { ...across, y1: at, y2: at, stroke: "#c9ccd2" }));
    group.append(svg("text", { x: plot.left - 6, y: at + 4, "text-anchor": "end" }, value));
  }
  group.append(svg("line", { ...across, y1: plot.bottom, y2: plot.bottom, stroke: "#4a4a4a" }));
  return group;
}

/** The chart as an `<svg>` `width` pixels wide, with a title and description to read aloud. */
export function decisionsChart(data, width, ids) {
  const height = Math.round(Math.min(300, Math.max(180, width * 0.4)));
  const plot = { left: 40, right: width - 10, top: 10, bottom: height - 28 };
  plot.width = plot.right - plot.left;
  plot.height = plot.bottom - plot.top;
  const totals = data.buckets.map((b) => [...b.counts.values()].reduce((sum, n) => sum + n, 0));
  const y = scale(Math.max(1, ...totals));
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: "img",
    "aria-labelledby": `${ids.title} ${ids.desc}`,
  });
  root.append(
    svg("title", { id: ids.title }, "Policy decisions by rule over time"),
    svg("desc", { id: ids.desc }, describe(data)),
    axes(y, plot),
    bars(data, y, plot),
  );
  return root;
}

/** One sentence that says what the chart shows. */
export function describe(data) {
  if (!data.buckets.length) return "No decisions to chart.";
  const from = dateTime(new Date(data.buckets[0].start));
  const to = dateTime(new Date(data.buckets.at(-1).start + data.step));
  const totals = data.series.map((s) => `${s.rule} ${s.total}`).join(", ");
  return `Decisions counted by the rule that gave a reason, from ${from} to ${to}: ${totals}.`;
}

/** The legend: a swatch and the name of each series, with its total. */
export function legend(data) {
  const items = data.series.map((s) => {
    const swatch = el("span", { className: "swatch", "aria-hidden": "true" });
    swatch.style.backgroundColor = s.colour;
    return el("li", { "data-rule": s.rule }, swatch, `${s.rule} (${s.total})`);
  });
  return el("ul", { className: "legend", "aria-label": "Rules" }, items);
}

/** The same counts as a table, for those who cannot see the chart. */
export function table(data) {
  const columns = data.series.map((s) => el("th", { scope: "col" }, s.rule));
  const head = el("tr", {}, el("th", { scope: "col" }, "From"), columns);
  const rows = data.buckets
    .filter((b) => b.counts.size)
    .map((b) => {
      const count = (s) => el("td", { className: "num" }, String(b.counts.get(s.rule) || 0));
      const when = el("th", { scope: "row" }, dateTime(new Date(b.start)));
      return el("tr", {}, when, data.series.map(count));
    });
  return el("table", {}, el("thead", {}, head), el("tbody", {}, rows));
}
