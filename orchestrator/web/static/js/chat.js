// The concierge chat: a shopper's turns streamed from `POST /v1/chat`, one thread at a time.

import { ApiError, call, startTurn } from "./api.js";
import { replyCards } from "./cards.js";
import { el } from "./dom.js";
import { setupSession } from "./session.js";

const THREAD = "concierge.thread";
const CUT_OFF = "The answer was cut off; the concierge still finishes it: reload to see it.";
const $ = (id) => document.getElementById(id);
const log = $("log");
const input = $("message");
const send = $("send");
const fresh = $("new-conversation");
const status = $("turn-status");
const problem = $("chat-error");
let turns = 0;
let busy = false;

function showThread() {
  const id = sessionStorage.getItem(THREAD);
  $("thread").textContent = id ? `Conversation ${id}` : "New conversation";
  $("thread").dataset.threadId = id || "";
}

function setThread(id) {
  if (id) sessionStorage.setItem(THREAD, id);
  else sessionStorage.removeItem(THREAD);
  showThread();
}

function message(speaker, text, className) {
  const body = el("p", { className: "text" }, text);
  const who = el("p", { className: "speaker" }, speaker);
  const item = el("li", { className: `msg ${className}` }, who, body);
  log.append(item);
  return { item, body };
}

/** What the policy checker decided and what was executed in the turn, from its events. */
function trace(events) {
  const lines = events.map((e) =>
    e.type === "decision"
      ? `Policy ${e.effect} for ${e.kind}${e.reasons.length ? ` (${e.reasons.join(", ")})` : ""}`
      : `Executed ${e.kind}: ${e.status}`,
  );
  if (!lines.length) return null;
  return el(
    "details",
    { className: "trace" },
    el("summary", {}, "How this answer was made"),
    el("ul", {}, lines.map((line) => el("li", {}, line))),
  );
}

function finish(answer, finished, steps) {
  const reply = finished.reply;
  if (reply && answer.body.textContent !== reply.text) answer.body.textContent = reply.text;
  if (finished.interrupted) {
    const asks = finished.approvals.map((a) => a.summary).filter(Boolean);
    answer.body.textContent = `This waits for a person's approval: ${asks.join("; ")}`;
  }
  turns += 1;
  answer.item.append(...[replyCards(reply, `turn${turns}`), trace(steps)].filter(Boolean));
}

function trouble(err, started) {
  if (err instanceof ApiError || err.message === CUT_OFF) return err.message;
  return started ? `${CUT_OFF} (${err.message})` : `Cannot reach the API: ${err.message}`;
}

async function converse(text) {
  busy = true;
  send.disabled = true;
  fresh.disabled = true;
  problem.textContent = "";
  const asked = message("You", text, "msg-you");
  const answer = message("Concierge", "", "msg-concierge");
  answer.item.setAttribute("aria-busy", "true");
  status.textContent = "The concierge is answering…";
  let chunks = 0;
  let started = false;
  let finished = false;
  const steps = [];
  try {
    const turn = await startTurn(text, sessionStorage.getItem(THREAD));
    started = true;
    setThread(turn.threadId);
    for await (const event of turn.events) {
      const data = event.data;
      if (event.type === "reply_chunk") {
        answer.body.append(data.text);
        chunks += 1;
        answer.item.dataset.chunks = String(chunks);
      } else if (event.type === "decision" || event.type === "execution") {
        steps.push(data);
      } else if (event.type === "node_started") {
        status.textContent = `The concierge is answering… (${data.node})`;
      } else if (event.type === "turn_finished") {
        finished = true;
        finish(answer, data, steps);
      } else if (event.type === "error") {
        throw new ApiError(data.error.status, data.error);
      }
    }
    if (!finished) throw new Error(CUT_OFF);
  } catch (err) {
    answer.item.remove();
    if (!started) {
      asked.item.remove();
      input.value = text;
    }
    problem.textContent = trouble(err, started);
    if (err instanceof ApiError && err.status === 401) expire(err.message);
  } finally {
    answer.item.setAttribute("aria-busy", "false");
    status.textContent = "";
    busy = false;
    send.disabled = false;
    fresh.disabled = false;
  }
}

/** After a reload: the thread's last answer, as the API kept it. */
async function restore() {
  const id = sessionStorage.getItem(THREAD);
  if (!id) return;
  try {
    const thread = await call(`/v1/threads/${encodeURIComponent(id)}`);
    const reply = thread.last_turn?.reply;
    if (reply) {
      const answer = message("Concierge", reply.text, "msg-concierge");
      turns += 1;
      const cards = replyCards(reply, `turn${turns}`);
      if (cards) answer.item.append(cards);
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) setThread(null);
    else problem.textContent = err.message;
  }
}

function reset() {
  log.replaceChildren();
  problem.textContent = "";
  setThread(null);
}

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text || busy) return;
  input.value = "";
  converse(text);
});

fresh.addEventListener("click", () => {
  reset();
  input.focus();
});

const expire = setupSession({
  allow: ["shopper"],
  content: $("chat"),
  refusal: (me) => `This key is for a ${me.role}; the chat is for shoppers. Staff use the console.`,
  onSignedIn: (me, restoring) => {
    showThread();
    if (restoring) restore();
    else input.focus();
  },
  onSignedOut: reset,
});
