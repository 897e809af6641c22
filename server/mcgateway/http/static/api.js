// The gateway's HTTP/JSON API as the dashboard uses it: unary calls, Server-Sent Events read
// with fetch (EventSource cannot send an Authorization header), and google.rpc.Status errors.
// Field names follow the protobuf JSON mapping (lowerCamelCase, enums as names, int64 as
// strings, default values omitted).

/** A failed call: the HTTP status plus the google.rpc.Status the gateway answered with. */
export class ApiError extends Error {
  /**
   * @param {number} httpStatus HTTP status code (0 when the gateway could not be reached)
   * @param {string} message human-readable text
   * @param {{code?: number, reason?: string}} [status] the Status's code and ErrorInfo reason
   */
  constructor(httpStatus, message, status = {}) {
    super(message);
    this.name = "ApiError";
    this.httpStatus = httpStatus;
    this.code = status.code ?? 0;
    this.reason = status.reason ?? "";
  }

  /** Whether retrying the same call later cannot help (bad token, no access, bad input). */
  get permanent() {
    return [400, 401, 403, 404, 405, 501].includes(this.httpStatus);
  }
}

// google.rpc.Code → HTTP status (the standard mapping the gateway answers with), for errors
// that arrive inside a stream whose HTTP status was already 200.
const HTTP_OF_CODE = {
  1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429,
  9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401,
};

/** An ApiError for a Status sent as a stream's last event (`event: error`). */
export function streamError(body) {
  let code = 0;
  try {
    code = JSON.parse(body).code ?? 0;
  } catch {
    code = 0;
  }
  return statusError(HTTP_OF_CODE[code] ?? 500, body);
}

/** Builds an ApiError from a google.rpc.Status JSON body (or whatever else came back). */
export function statusError(httpStatus, body) {
  let parsed = null;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = null;
    }
  } else {
    parsed = body;
  }
  if (parsed && typeof parsed === "object" && "message" in parsed) {
    const info = (parsed.details || []).find((d) =>
      String(d["@type"] || "").endsWith("google.rpc.ErrorInfo"),
    );
    return new ApiError(httpStatus, String(parsed.message || `HTTP ${httpStatus}`), {
      code: parsed.code,
      reason: info ? info.reason : "",
    });
  }
  const text = typeof body === "string" && body.trim() ? body.trim().slice(0, 200) : "";
  return new ApiError(httpStatus, text || `HTTP ${httpStatus}`);
}

/**
 * Parses a text/event-stream body into events, as the HTML standard's SSE parser does:
 * lines end with LF, CR or CRLF; `:` lines are comments (heartbeats); `data:` lines join with
 * LF; a blank line dispatches; an event without data is not dispatched.
 *
 * @param {ReadableStream<Uint8Array>} body
 * @returns {AsyncGenerator<{event: string, data: string, id: string|null}>}
 *   `id` is null when the event carried no `id:` field.
 */
