// The merchandiser console: tasks and their dry-run preview, approvals, the audit log and its
// chart. Everything shown is what the API answered.

import { ApiError, call, query } from "./api.js";
import { decisionsByRule, decisionsChart, legend, table } from "./chart.js";
import { el, facts, nodes, timeElement, words } from "./dom.js";
import { setupSession } from "./session.js";

const $ = (id) => document.getElementById(id);
const NOTES = [
  "task-status",
  "task-error",
  "verdict",
  "approvals-note",
  "approvals-error",
  "audit-note",
  "audit-error",
];
const OWN = "You asked for this, so another person must decide it.";
let me = null;
let task = null;
let records = [];
let olderThan = null;
let drawnWidth = 0;

function failed(err, where) {
  const text = err instanceof ApiError ? err.message : `Cannot reach the API: ${err}`;
  where.textContent = text;
  if (err instanceof ApiError && err.status === 401) expire(text);
}

function badge(value, prefix) {
  return el("span", { className: `status ${prefix}-${value}` }, words(value));
}

function list(title, items, level = "h3") {
  if (!items.length) return null;
  return [el(level, {}, title), el("ul", {}, items.map((item) => el("li", {}, item)))];
}

function plural(n, one, many) {
  return n === 1 ? `1 ${one}` : `${n} ${many}`;
}

// Tasks

function decisionLine(decision) {
  if (!decision) return el("p", {}, "Policy: not decided");
  const id = ` (decision ${decision.decision_id})`;
  return el("p", {}, "Policy: ", badge(decision.effect, "effect"), id);
}

function executionLine(execution) {
  const done = execution ? `${words(execution.status)} ${execution.code}`.trim() : "not executed";
  return el("p", {}, `Execution: ${done}`);
}

function actionView(action) {
  const exact = facts(action.action, ["kind", "version"]);
  return el(
    "li",
    {},
    el(
      "article",
      { className: "panel", "data-kind": action.kind },
      el("h4", {}, action.summary || words(action.kind)),
      el("p", { className: "muted" }, "Action ", el("code", {}, action.kind)),
      action.impact ? [el("p", {}, "Expected impact"), facts(action.impact)] : null,
      decisionLine(action.decision),
      list("Reasons", action.decision?.reasons || [], "h5"),
      executionLine(action.execution),
      el("details", {}, el("summary", {}, "The action as it would execute"), exact),
    ),
  );
}

function showTask(result) {
  task = result;
  const asks = result.approvals.length;
  const outcome = result.outcome ? ` · ${words(result.outcome)}` : "";
  const waiting = `${plural(asks, "action waits", "actions wait")} for a person's approval`;
  const actions = result.actions.map(actionView);
  const planned = [el("h3", {}, "Planned actions"), el("ul", { className: "approvals" }, actions)];
  const report = result.reply && result.outcome !== "plan" ? result.reply.text : "";
  const refresh = el("button", { type: "button", className: "secondary" }, "Check again");
  refresh.addEventListener("click", refreshTask);
  $("preview").replaceChildren(
    ...nodes([
      el("p", {}, "Status: ", badge(result.status, "status"), outcome),
      el("p", { className: "muted" }, "Task ", el("code", {}, result.task_id)),
      result.summary ? el("p", { className: "text" }, result.summary) : null,
      list("Dry-run preview", result.preview),
      list("Warnings", result.warnings),
      actions.length ? planned : null,
      asks ? el("p", { className: "status status-pending" }, `${waiting} (see Approvals).`) : null,
      report ? el("p", { className: "text" }, report) : null,
      refresh,
    ]),
  );
  $("preview-section").hidden = false;
}

async function refreshTask() {
  if (!task) return;
  try {
    showTask(await call(`/v1/merch/tasks/${encodeURIComponent(task.task_id)}`));
    $("task-status").textContent = "Task brought up to date.";
  } catch (err) {
    failed(err, $("task-error"));
  }
}

