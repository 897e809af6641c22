// The live dashboard: one WatchInstances stream fills the table; WatchInstance streams move the
// progress bars of running instances; the detail view adds tasks, Logview, summary and cost, and
// a result preview. See docs/http.md, "Dashboard".

import { ApiError, Gateway, follow } from "./api.js";
import { el, replaceChildren, setText } from "./dom.js";
import {
  formatStageProgress,
  instanceDuration,
  localTime,
  overallPercentage,
  parseTimestamp,
  resultValueText,
  statusText,
} from "./format.js";

// Browsers open at most 6 HTTP/1.1 connections per host, and every stream holds one for its
// whole life: the table's WatchInstances takes one and progress streams at most this many,
// which leaves one for unary calls (stop, details).
const MAX_PROGRESS_STREAMS = 4;
const RESULT_PREVIEW_ROWS = 20;
const RECENT_HOURS = 24;
const RECENT_PAGE = 100;
const STORAGE = { project: "mcgateway.dashboard.project", token: "mcgateway.dashboard.token" };

const $ = (id) => document.getElementById(id);

const ui = {
  connection: $("connection"),
  project: $("project"),
  token: $("token"),
  status: $("connection-status"),
  alert: $("alert"),
  filterStatus: $("filter-status"),
  filterOwner: $("filter-owner"),
  owners: $("owners"),
  shownCount: $("shown-count"),
  tbody: document.querySelector("#instances tbody"),
  empty: $("empty"),
  detail: $("detail"),
  detailHeading: $("detail-heading"),
  detailClose: $("detail-close"),
  detailFacts: $("detail-facts"),
  detailStop: $("detail-stop"),
  detailLogview: $("detail-logview"),
  logviewLink: $("logview-link"),
  detailTasks: $("detail-tasks"),
  detailResult: $("detail-result"),
  stopDialog: $("stop-dialog"),
  stopText: $("stop-text"),
  announcer: $("announcer"),
};

const gateway = new Gateway({ token: () => sessionStorage.getItem(STORAGE.token) || "" });

/**
 * Everything the page knows about one instance.
 * @typedef {{
 *   instance: object,
 *   progress: Map<string, {stages: object[], at: Date}>,
 *   row: HTMLTableRowElement,
 *   cells: Record<string, HTMLElement>,
 *   watch: AbortController|null,
 *   watchDone: boolean,
 * }} Entry
 */

const state = {
  project: "_",
  /** @type {Map<string, Entry>} */
  entries: new Map(),
  /** @type {AbortController|null} */
  list: null,
  primed: false,
  // The gateway authorizes per project: a token that may watch a project may stop its
  // instances, so Stop shows once the table's stream is admitted (a 403 is still explained).
  canStop: false,
  /** @type {string|null} */
  selected: null,
  /** @type {AbortController|null} */
  detailAbort: null,
};

// ---------------------------------------------------------------------------------------------
// Connection

/** The HTTP path of an instance of the chosen project, with a sub-path or `:method`. */
function instancePath(id, rest = "") {
  return gateway.path(state.project, `instances/${encodeURIComponent(id)}${rest}`);
}

/** GET one task's sub-resource (`progress`, `summary`) of an instance. */
function taskGet(id, taskName, leaf) {
  return gateway.call("GET", instancePath(id, `/tasks/${encodeURIComponent(taskName)}/${leaf}`));
}

function currentProject() {
  return ui.project.value.trim() || "_";
}

