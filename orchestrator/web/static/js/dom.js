// Small helpers to build the pages' elements and write numbers and times.

/**
 * An element with attributes and children. Attributes set as properties when the element
 * has one (`hidden`, `disabled`, `className`...), else as attributes; text is always text.
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name in node && typeof value !== "string") node[name] = value;
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...nodes(children));
  return node;
}

/** Children as `append` takes them: nested lists flattened, null, undefined and false left out. */
export function nodes(children) {
  return children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false);
}

/** A money amount in cents as the concierge writes it: $1,234.50. */
export function money(cents, symbol) {
  const amount = (cents / 100).toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return `${symbol}${amount}`;
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const TIME = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const DAY = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

/** A `<time>` for an ISO 8601 instant, written in the reader's time zone. */
export function timeElement(iso, style = "datetime") {
  const moment = new Date(iso);
  const format = style === "time" ? TIME : DATE_TIME;
  const text = Number.isNaN(moment.getTime()) ? iso : format.format(moment);
  return el("time", { datetime: iso }, text);
}

/** A short label of an instant: the time of day, or the day when the span is days long. */
export function shortLabel(moment, byDay) {
  return (byDay ? DAY : TIME).format(moment);
}

/** An instant as the reader reads it. */
export function dateTime(moment) {
  return DATE_TIME.format(moment);
}

/** "snake_case_words" as "Snake case words". */
export function words(name) {
  const text = String(name).replaceAll("_", " ").replaceAll(".", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A JSON value as a short text: lists joined, objects as `key: value` pairs. */
export function brief(value, limit = 6) {
  if (value === null || value === undefined || value === "") return "–";
  if (Array.isArray(value)) {
    const shown = value.slice(0, limit).map((v) => brief(v, limit)).join(", ");
    return value.length > limit ? `${shown} … (${value.length} in all)` : shown || "none";
  }
  if (typeof value === "object") {
    return Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${k}: ${brief(v, limit)}`)
      .join("; ");
  }
  if (typeof value === "number" && !Number.isInteger(value)) return value.toFixed(2);
  return String(value);
}

/** A `<dl>` of an object's fields (nested objects flattened as `a.b`). */
export function facts(object, skip = []) {
  const list = el("dl", { className: "facts" });
  const add = (prefix, value) => {
    for (const [key, v] of Object.entries(value)) {
      const name = prefix ? `${prefix}.${key}` : key;
      if (skip.includes(name)) continue;
      if (v && typeof v === "object" && !Array.isArray(v)) add(name, v);
      else list.append(el("dt", {}, words(name)), el("dd", {}, brief(v)));
    }
  };
  add("", object || {});
  return list;
}