async function submitTask(event) {
  event.preventDefault();
  const text = $("task").value.trim();
  $("task-error").textContent = "";
  if (!text) {
    $("task-error").textContent = "Describe the task first.";
    $("task").focus();
    return;
  }
  const button = $("task-form").querySelector("button[type=submit]");
  button.disabled = true;
  $("task-status").textContent = "Planning the task…";
  try {
    showTask(await call("/v1/merch/tasks", { method: "POST", body: { task: text } }));
    $("task-status").textContent = `Task planned: ${words(task.status)}.`;
    loadApprovals();
    loadAudit();
  } catch (err) {
    $("task-status").textContent = "";
    failed(err, $("task-error"));
  } finally {
    button.disabled = false;
  }
}

// Approvals

function decided(approval) {
  if (approval.status === "pending") return null;
  const who = `${words(approval.status)} by ${approval.resolved_by} `;
  const note = approval.note ? `: ${approval.note}` : "";
  return el("p", {}, who, timeElement(approval.resolved_at), note);
}

function verdictControls(approval) {
  const own = me !== null && approval.requested_by === me.subject;
  const noteId = `note-${approval.decision_id}`;
  const note = el("input", { id: noteId, type: "text", maxLength: 2000, autocomplete: "off" });
  const approve = el("button", { type: "button" }, "Approve");
  const reject = el("button", { type: "button", className: "danger" }, "Reject");
  for (const control of [note, approve, reject]) control.disabled = own;
  approve.addEventListener("click", () => decide(approval, true, note.value, [approve, reject]));
  reject.addEventListener("click", () => decide(approval, false, note.value, [approve, reject]));
  return [
    el("label", { for: noteId }, "Note (optional)"),
    note,
    el("div", { className: "actions" }, approve, reject),
    own ? el("p", { className: "muted" }, OWN) : null,
  ];
}

function approvalView(approval) {
  const titleId = `approval-${approval.decision_id}`;
  const asked = `Asked by ${approval.requested_by} `;
  return el(
    "li",
    {},
    el(
      "article",
      {
        className: "panel approval",
        "aria-labelledby": titleId,
        "data-decision-id": approval.decision_id,
      },
      el("h3", { id: titleId }, approval.action.name || words(approval.kind)),
      el("p", {}, badge(approval.status, "status"), " · ", el("code", {}, approval.kind)),
      el("p", { className: "muted" }, asked, timeElement(approval.requested_at)),
      list("Why it needs a person", approval.reasons, "h4"),
      facts(approval.action, ["kind", "version"]),
      decided(approval),
      approval.status === "pending" ? verdictControls(approval) : null,
    ),
  );
}

async function loadApprovals() {
  const status = $("approval-status").value;
  $("approvals-error").textContent = "";
  try {
    const page = await call(`/v1/approvals${query({ status, limit: 50 })}`);
    $("approvals").replaceChildren(...page.approvals.map(approvalView));
    const n = page.approvals.length;
    const more = page.next_offset ? " (the newest 50)" : "";
    $("approvals-note").textContent = n ? `${n} ${status}${more}.` : `Nothing ${status}.`;
  } catch (err) {
    failed(err, $("approvals-error"));
  }
}

function verdictText(approval, approve, result) {
  const what = `${approve ? "Approved" : "Rejected"}: ${approval.action.name || approval.kind}.`;
  if (result.status === "held") {
    return `${what} It waits for the task's other escalations: ${result.waiting_for.join(", ")}.`;
  }
  const turn = result.turn;
  return turn ? `${what} The task went on: ${turn.reply?.text || words(turn.status)}` : what;
}

async function decide(approval, approve, note, buttons) {
  for (const button of buttons) button.disabled = true;
  $("approvals-error").textContent = "";
  try {
    const url = `/v1/approvals/${encodeURIComponent(approval.decision_id)}`;
    const result = await call(url, { method: "POST", body: { approve, note } });
    $("verdict").textContent = verdictText(approval, approve, result);
    loadApprovals();
    loadAudit();
    if (task && task.task_id === approval.thread_id) refreshTask();
  } catch (err) {
    failed(err, $("approvals-error"));
    for (const button of buttons) button.disabled = false;
  }
}