function connect() {
  state.project = currentProject();
  sessionStorage.setItem(STORAGE.project, state.project);
  const token = ui.token.value.trim();
  if (token) sessionStorage.setItem(STORAGE.token, token);
  else sessionStorage.removeItem(STORAGE.token);

  state.list?.abort();
  for (const entry of state.entries.values()) entry.watch?.abort();
  state.entries.clear();
  ui.tbody.replaceChildren();
  closeDetail(false);
  state.primed = false;
  state.canStop = false;
  hideAlert();
  refreshCounts();

  const controller = new AbortController();
  state.list = controller;
  const url = () => gateway.path(state.project, "instances:watch");
  follow(gateway, url, {
    signal: controller.signal,
    onMessage: (message) => onListEvent(message),
    onReset: () => {
      for (const entry of state.entries.values()) entry.watch?.abort();
      state.entries.clear();
      ui.tbody.replaceChildren();
      state.primed = false;
      seedRecent(controller.signal);
    },
    onState: (phase, detail) => onListState(phase, detail),
  });
  seedRecent(controller.signal);
}

/**
 * WatchInstances follows running instances only, so the table also starts with the instances
 * that ended in the last RECENT_HOURS (one ListInstances page); the stream's own events win
 * over these older reads.
 */
async function seedRecent(signal) {
  const since = new Date(Date.now() - RECENT_HOURS * 3600 * 1000).toISOString();
  const query = new URLSearchParams({
    stateFilter: "TERMINATED",
    minStartTime: since,
    pageSize: String(RECENT_PAGE),
  });
  let response;
  try {
    response = await gateway.call("GET", `${gateway.path(state.project, "instances")}?${query}`);
  } catch {
    // The stream reports why the project cannot be read; history is a bonus.
    return;
  }
  if (signal.aborted) return;
  for (const instance of response.instances || []) {
    if (!state.entries.has(instance.instanceId)) upsert(instance, { announceChange: false });
  }
  refreshCounts();
}

function onListState(phase, detail) {
  if (phase === "connecting") {
    setConnection("connecting", detail?.attempt ? "Reconnecting…" : "Connecting…");
  } else if (phase === "live") {
    state.canStop = true;
    hideAlert();
    setConnection("live", `Live: project ${state.project}`);
    for (const entry of state.entries.values()) renderActions(entry);
  } else if (phase === "retrying" && detail.error?.reason === "MAX_STREAM_AGE") {
    // A routine end: the gateway rotates long streams so load rebalances.
    setConnection("connecting", "Reconnecting…");
  } else if (phase === "retrying") {
    const seconds = Math.max(1, Math.round(detail.delay / 1000));
    const why = detail.error ? `${detail.error.message}; ` : "";
    setConnection("retrying", `Stream interrupted: ${why}reconnecting in ${seconds} s`);
  } else if (phase === "failed") {
    setConnection("failed", `Not connected: ${detail.message}`);
    explainFailure(detail);
  }
}

function setConnection(phase, text) {
  ui.status.dataset.state = phase;
  setText(ui.status, text);
}

/** Tells the user what to do about a permanent error, and moves focus where they can act. */
function explainFailure(err) {
  if (err.httpStatus === 401) {
    showAlert(
      `The gateway needs a valid access token (${err.message}). Enter it above and press Connect.`,
    );
    ui.token.focus();
  } else if (err.httpStatus === 403) {
    showAlert(`This token may not use project “${state.project}”: ${err.message}`);
    ui.project.focus();
  } else if (err.httpStatus === 404 || err.httpStatus === 400) {
    showAlert(`The gateway refused project “${state.project}”: ${err.message}`);
    ui.project.focus();
  } else {
    showAlert(err.message);
  }
}

function showAlert(text) {
  ui.alert.hidden = false;
  setText(ui.alert, text);
}

function hideAlert() {
  ui.alert.hidden = true;
  setText(ui.alert, "");
}

/** Polite announcement for screen readers (status changes, results of actions). */
function announce(text) {
  const line = el("p", {}, text);
  ui.announcer.append(line);
  // Keep the live region short: old lines have been read already.
  while (ui.announcer.childElementCount > 5) ui.announcer.firstElementChild.remove();
}

// ---------------------------------------------------------------------------------------------
// The instance table (WatchInstances)