export async function* parseEventStream(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let data = [];
  let event = "";
  let id = null;
  let sawCr = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      let chunk = value;
      // A CR at the end of the previous chunk may be the first half of a CRLF.
      if (sawCr && chunk.startsWith("\n")) chunk = chunk.slice(1);
      sawCr = chunk.endsWith("\r");
      buffer += chunk;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        if (line === "") {
          if (data.length) yield { event: event || "message", data: data.join("\n"), id };
          data = [];
          event = "";
          id = null;
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let text = colon < 0 ? "" : line.slice(colon + 1);
        if (text.startsWith(" ")) text = text.slice(1);
        if (field === "data") data.push(text);
        else if (field === "event") event = text;
        else if (field === "id" && !text.includes("\0")) id = text;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** A client of one gateway: the base URL, and a function that returns the bearer token. */
export class Gateway {
  /**
   * @param {{base?: string, token: () => string}} options
   */
  constructor({ base = "", token }) {
    this.base = base.replace(/\/$/, "");
    this.token = token;
  }

  /** Request headers: JSON, plus the bearer token when one was entered. */
  headers(extra = {}) {
    const headers = { Accept: "application/json", ...extra };
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    return headers;
  }

  /** `/v1/projects/{project}/…` with every path segment escaped. */
  path(project, ...rest) {
    return `${this.base}/v1/projects/${encodeURIComponent(project)}/${rest.join("")}`;
  }

  /**
   * One unary call. Resolves to the parsed JSON response; rejects with ApiError.
   * @param {string} method
   * @param {string} url
   * @param {object} [body] sent as JSON (POST calls send `{}` at least)
   */
  async call(method, url, body) {
    let response;
    try {
      response = await fetch(url, {
        method,
        headers: this.headers(body === undefined ? {} : { "Content-Type": "application/json" }),
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
      });
    } catch (err) {
      throw new ApiError(0, `gateway unreachable: ${err.message}`);
    }
    const text = await response.text();
    if (!response.ok) throw statusError(response.status, text);
    return text ? JSON.parse(text) : {};
  }

  /**
   * Opens one server-streaming call as Server-Sent Events and yields each message's JSON.
   * A final `event: error` (a Status sent mid-stream) is thrown as ApiError.
   *
   * @param {string} url
   * @param {{signal?: AbortSignal, lastEventId?: string|null, onOpen?: () => void}} [options]
   * @returns {AsyncGenerator<{id: string|null, message: object}>}
   */
  async *events(url, { signal, lastEventId = null, onOpen } = {}) {
    const extra = { Accept: "text/event-stream" };
    if (lastEventId) extra["Last-Event-ID"] = lastEventId;
    let response;
    try {
      response = await fetch(url, { headers: this.headers(extra), signal, cache: "no-store" });
    } catch (err) {
      if (signal?.aborted) return;
      throw new ApiError(0, `gateway unreachable: ${err.message}`);
    }
    if (!response.ok) throw statusError(response.status, await response.text());
    if (!response.body) throw new ApiError(response.status, "the response has no body");
    onOpen?.();
    try {
      for await (const ev of parseEventStream(response.body)) {
        if (ev.event === "error") throw streamError(ev.data);
        yield { id: ev.id, message: JSON.parse(ev.data) };
      }
    } catch (err) {
      if (signal?.aborted) return;
      if (err instanceof ApiError) throw err;
      throw new ApiError(0, `stream interrupted: ${err.message}`);
    }
  }

  /**
   * Reads a whole server stream as newline-delimited JSON (for the bounded result preview).
   * @returns {Promise<object[]>}
   */
  async collect(url, { signal } = {}) {
    let response;
    try {
      response = await fetch(url, {
        headers: this.headers({ Accept: "application/x-ndjson" }),
        signal,
        cache: "no-store",
      });
    } catch (err) {
      throw new ApiError(0, `gateway unreachable: ${err.message}`);
    }
    const text = await response.text();
    if (!response.ok) throw statusError(response.status, text);
    const messages = [];
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      const item = JSON.parse(line);
      // An error after the stream started is its last line: {"error": <google.rpc.Status>}.
      if (item && typeof item.error === "object" && item.error !== null) {
        throw streamError(JSON.stringify(item.error));
      }
      messages.push(item);
    }
    return messages;
  }
}

/**
 * Follows a stream for as long as `signal` is not aborted: reconnects after a transient error or
 * a stream that ended, with exponential backoff and jitter (0.5 s doubling to 15 s), sending the
 * last event id so the server resumes where the page left off. Permanent errors (401, 403,
 * 404, 400) stop it: they need the user to act.
 *
 * @param {Gateway} gateway
 * @param {() => string} url called before each attempt (so filters can change)
 * @param {{
 *   signal: AbortSignal,
 *   onMessage: (message: object, id: string|null) => void,
 *   onState?: (state: "connecting"|"live"|"retrying"|"failed"|"ended", detail?: any) => void,
 *   onReset?: () => void,
 *   until?: (message: object) => boolean,
 * }} options `until` returning true ends the follow after that message (a terminal event);
 *   `onReset` runs when the server no longer holds the resume point (the next stream starts
 *   with a fresh snapshot, so the caller drops what it had).
 */
export async function follow(gateway, url, options) {
  const { signal, onMessage, onState = () => {}, until = () => false } = options;
  let lastEventId = null;
  let attempt = 0;
  while (!signal.aborted) {
    onState("connecting", { attempt });
    let failure = null;
    try {
      for await (const { id, message } of gateway.events(url(), {
        signal,
        lastEventId,
        onOpen: () => {
          attempt = 0;
          onState("live");
        },
      })) {
        if (id) lastEventId = id;
        onMessage(message, id);
        if (until(message)) {
          onState("ended");
          return;
        }
      }
    } catch (err) {
      failure = err instanceof ApiError ? err : new ApiError(0, String(err));
    }
    if (signal.aborted) return;
    if (failure && failure.reason === "RESUME_VERSION_TOO_OLD") {
      // The server forgot our place: start over with a fresh snapshot.
      lastEventId = null;
      options.onReset?.();
    } else if (failure && failure.permanent) {
      onState("failed", failure);
      return;
    }
    attempt += 1;
    const delay = Math.min(15000, 500 * 2 ** Math.min(attempt - 1, 5)) * (0.5 + Math.random() / 2);
    onState("retrying", { attempt, delay, error: failure });
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, delay);
      signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}
