// Talking to the API that served the page: the tab's credential, JSON calls, streamed turns.

const CREDENTIAL = "concierge.credential";

/** The API key or token this tab signed in with, if any. */
export function credential() {
  return sessionStorage.getItem(CREDENTIAL);
}

/** Keep the credential for this tab only (sessionStorage: gone when the tab closes). */
export function remember(value) {
  sessionStorage.setItem(CREDENTIAL, value);
}

/** Forget the credential. */
export function forget() {
  sessionStorage.removeItem(CREDENTIAL);
}

/** An error answer of the API: `{"error": {"status", "reason", "message", "field"}}`. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail?.message || `The API answered with status ${status}.`);
    this.name = "ApiError";
    this.status = status;
    this.reason = detail?.reason || "unknown";
    this.field = detail?.field || null;
  }
}

async function failure(response) {
  let detail = null;
  try {
    detail = (await response.json()).error;
  } catch {
    // Not the API's JSON error shape: the status says enough.
  }
  return new ApiError(response.status, detail);
}

function init(method, body, key, accept) {
  const headers = { Accept: accept };
  if (key) headers.Authorization = `Bearer ${key}`;
  const options = { method, headers, credentials: "omit", cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  return options;
}

/** Call the API and return its JSON answer; an error answer throws `ApiError`. */
export async function call(path, { method = "GET", body, key = credential() } = {}) {
  const response = await fetch(path, init(method, body, key, "application/json"));
  if (!response.ok) throw await failure(response);
  return response.json();
}

/** A query string of the parameters that have a value ("" when none has). */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.append(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/**
 * Reads a `text/event-stream` as it arrives: push text, get the complete events it finishes.
 * Comments are skipped; `data` lines are joined with newlines, as the format says.
 */
export class EventStreamParser {
  #rest = "";
  #type = "";
  #data = [];
  #id = null;
  #afterCarriageReturn = false;

  *push(text) {
    let input = this.#rest + text;
    // A CR LF split between two pushes ends one line, not two.
    if (this.#afterCarriageReturn && input.startsWith("\n")) input = input.slice(1);
    this.#afterCarriageReturn = input.endsWith("\r");
    const lines = input.split(/\r\n|\r|\n/);
    this.#rest = lines.pop();
    for (const line of lines) {
      const event = this.#line(line);
      if (event) yield event;
    }
  }

  #line(line) {
    if (line === "") return this.#dispatch();
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.#type = value;
    else if (field === "data") this.#data.push(value);
    else if (field === "id") this.#id = value;
    return null;
  }

  #dispatch() {
    const event = this.#data.length
      ? { type: this.#type || "message", id: this.#id, data: this.#data.join("\n") }
      : null;
    this.#type = "";
    this.#data = [];
    return event;
  }
}

async function* events(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new EventStreamParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const event of parser.push(value)) {
        yield { type: event.type, id: event.id, data: JSON.parse(event.data) };
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Start a turn (`POST /v1/chat`) and read its server-sent events as they arrive.
 * Returns the thread id (header `X-Thread-Id`) and an async iterator of `{type, id, data}`.
 */
export async function startTurn(message, threadId) {
  const body = threadId ? { message, thread_id: threadId } : { message };
  const response = await fetch("/v1/chat", init("POST", body, credential(), "text/event-stream"));
  if (!response.ok) throw await failure(response);
  return { threadId: response.headers.get("X-Thread-Id"), events: events(response.body) };
}