function onListEvent(message) {
  const type = message.eventType;
  if (type === "SNAPSHOT_END") {
    state.primed = true;
    refreshCounts();
    announce(`${state.entries.size} instances in project ${state.project}`);
    return;
  }
  if (!message.instance || !["ADDED", "CHANGED", "TERMINATED"].includes(type)) return;
  upsert(message.instance, { announceChange: state.primed });
}

/** Adds or updates an instance's row from any message that carries the Instance. */
function upsert(instance, { announceChange = true } = {}) {
  const id = instance.instanceId;
  let entry = state.entries.get(id);
  if (!entry) {
    entry = createEntry(instance);
    state.entries.set(id, entry);
    insertRow(entry);
    if (announceChange) announce(`New instance ${id}: ${statusText(instance)}`);
    addOwner(instance.owner);
  } else {
    const before = statusText(entry.instance);
    // Watch streams may carry the same instance with or without tasks: keep what we know.
    entry.instance = { ...entry.instance, ...instance };
    const after = statusText(entry.instance);
    if (announceChange && before !== after) announce(`Instance ${id} is now ${after}`);
  }
  renderRow(entry);
  if (state.selected === id) renderDetailFacts(entry);
  scheduleProgressStreams();
  applyFilters();
}

function createEntry(instance) {
  const id = instance.instanceId;
  const detailsButton = el(
    "button",
    {
      type: "button",
      class: "link",
      "aria-label": `Details of instance ${id}`,
      onclick: () => openDetail(id),
    },
    id,
  );
  const cells = {
    id: el("td", {}, detailsButton),
    status: el("td"),
    owner: el("td", { class: "owner" }),
    start: el("td", { class: "num" }),
    duration: el("td", { class: "num" }),
    progress: el("td"),
    actions: el("td"),
  };
  const row = el("tr", { dataset: { instanceId: id } }, Object.values(cells));
  return { instance, progress: new Map(), row, cells, watch: null, watchDone: false };
}

function startMillis(instance) {
  return parseTimestamp(instance.startTime)?.getTime() ?? Number.MAX_SAFE_INTEGER;
}

/** Keeps the table newest first. */
function insertRow(entry) {
  const start = startMillis(entry.instance);
  for (const other of ui.tbody.rows) {
    const otherEntry = state.entries.get(other.dataset.instanceId);
    if (otherEntry && startMillis(otherEntry.instance) < start) {
      ui.tbody.insertBefore(entry.row, other);
      return;
    }
  }
  ui.tbody.append(entry.row);
}

function isRunning(instance) {
  return instance.state !== "TERMINATED";
}

function outcome(instance) {
  if (instance.state !== "TERMINATED") return null;
  if (instance.successful === true) return "succeeded";
  if (instance.successful === false) return "failed";
  return null;
}

function renderRow(entry) {
  const { instance, cells } = entry;
  entry.row.dataset.state = instance.state || "STATE_UNSPECIFIED";
  let badge = cells.status.firstElementChild;
  if (!badge) {
    badge = el("span", { class: "badge" });
    cells.status.append(badge);
  }
  badge.dataset.state = instance.state || "";
  if (outcome(instance)) badge.dataset.outcome = outcome(instance);
  else delete badge.dataset.outcome;
  setText(badge, statusText(instance));
  if (instance.failureMessage) badge.title = instance.failureMessage;
  setText(cells.owner, instance.owner || "");
  const start = parseTimestamp(instance.startTime);
  setText(cells.start, start ? localTime(start) : "");
  setText(cells.duration, instanceDuration(instance));
  renderProgressCell(entry);
  renderActions(entry);
}

function renderActions(entry) {
  const show = state.canStop && isRunning(entry.instance);
  let button = entry.cells.actions.querySelector("button");
  if (!show) {
    // Removing the focused button would drop a keyboard user's place: move to the row.
    if (button && document.activeElement === button) {
      entry.cells.id.querySelector("button")?.focus();
    }
    button?.remove();
    return;
  }
  if (!button) {
    const id = entry.instance.instanceId;
    button = el(
      "button",
      {
        type: "button",
        class: "danger",
        "aria-label": `Stop instance ${id}`,
        onclick: (event) => confirmStop(id, event.currentTarget),
      },
      "Stop",
    );
    entry.cells.actions.append(button);
  }
}

