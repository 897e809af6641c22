// Pure formatting helpers: PyODPS's stage line, times, durations, result values.

const pad = (n, width = 2) => String(n).padStart(width, "0");

/** `YYYY-mm-dd HH:MM:SS` in the browser's local time zone (Python's `%Y-%m-%d %H:%M:%S`). */
export function localTime(date) {
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/**
 * PyODPS's `get_stage_progress_formatted_string()`, byte for byte (a port of
 * mcgateway.domain.format_stage_progress): the local wall-clock time and a space, then
 * `{id}:{running}/{terminated}/{total}{(+N backups)}[{pct}%]` and a TAB per stage.
 *
 * @param {Array<object>} stages Stage JSON (fields left out by the JSON mapping count as 0)
 * @param {Date} [at] the moment the progress was observed; now by default
 */
export function formatStageProgress(stages, at = new Date()) {
  const parts = [localTime(at), " "];
  for (const stage of stages) {
    const backupWorkers = stage.backupWorkers ?? 0;
    const backups = backupWorkers > 0 ? `(+${backupWorkers} backups)` : "";
    parts.push(
      `${stage.id ?? ""}:${stage.runningWorkers ?? 0}/${stage.terminatedWorkers ?? 0}` +
        `/${stage.totalWorkers ?? 0}${backups}[${stage.finishedPercentage ?? 0}%]\t`,
    );
  }
  return parts.join("");
}

/** A task's overall progress: the mean of its stages' percentages (0 without stages), as
 * `mcgw watch` draws it. */
export function overallPercentage(stages) {
  if (!stages || !stages.length) return 0;
  const sum = stages.reduce((acc, s) => acc + (s.finishedPercentage ?? 0), 0);
  return sum / stages.length;
}

/** A protobuf JSON Timestamp (RFC 3339, up to nanoseconds) as a Date; null when absent. */
export function parseTimestamp(text) {
  if (!text) return null;
  // Date.parse is only required to read milliseconds: cut finer fractions.
  const trimmed = String(text).replace(/(\.\d{3})\d+/, "$1");
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** A duration in seconds as `1h 02m 03s`, `2m 05s` or `7s`. */
export function formatDuration(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/** How long an instance ran: start to end, or start to `now` while it runs. */
export function instanceDuration(instance, now = new Date()) {
  const start = parseTimestamp(instance.startTime);
  if (!start) return "";
  const end = parseTimestamp(instance.endTime) ?? (instance.state === "TERMINATED" ? null : now);
  if (!end) return "";
  return formatDuration((end - start) / 1000);
}

/** The status an operator reads: RUNNING, SUSPENDED, or TERMINATED with its outcome. */
export function statusText(instance) {
  const state = instance.state || "STATE_UNSPECIFIED";
  if (state !== "TERMINATED") return state;
  if (instance.successful === true) return "TERMINATED (succeeded)";
  if (instance.successful === false) return "TERMINATED (failed)";
  return "TERMINATED";
}

/** A ReadInstanceResult ResultValue (JSON mapping) as display text. */
export function resultValueText(value) {
  if (!value || typeof value !== "object") return "";
  if ("nullValue" in value) return "NULL";
  if ("int64Value" in value) return String(value.int64Value);
  if ("doubleValue" in value) return String(value.doubleValue);
  if ("decimalValue" in value) return value.decimalValue;
  if ("stringValue" in value) return value.stringValue;
  if ("bytesValue" in value) return `0x${base64ToHex(value.bytesValue)}`;
  if ("boolValue" in value) return value.boolValue ? "true" : "false";
  if ("dateValue" in value) return value.dateValue;
  if ("timestampValue" in value) return value.timestampValue;
  if ("arrayValue" in value) {
    return `[${(value.arrayValue.values || []).map(resultValueText).join(", ")}]`;
  }
  if ("structValue" in value) {
    return `{${(value.structValue.values || []).map(resultValueText).join(", ")}}`;
  }
  if ("mapValue" in value) {
    const entries = (value.mapValue.entries || []).map(
      (e) => `${resultValueText(e.key)}: ${resultValueText(e.value)}`,
    );
    return `{${entries.join(", ")}}`;
  }
  // A proto3 oneof with its default value set is still sent; anything else is unknown.
  return "";
}

function base64ToHex(text) {
  try {
    return Array.from(atob(text), (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
  } catch {
    return text;
  }
}