// Audit log and chart

function auditFilters() {
  const form = new FormData($("audit-filters"));
  const text = (name) => String(form.get(name) || "").trim();
  const instant = (name) => (text(name) ? new Date(text(name)).toISOString() : "");
  return {
    actor: text("actor"),
    effect: text("effect"),
    rule: text("rule"),
    reason: text("reason"),
    kind: text("kind"),
    since: instant("since"),
    until: instant("until"),
    limit: text("limit") || 100,
  };
}

function auditRow(record) {
  const reasons = record.reasons.map((r) => el("li", {}, el("code", {}, r.code), ` ${r.rule_id}`));
  return el(
    "tr",
    { "data-seq": String(record.seq) },
    el("td", { className: "num" }, String(record.seq)),
    el("td", {}, timeElement(record.created_at)),
    el("td", {}, record.actor),
    el("td", {}, el("code", {}, record.action_kind)),
    el("td", {}, badge(record.effect, "effect")),
    el("td", {}, reasons.length ? el("ul", {}, reasons) : "–"),
    el("td", {}, el("code", {}, record.policy_version)),
  );
}

function drawChart() {
  const box = $("chart");
  drawnWidth = box.clientWidth;
  const data = decisionsByRule(records);
  if (!data.buckets.length) {
    box.replaceChildren(el("p", { className: "muted" }, "No decisions to chart."));
    $("chart-legend").replaceChildren();
    $("chart-table").replaceChildren();
    return;
  }
  const width = Math.max(280, Math.floor(box.clientWidth));
  box.replaceChildren(decisionsChart(data, width, { title: "chart-title", desc: "chart-desc" }));
  $("chart-legend").replaceChildren(legend(data));
  $("chart-table").replaceChildren(table(data));
}

async function loadAudit(more = false) {
  $("audit-error").textContent = "";
  const params = { ...auditFilters(), before_seq: more ? olderThan : "" };
  try {
    const page = await call(`/v1/audit${query(params)}`);
    records = more ? records.concat(page.records) : page.records;
    olderThan = page.next_before_seq;
    const rows = page.records.map(auditRow);
    if (more) $("audit-rows").append(...rows);
    else $("audit-rows").replaceChildren(...rows);
    $("audit-more").hidden = olderThan === null;
    const shown = plural(records.length, "decision", "decisions");
    const rest = olderThan === null ? "" : "; older ones remain";
    $("audit-note").textContent = `${shown} shown${rest}.`;
    drawChart();
  } catch (err) {
    failed(err, $("audit-error"));
  }
}

function clear() {
  me = null;
  task = null;
  records = [];
  olderThan = null;
  $("preview-section").hidden = true;
  for (const id of ["preview", "approvals", "audit-rows", "chart", "chart-legend", "chart-table"]) {
    $(id).replaceChildren();
  }
  for (const id of NOTES) $(id).textContent = "";
}

$("task-form").addEventListener("submit", submitTask);
$("approvals-filter").addEventListener("submit", (event) => {
  event.preventDefault();
  loadApprovals();
});
$("approval-status").addEventListener("change", loadApprovals);
$("audit-filters").addEventListener("submit", (event) => {
  event.preventDefault();
  loadAudit();
});
// A reset clears the fields after its event: reload once they are empty.
$("audit-filters").addEventListener("reset", () => setTimeout(() => loadAudit(), 0));
$("audit-more").addEventListener("click", () => loadAudit(true));
new ResizeObserver(() => {
  if (records.length && Math.abs($("chart").clientWidth - drawnWidth) > 4) drawChart();
}).observe($("chart"));

const expire = setupSession({
  allow: ["merchandiser", "admin"],
  content: $("console"),
  refusal: (who) => `This key is for a ${who.role}; the console is for merchandisers and admins.`,
  onSignedIn: (who, restoring) => {
    me = who;
    loadApprovals();
    loadAudit();
    if (!restoring) $("task").focus();
  },
  onSignedOut: clear,
});