/** One bar per task (the mean of its stages) and the task's stage line as PyODPS prints it. */
function renderProgressCell(entry) {
  const cell = entry.cells.progress;
  const seen = new Set();
  for (const [taskName, progress] of entry.progress) {
    seen.add(taskName);
    let block = cell.querySelector(`[data-task="${CSS.escape(taskName)}"]`);
    if (!block) {
      block = el(
        "div",
        { class: "task", dataset: { task: taskName } },
        el(
          "div",
          { class: "task-head" },
          el("span", { class: "task-name" }, taskName),
          el("progress", { max: "100", value: "0", "aria-label": `Progress of task ${taskName}` }),
          el("span", { class: "pct" }),
        ),
        el("p", { class: "stage-line" }),
      );
      cell.append(block);
    }
    updateBar(block, progress.stages, entry.instance);
    setText(block.querySelector(".stage-line"), formatStageProgress(progress.stages, progress.at));
  }
  for (const block of cell.querySelectorAll("[data-task]")) {
    if (!seen.has(block.dataset.task)) block.remove();
  }
}

function updateBar(block, stages, instance) {
  const pct = Math.floor(overallPercentage(stages));
  const bar = block.querySelector("progress");
  if (bar.value !== pct) bar.value = pct;
  bar.setAttribute("aria-valuetext", `${pct}%`);
  if (outcome(instance)) bar.dataset.outcome = outcome(instance);
  setText(block.querySelector(".pct"), `${pct}%`);
}

// ---------------------------------------------------------------------------------------------
// Progress streams (WatchInstance), a few at a time

/** Opens WatchInstance streams for running instances: the selected one first, then newest. */
function scheduleProgressStreams() {
  const running = [...state.entries.values()]
    .filter((e) => isRunning(e.instance) && !e.watchDone)
    .sort((a, b) => startMillis(b.instance) - startMillis(a.instance));
  const selected = state.selected ? state.entries.get(state.selected) : null;
  if (selected && !selected.watchDone && !selected.watch) {
    running.splice(running.indexOf(selected), 1);
    running.unshift(selected);
  }
  let open = [...state.entries.values()].filter((e) => e.watch).length;
  for (const entry of running) {
    if (entry.watch) continue;
    if (open >= MAX_PROGRESS_STREAMS) {
      if (entry !== selected) break;
      // Make room for the instance the user is looking at.
      const victim = [...state.entries.values()].find((e) => e.watch && e !== selected);
      if (!victim) break;
      victim.watch.abort();
      victim.watch = null;
      open -= 1;
    }
    watchProgress(entry);
    open += 1;
  }
}

function watchProgress(entry) {
  const controller = new AbortController();
  entry.watch = controller;
  const id = entry.instance.instanceId;
  const url = () => instancePath(id, ":watch");
  follow(gateway, url, {
    signal: controller.signal,
    onMessage: (message) => onInstanceEvent(entry, message),
    until: (message) => message.eventType === "TERMINAL",
    onState: (phase) => {
      if (phase === "ended" || phase === "failed") {
        entry.watchDone = true;
        if (entry.watch === controller) entry.watch = null;
        scheduleProgressStreams();
      }
    },
  });
}

function onInstanceEvent(entry, message) {
  const at = parseTimestamp(message.observeTime) ?? new Date();
  for (const progress of message.progress || []) {
    entry.progress.set(progress.taskName, { stages: progress.stages || [], at });
  }
  if (message.instance) upsert(message.instance);
  else renderProgressCell(entry);
  if (state.selected === entry.instance.instanceId) renderDetailStages(entry);
  if (message.eventType === "TERMINAL" && !(message.progress || []).length) {
    // A stream that reconnected after the end gets the final state without stages: read
    // each task's last progress once, so the bars show where the tasks ended.
    loadTaskProgress(entry, { replace: true }).then(() => {
      renderProgressCell(entry);
      if (state.selected === entry.instance.instanceId) renderDetailStages(entry);
    });
  }
}

/** Reads GetTaskProgress for the instance's tasks (those without progress, or all). */
async function loadTaskProgress(entry, { replace = false } = {}) {
  const id = entry.instance.instanceId;
  const tasks = (entry.instance.tasks || []).filter((t) => replace || !entry.progress.has(t.name));
  await Promise.all(
    tasks.map(async (task) => {
      try {
        const progress = await taskGet(id, task.name, "progress");
        if (progress.stages?.length) {
          entry.progress.set(task.name, { stages: progress.stages, at: new Date() });
        }
      } catch {
        // Not every task type reports stages; its bar then stays as it was.
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Filters

function addOwner(owner) {
  if (!owner) return;
  for (const option of ui.owners.options) if (option.value === owner) return;
  ui.owners.append(el("option", { value: owner }));
}

function matches(instance) {
  const wanted = ui.filterStatus.value;
  if (wanted === "SUCCEEDED" && outcome(instance) !== "succeeded") return false;
  if (wanted === "FAILED" && outcome(instance) !== "failed") return false;
  if (["RUNNING", "SUSPENDED", "TERMINATED"].includes(wanted) && instance.state !== wanted) {
    return false;
  }
  const owner = ui.filterOwner.value.trim().toLowerCase();
  return !owner || (instance.owner || "").toLowerCase().includes(owner);
}

function applyFilters() {
  for (const entry of state.entries.values()) {
    const visible = matches(entry.instance);
    if (entry.row.hidden === visible) entry.row.hidden = !visible;
  }
  refreshCounts();
}

function refreshCounts() {
  const total = state.entries.size;
  const shown = [...state.entries.values()].filter((e) => !e.row.hidden).length;
  ui.empty.hidden = shown > 0;
  setText(ui.empty, total ? "No instance matches the filters." : "No instances yet.");
  setText(ui.shownCount, state.primed ? `Showing ${shown} of ${total} instances` : "");
}

// ---------------------------------------------------------------------------------------------
// Stop, with confirmation

/** Asks for confirmation in a modal dialog, then stops the instance. */
function confirmStop(id, opener) {
  ui.stopText.textContent = `Instance ${id} will be stopped in MaxCompute. Its running tasks are cancelled; this cannot be undone.`;
  ui.stopDialog.returnValue = "";
  ui.stopDialog.addEventListener(
    "close",
    () => {
      opener?.isConnected && opener.focus();
      if (ui.stopDialog.returnValue === "stop") stopInstance(id);
    },
    { once: true },
  );
  ui.stopDialog.showModal();
}

async function stopInstance(id) {
  announce(`Stopping instance ${id}…`);
  try {
    const response = await gateway.call(
      "POST",
      instancePath(id, ":stop"),
      {},
    );
    if (response.instance) upsert(response.instance);
    announce(`Stop requested for instance ${id}`);
  } catch (err) {
    const e = err instanceof ApiError ? err : new ApiError(0, String(err));
    if (e.httpStatus === 403) {
      showAlert(`This token may not stop instance ${id} in project “${state.project}”: ${e.message}`);
    } else if (e.reason === "INSTANCE_NOT_RUNNING" || e.httpStatus === 400) {
      showAlert(`Instance ${id} could not be stopped: ${e.message}`);
    } else {
      showAlert(`Stopping instance ${id} failed: ${e.message}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Detail view

async function openDetail(id) {
  const entry = state.entries.get(id);
  if (!entry) return;
  state.detailAbort?.abort();
  const controller = new AbortController();
  state.detailAbort = controller;
  for (const e of state.entries.values()) e.row.removeAttribute("aria-selected");
  entry.row.setAttribute("aria-selected", "true");
  state.selected = id;
  ui.detail.hidden = false;
  setText(ui.detailHeading, `Instance ${id}`);
  ui.logviewLink.hidden = true;
  ui.logviewLink.removeAttribute("href");
  delete ui.detailTasks.dataset.instance;
  delete ui.detailTasks.dataset.final;
  replaceChildren(ui.detailTasks, el("p", { class: "note" }, "Loading tasks…"));
  replaceChildren(ui.detailResult);
  renderDetailFacts(entry);
  ui.detailHeading.focus();
  scheduleProgressStreams();
  await loadDetail(entry, controller.signal);
}

/** Reads the instance with its tasks (GetInstance), then, once it has ended, the summaries,
 * cost and result preview. Runs again when an open instance terminates. */
async function loadDetail(entry, signal) {
  const id = entry.instance.instanceId;
  try {
    const instance = await gateway.call(
      "GET",
      instancePath(id),
    );
    if (signal.aborted) return;
    // Mark the tasks as loaded before upsert, which would otherwise start this again.
    ui.detailTasks.dataset.instance = id;
    if (!isRunning(instance)) ui.detailTasks.dataset.final = id;
    upsert(instance, { announceChange: false });
  } catch (err) {
    if (signal.aborted) return;
    replaceChildren(ui.detailTasks, el("p", { class: "note" }, `Could not load: ${err.message}`));
    return;
  }
  renderDetailTasks(entry);
  if (!isRunning(entry.instance)) await loadFinalDetails(entry, signal);
}

function closeDetail(restoreFocus = true) {
  const id = state.selected;
  state.detailAbort?.abort();
  state.detailAbort = null;
  state.selected = null;
  ui.detail.hidden = true;
  const entry = id ? state.entries.get(id) : null;
  entry?.row.removeAttribute("aria-selected");
  if (restoreFocus && entry) entry.cells.id.querySelector("button")?.focus();
}

function renderDetailFacts(entry) {
  const { instance } = entry;
  const facts = [
    ["Status", statusText(instance)],
    ["Owner", instance.owner || "—"],
    ["Start", parseTimestamp(instance.startTime) ? localTime(parseTimestamp(instance.startTime)) : "—"],
    ["End", parseTimestamp(instance.endTime) ? localTime(parseTimestamp(instance.endTime)) : "—"],
    ["Duration", instanceDuration(instance) || "—"],
    ["Priority", instance.priority ?? "—"],
  ];
  if (instance.failureMessage) facts.push(["Failure", instance.failureMessage]);
  replaceChildren(
    ui.detailFacts,
    facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", { dataset: { fact: k } }, v)]),
  );
  const canStop = state.canStop && isRunning(instance);
  if (!canStop && document.activeElement === ui.detailStop) ui.detailHeading.focus();
  ui.detailStop.hidden = !canStop;
  const id = instance.instanceId;
  if (
    !isRunning(instance) &&
    ui.detailTasks.dataset.instance === id &&
    ui.detailTasks.dataset.final !== id &&
    state.detailAbort
  ) {
    // The instance ended while open: read its final tasks, summaries and result once.
    ui.detailTasks.dataset.final = id;
    loadDetail(entry, state.detailAbort.signal);
  }
}

function renderDetailTasks(entry) {
  const tasks = entry.instance.tasks || [];
  if (!tasks.length) {
    replaceChildren(ui.detailTasks, el("p", { class: "note" }, "This instance has no tasks."));
    return;
  }
  replaceChildren(
    ui.detailTasks,
    tasks.map((task) =>
      el(
        "article",
        { class: "task-card", dataset: { task: task.name }, "aria-label": `Task ${task.name}` },
        el("h4", {}, `${task.name} `, renderTaskBadge(el("span", { class: "badge" }), task)),
        el("p", { class: "note" }, `Type ${task.type || "?"}`),
        el("ul", { class: "stages", "aria-label": `Stages of task ${task.name}` }),
        el("p", { class: "stage-line" }),
        el("div", { class: "task-summary" }),
      ),
    ),
  );
  renderDetailStages(entry);
  if (isRunning(entry.instance)) {
    replaceChildren(
      ui.detailResult,
      el("p", { class: "note" }, "The result preview is shown once the instance has succeeded."),
    );
  }
}

/** A task's state as a badge coloured like the instance statuses. */
function renderTaskBadge(badge, task) {
  const taskState = task.state || "STATE_UNSPECIFIED";
  badge.dataset.state = taskState;
  if (taskState === "SUCCEEDED") badge.dataset.outcome = "succeeded";
  else if (["FAILED", "CANCELLED"].includes(taskState)) badge.dataset.outcome = "failed";
  else delete badge.dataset.outcome;
  setText(badge, taskState);
  return badge;
}

function renderDetailStages(entry) {
  for (const card of ui.detailTasks.querySelectorAll("[data-task]")) {
    const progress = entry.progress.get(card.dataset.task);
    const task = (entry.instance.tasks || []).find((t) => t.name === card.dataset.task);
    if (task) renderTaskBadge(card.querySelector(".badge"), task);
    if (!progress) continue;
    const list = card.querySelector(".stages");
    replaceChildren(
      list,
      progress.stages.map((s) =>
        el(
          "li",
          {},
          el("span", {}, s.id),
          el("progress", {
            max: "100",
            value: String(s.finishedPercentage ?? 0),
            "aria-label": `Stage ${s.id} of task ${card.dataset.task}`,
          }),
          el(
            "span",
            {},
            `${s.runningWorkers ?? 0} running, ${s.terminatedWorkers ?? 0}/${s.totalWorkers ?? 0} done, ${s.finishedPercentage ?? 0}%`,
          ),
        ),
      ),
    );
    setText(card.querySelector(".stage-line"), formatStageProgress(progress.stages, progress.at));
  }
}

/** Summaries and cost of every task, stage progress if none was streamed, result preview. */
async function loadFinalDetails(entry, signal) {
  const tasks = entry.instance.tasks || [];
  await Promise.all([
    loadTaskProgress(entry),
    ...tasks.map((task) => loadSummary(entry, task, signal)),
  ]);
  if (signal.aborted) return;
  renderDetailStages(entry);
  renderProgressCell(entry);
  await loadResultPreview(entry, signal);
}

async function loadSummary(entry, task, signal) {
  const id = entry.instance.instanceId;
  const card = ui.detailTasks.querySelector(`[data-task="${CSS.escape(task.name)}"]`);
  const target = card?.querySelector(".task-summary");
  if (!target) return;
  replaceChildren(target, el("p", { class: "note" }, "Loading summary…"));
  try {
    const summary = await taskGet(id, task.name, "summary");
    if (signal.aborted) return;
    const cost = summary.cost || {};
    const cpu = Number(cost.cpuCenticoreSecondsUsed ?? 0) / 100;
    replaceChildren(
      target,
      el("h5", {}, "Cost"),
      el(
        "dl",
        { class: "facts cost" },
        el("dt", {}, "CPU"),
        el("dd", {}, `${cpu.toFixed(2)} core·s`),
        el("dt", {}, "Memory"),
        el("dd", {}, `${Number(cost.memoryMbSecondsUsed ?? 0)} MB·s`),
        el("dt", {}, "Input"),
        el("dd", {}, `${Number(cost.inputBytes ?? 0)} bytes`),
      ),
      el("h5", {}, "Summary"),
      summary.summaryText
        ? el("pre", { class: "summary", tabindex: "0" }, summary.summaryText)
        : el("p", { class: "note" }, "No summary text."),
    );
  } catch (err) {
    if (signal.aborted) return;
    replaceChildren(target, el("p", { class: "note" }, `Summary not available: ${err.message}`));
  }
}

async function loadResultPreview(entry, signal) {
  const { instance } = entry;
  if (instance.successful === false) {
    replaceChildren(
      ui.detailResult,
      el("p", { class: "note" }, "The instance failed; it has no result."),
    );
    return;
  }
  replaceChildren(ui.detailResult, el("p", { class: "note" }, "Loading the first rows…"));
  const url = gateway.path(
    state.project,
    `instances/${encodeURIComponent(instance.instanceId)}:readResult?limit=${RESULT_PREVIEW_ROWS}`,
  );
  let messages;
  try {
    messages = await gateway.collect(url, { signal });
  } catch (err) {
    if (signal.aborted) return;
    const why =
      err.httpStatus === 501 || err.httpStatus === 404
        ? "this gateway cannot read results yet"
        : err.message;
    replaceChildren(
      ui.detailResult,
      el("p", { class: "note" }, `The result preview is not available: ${why}.`),
    );
    return;
  }
  if (signal.aborted) return;
  const columns = messages.find((m) => m.schema)?.schema?.columns || [];
  const total = messages.find((m) => m.totalRowCount !== undefined)?.totalRowCount;
  const rows = messages.flatMap((m) => m.rowBatch?.rows || []);
  if (!columns.length) {
    replaceChildren(ui.detailResult, el("p", { class: "note" }, "This instance returned no rows."));
    return;
  }
  const of = total !== undefined ? Number(total) : rows.length;
  const caption = `Showing ${rows.length} of ${of} row${of === 1 ? "" : "s"}`;
  replaceChildren(
    ui.detailResult,
    el(
      "table",
      {},
      el("caption", {}, caption),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          columns.map((c) => el("th", { scope: "col", title: c.type }, c.name)),
        ),
      ),
      el(
        "tbody",
        {},
        rows.map((r) => el("tr", {}, (r.values || []).map((v) => el("td", {}, resultValueText(v))))),
      ),
    ),
  );
}

async function showLogview() {
  const id = state.selected;
  if (!id) return;
  ui.detailLogview.disabled = true;
  try {
    const response = await gateway.call(
      "POST",
      instancePath(id, ":generateLogviewAddress"),
      {},
    );
    if (state.selected !== id) return;
    ui.logviewLink.href = response.url;
    const expires = parseTimestamp(response.expireTime);
    setText(
      ui.logviewLink,
      expires ? `Open Logview (valid until ${localTime(expires)})` : "Open Logview",
    );
    ui.logviewLink.hidden = false;
    ui.logviewLink.focus();
  } catch (err) {
    showAlert(`No Logview link for instance ${id}: ${err.message}`);
  } finally {
    ui.detailLogview.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Start

function tick() {
  const now = new Date();
  for (const entry of state.entries.values()) {
    if (isRunning(entry.instance)) setText(entry.cells.duration, instanceDuration(entry.instance, now));
  }
  const selected = state.selected ? state.entries.get(state.selected) : null;
  const cell = ui.detailFacts.querySelector('[data-fact="Duration"]');
  if (selected && cell && isRunning(selected.instance)) {
    setText(cell, instanceDuration(selected.instance, now));
  }
}

function main() {
  ui.project.value = sessionStorage.getItem(STORAGE.project) || "_";
  ui.token.value = sessionStorage.getItem(STORAGE.token) || "";
  ui.connection.addEventListener("submit", (event) => {
    event.preventDefault();
    if (ui.connection.reportValidity()) connect();
  });
  ui.filterStatus.addEventListener("change", applyFilters);
  ui.filterOwner.addEventListener("input", applyFilters);
  document.getElementById("filters").addEventListener("submit", (e) => e.preventDefault());
  ui.detailClose.addEventListener("click", () => closeDetail());
  ui.detail.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !ui.stopDialog.open) closeDetail();
  });
  ui.detailStop.addEventListener("click", (event) => {
    if (state.selected) confirmStop(state.selected, event.currentTarget);
  });
  ui.detailLogview.addEventListener("click", showLogview);
  setInterval(tick, 1000);
  document.body.dataset.ready = "true";
  connect();
}

main();
