// GatewayClient: the generated service client behind one `unary` chokepoint (token, deadline,
// error translation), with helpers for paging, submitting, stopping and watching.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import * as grpc from '@grpc/grpc-js';

import { resolveConnection } from './connection.js';
import { GatewayError, toGatewayError } from './errors.js';
import { loadGrpcPackage, loadServiceConfig } from './proto.js';
import { ResultReader } from './results.js';

const INITIAL_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5000;
// Calls of one submission at most (the first and its retries after UNAVAILABLE).
const SUBMIT_ATTEMPTS = 4;

/**
 * A new random UUID (version 4, from the platform's cryptographic generator) in canonical
 * 36-character form, as the `request_id` of SubmitSql and SubmitXflow requires.
 */
export function newRequestId() {
  return randomUUID();
}

/**
 * A client of the mcgateway InstanceService, following the conventions of every mcgateway client
 * (clients/README.md).
 *
 * `target` is `host:port` or `[v6]:port`; empty or undefined means MCGW_TARGET, else
 * 127.0.0.1:50051. It is validated first: a scheme (`http://`), a missing port or an unbracketed
 * IPv6 address throws a TypeError that says what to type instead.
 *
 * Options (each wins over its environment variable): `token` (sent as `authorization: Bearer
 * <token>`; default MCGW_TOKEN, `''` for none), `tls` (`'auto'`, `'on'` or `'off'`; default
 * MCGW_TLS, else `'auto'`: plaintext only when the target's host is loopback), `insecure: true`
 * (= `tls: 'off'`; MCGW_CA_CERT is then not read), `rootCerts` (PEM Buffer of the CAs to trust;
 * default the file named by MCGW_CA_CERT, else the system's; a CA means TLS), `env` (where to
 * read the MCGW_* variables; default `process.env`, `{}` for none), `serviceConfig` (JSON text
 * replacing proto/'s), `timeoutMs` (a deadline for every unary call instead of the service
 * config's per-method timeouts), `channelOptions` (raw grpc-js options).
 */
export class GatewayClient {
  constructor(target, options = {}) {
    if (target !== undefined && target !== null && typeof target !== 'string') {
      throw new TypeError('the target must be a string ("host:port"); options come second');
    }
    const { serviceConfig, timeoutMs, channelOptions = {} } = options;
    const resolved = resolveConnection(target, options);
    const credentials = resolved.useTls
      ? grpc.credentials.createSsl(resolved.rootCerts ?? null)
      : grpc.credentials.createInsecure();
    const { token } = resolved;
    const interceptors = token
      ? [
          (opts, next) =>
            new grpc.InterceptingCall(next(opts), {
              start(metadata, listener, nextStart) {
                metadata.set('authorization', `Bearer ${token}`);
                nextStart(metadata, listener);
              },
            }),
        ]
      : [];
    const { InstanceService } = loadGrpcPackage().maxcompute.gateway.v1;
    /** The generated @grpc/grpc-js client, for RPCs the helpers do not cover. */
    this.stub = new InstanceService(resolved.target, credentials, {
      'grpc.service_config': serviceConfig ?? loadServiceConfig(),
      'grpc.enable_retries': 1,
      // grpc-js waits up to 120 s between connection attempts by default; the helpers'
      // reconnects back off to 5 s, and a gateway that is back should be found as quickly.
      'grpc.max_reconnect_backoff_ms': MAX_BACKOFF_MS,
      interceptors,
      ...channelOptions,
    });
    /** The validated target, `host:port` or `[v6]:port`. */
    this.target = resolved.target;
    /** Whether the client uses TLS (false: plaintext). */
    this.usesTls = resolved.useTls;
    this.timeoutMs = timeoutMs;
    this.initialBackoffMs = options.reconnectBackoffMs?.[0] ?? INITIAL_BACKOFF_MS;
    this.maxBackoffMs = options.reconnectBackoffMs?.[1] ?? MAX_BACKOFF_MS;
  }

  /**
   * Calls a unary RPC by its method name (`getInstance`, `listInstances`, ...) and resolves with
   * the response; rejects with a GatewayError. `timeoutMs` overrides the call's deadline and
   * `signal` (an AbortSignal) cancels it.
   */
  unary(method, request, { timeoutMs, signal } = {}) {
    const fn = this.stub[method];
    if (typeof fn !== 'function') return Promise.reject(new TypeError(`no RPC named ${method}`));
    const ms = timeoutMs ?? this.timeoutMs;
    const callOptions = ms === undefined ? {} : { deadline: Date.now() + ms };
    return new Promise((resolve, reject) => {
      const call = fn.call(this.stub, request, callOptions, (err, response) => {
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(toGatewayError(err));
        else resolve(response);
      });
      const onAbort = () => call.cancel();
      if (signal?.aborted) call.cancel();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** One instance with its tasks; rejects NOT_FOUND (reason `INSTANCE_NOT_FOUND`) when absent. */
  async getInstance(instanceId, { project = '', ...callOptions } = {}) {
    return this.unary('GetInstance', { project, instance_id: instanceId }, callOptions);
  }

  /**
   * The items of every page of a List RPC: calls `method` with `request`, yields the response's
   * `field`, and follows `next_page_token` until it is empty.
   */
  async *#pages(method, request, field, callOptions) {
    let page = { ...request };
    for (;;) {
      const resp = await this.unary(method, page, callOptions);
      yield* resp[field];
      if (!resp.next_page_token) return;
      page = { ...page, page_token: resp.next_page_token };
    }
  }

  /**
   * Every instance `request` selects (ListInstancesRequest fields, snake_case: `state_filter`,
   * `only_owner`, `min_start_time`, `max_start_time`, `page_size`), page by page as the loop
   * consumes them, following `next_page_token` until it is empty. Listed instances carry no
   * tasks and no outcome (`successful` is absent): call getInstance for those.
   */
  listInstances(request = {}, callOptions = {}) {
    return this.#pages('ListInstances', request, 'instances', callOptions);
  }

  /** Every task of an instance in submission order, walking all pages of ListTasks. */
  listTasks(instanceId, { project = '', ...callOptions } = {}) {
    return this.#pages('ListTasks', { project, instance_id: instanceId }, 'tasks', callOptions);
  }

  /** The result of every task of an instance in task order, walking all pages of ListTaskResults. */
  listTaskResults(instanceId, { project = '', ...callOptions } = {}) {
    return this.#pages('ListTaskResults', { project, instance_id: instanceId }, 'task_results', callOptions);
  }

  /**
   * Every sub-instance of an XFlow instance, walking all pages of ListSubInstances; rejects
   * FAILED_PRECONDITION (reason `NOT_XFLOW`) for an instance that is not an XFlow.
   */
  listSubInstances(instanceId, { project = '', ...callOptions } = {}) {
    return this.#pages('ListSubInstances', { project, instance_id: instanceId }, 'sub_instances', callOptions);
  }

  /**
   * Stops a running instance; resolves with the state read after the request (it may still be
   * running). Rejects FAILED_PRECONDITION (reason `INSTANCE_NOT_RUNNING`) when it is not running.
   */
  async stopInstance(instanceId, { project = '', ...callOptions } = {}) {
    const resp = await this.unary('StopInstance', { project, instance_id: instanceId }, callOptions);
    return resp.instance;
  }

  /**
   * The result text of one task (`TaskResult.content`: CSV with a header row for a SQL select,
   * the error message for a failed task). An empty or undefined task name means the instance's
   * first task (`AnonymousSQLTask` for SQL). An unknown task rejects NOT_FOUND (reason
   * `TASK_NOT_FOUND`).
   */
  async getTaskResult(instanceId, taskName, { project = '', ...callOptions } = {}) {
    if (taskName) {
      const result = await this.unary('GetTaskResult', { project, instance_id: instanceId, task_name: taskName }, callOptions);
      return result.content;
    }
    const page = await this.unary('ListTaskResults', { project, instance_id: instanceId, page_size: 1 }, callOptions);
    if (!page.task_results.length) {
      throw new GatewayError(`NOT_FOUND: instance ${instanceId} has no task results`, { code: grpc.status.NOT_FOUND });
    }
    return page.task_results[0].content;
  }

  /**
   * Waits until an instance terminates and resolves with it (`successful` set), calling
   * WaitInstance (which the gateway holds up to about 30 s) as often as needed. It rides out
   * UNAVAILABLE like `watch`, until `timeoutMs` (for the whole wait) passes or `signal` aborts.
   */
  async waitUntilDone(instanceId, { project = '', timeoutMs, signal } = {}) {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    const backoff = this.#backoff();
    for (;;) {
      signal?.throwIfAborted();
      const left = deadline === undefined ? undefined : Math.max(deadline - Date.now(), 0);
      try {
        const resp = await this.unary('WaitInstance', { project, instance_id: instanceId }, { timeoutMs: left, signal });
        backoff.reset();
        if (resp.instance.state === 'TERMINATED') return resp.instance;
      } catch (err) {
        if (err?.code !== grpc.status.UNAVAILABLE) throw err;
        await backoff.pause(err, deadline, signal);
      }
    }
  }

  /** The reconnect pacing of watch and wait (clients/README.md, "The helper set"). */
  #backoff() {
    const initial = this.initialBackoffMs;
    const max = this.maxBackoffMs;
    let bound = initial;
    return {
      reset() {
        bound = initial;
      },
      // Waits a random time in [0, bound), doubling the bound up to max; throws when the
      // deadline passes first (DEADLINE_EXCEEDED, the last error as cause) or signal aborts.
      async pause(last, deadline, signal) {
        const wait = Math.random() * bound;
        bound = Math.min(2 * bound, max);
        if (deadline !== undefined && deadline - Date.now() <= wait) {
          await sleep(Math.max(deadline - Date.now(), 0), undefined, { signal });
          throw new GatewayError(`DEADLINE_EXCEEDED: gave up reconnecting: the deadline passed; last error: ${last.message}`, {
            code: grpc.status.DEADLINE_EXCEEDED,
            cause: last,
          });
        }
        await sleep(wait, undefined, { signal });
      },
    };
  }

  /**
   * Submits a SQL job (`SqlJob`: the query, `hints`, `priority`); resolves with the new instance
   * as first read. Every submission carries a request id (`requestId`, or a new random UUID4),
   * so it is retried after UNAVAILABLE, with backoff, without risking a duplicate job: the
   * gateway answers a repeated id with the instance the first call created.
   */
  async submitSql(query, { project = '', hints = {}, priority, requestId, ...callOptions } = {}) {
    const job = { query, hints };
    if (priority !== undefined) job.priority = priority;
    const request = { project, job, request_id: requestId ?? newRequestId() };
    let backoff = INITIAL_BACKOFF_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        const resp = await this.unary('SubmitSql', request, callOptions);
        return resp.instance;
      } catch (err) {
        if (err?.code !== grpc.status.UNAVAILABLE || attempt >= SUBMIT_ATTEMPTS) throw err;
        const delay = Math.max(backoff, Math.min(err.retryDelayMs ?? 0, MAX_BACKOFF_MS));
        await sleep(delay, undefined, { signal: callOptions.signal });
        backoff = Math.min(2 * backoff, 2000);
      }
    }
  }

  /**
   * The events of an instance until it terminates, as an async iterator: a SNAPSHOT first, then
   * changes, and last the TERMINAL event. When a stream fails with UNAVAILABLE (a gateway restart,
   * its maximum stream age, a gateway that is down) or ends without TERMINAL, it reconnects after
   * a jittered backoff (a random wait below 0.1 s, doubling up to 5 s, back to 0.1 s after a
   * stream that delivered events); the new stream starts with a snapshot, so nothing is missed (a
   * state may repeat). Only `timeoutMs` (for the whole watch) and `signal` bound the
   * reconnecting: when the time is up it throws DEADLINE_EXCEEDED with the last UNAVAILABLE error
   * as its cause. Leaving the loop early, or aborting `signal`, cancels the stream. Other errors
   * are thrown as GatewayError.
   */
  async *watch(instanceId, { project = '', omitProgress = false, heartbeatSeconds, timeoutMs, signal } = {}) {
    const request = { project, instance_id: instanceId, omit_progress: omitProgress };
    if (heartbeatSeconds) request.heartbeat_interval = { seconds: heartbeatSeconds, nanos: 0 };
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    const backoff = this.#backoff();
    for (;;) {
      const start = () => this.stub.WatchInstance(request, deadline === undefined ? {} : { deadline });
      const attempt = yield* this.#streamAttempt(start, 'watch', signal);
      if (attempt.done) return;
      if (attempt.progressed) backoff.reset();
      await backoff.pause(attempt.failure, deadline, signal);
    }
  }

  /**
   * One stream attempt: starts the call (`start`), calls `onEvent` with each event and yields it,
   * and returns `{ done: true }` after the TERMINAL event, or `{ failure, progressed }` with the
   * UNAVAILABLE error to reconnect on (a stream that ends without TERMINAL counts as one; `label`
   * names it). Other errors are thrown as GatewayError; leaving early or aborting `signal`
   * cancels the call.
   */
  async *#streamAttempt(start, label, signal, onEvent) {
    signal?.throwIfAborted();
    const call = start();
    const onAbort = () => call.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    let progressed = false;
    let failure;
    try {
      for await (const event of call) {
        progressed = true;
        onEvent?.(event);
        yield event;
        if (event.event_type === 'TERMINAL') return { done: true };
      }
      // OK without TERMINAL breaks the contract; treat it like a dropped stream.
      failure = new GatewayError(`UNAVAILABLE: the ${label} stream ended before its terminal event`, {
        code: grpc.status.UNAVAILABLE,
      });
    } catch (err) {
      signal?.throwIfAborted();
      if (err?.code !== grpc.status.UNAVAILABLE) throw toGatewayError(err);
      failure = toGatewayError(err);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      call.cancel();
    }
    return { done: false, failure, progressed };
  }

  /**
   * Watches an instance to the end, calling `onEvent` for each event; resolves with the final
   * instance. Options as `watch`.
   */
  async watchUntilDone(instanceId, { onEvent, ...options } = {}) {
    let last;
    for await (const event of this.watch(instanceId, options)) {
      await onEvent?.(event);
      last = event;
    }
    return last?.instance;
  }

  /**
   * Submits a SQL job and yields its events until it terminates, as an async iterator (the
   * ExecuteSql RPC): each event is a watch event plus `reattached`; the first names the instance
   * (`event.instance.instance_id`), the last is TERMINAL. Options: `project`, the job's `hints`,
   * `priority`, `quotaName`, `runningCluster`; `requestId` (default a new random UUID4);
   * `stopOnCancel` (the gateway stops the instance this call created when the call is cancelled
   * before it terminates: `signal` aborts, the loop is left early, or `timeoutMs` passes);
   * `omitProgress`, `heartbeatSeconds`, `timeoutMs` and `signal` as `watch`. On UNAVAILABLE (or
   * a stream that ends without TERMINAL) it never submits again: after the first event it
   * follows the named instance with `watch` (a new SNAPSHOT; `stopOnCancel` then no longer
   * applies), and before any event it calls ExecuteSql again with the same request id, which the
   * gateway answers with the same instance. Reconnects back off like `watch`'s, bounded only by
   * `timeoutMs` and `signal`.
   */
  async *executeSql(query, options = {}) {
    const { project = '', hints = {}, priority, quotaName, runningCluster, requestId } = options;
    const { stopOnCancel = false, omitProgress = false, heartbeatSeconds, timeoutMs, signal } = options;
    const job = { query, hints };
    if (priority !== undefined) job.priority = priority;
    if (quotaName) job.quota_name = quotaName;
    if (runningCluster) job.running_cluster = runningCluster;
    const request = {
      project,
      job,
      request_id: requestId ?? newRequestId(),
      stop_on_cancel: stopOnCancel,
      omit_progress: omitProgress,
    };
    if (heartbeatSeconds) request.heartbeat_interval = { seconds: heartbeatSeconds, nanos: 0 };
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    const backoff = this.#backoff();
    let first;
    for (;;) {
      const start = () => this.stub.ExecuteSql(request, deadline === undefined ? {} : { deadline });
      const attempt = yield* this.#streamAttempt(start, 'ExecuteSql', signal, (event) => {
        first ??= event;
      });
      if (attempt.done) return;
      await backoff.pause(attempt.failure, deadline, signal);
      if (first) {
        const left = deadline === undefined ? undefined : Math.max(deadline - Date.now(), 1);
        const watching = { project, omitProgress, heartbeatSeconds, timeoutMs: left, signal };
        for await (const event of this.watch(first.instance.instance_id, watching)) {
          yield { ...event, reattached: first.reattached };
        }
        return;
      }
    }
  }

  /**
   * The summary of one task: `summary_text`, `json_summary` and `cost` (absent when the summary
   * has none). An empty or undefined task name means the instance's first task
   * (`AnonymousSQLTask` for SQL). An unknown task rejects NOT_FOUND (reason `TASK_NOT_FOUND`).
   */
  async getTaskSummary(instanceId, taskName, { project = '', ...callOptions } = {}) {
    let task = taskName;
    if (!task) {
      const page = await this.unary('ListTasks', { project, instance_id: instanceId, page_size: 1 }, callOptions);
      if (!page.tasks.length) {
        throw new GatewayError(`NOT_FOUND: instance ${instanceId} has no tasks`, { code: grpc.status.NOT_FOUND });
      }
      task = page.tasks[0].name;
    }
    return this.unary('GetTaskSummary', { project, instance_id: instanceId, task_name: task }, callOptions);
  }

  /**
   * Where an instance stands in MaxCompute's job queue: `priority`, `position` while it waits,
   * `state`, `progress` (absent when not reported). Rejects NOT_FOUND (reason
   * `INSTANCE_NOT_FOUND`) when it is absent.
   */
  async getQueueingInfo(instanceId, { project = '', ...callOptions } = {}) {
    return this.unary('GetQueueingInfo', { project, instance_id: instanceId }, callOptions);
  }

  /**
   * Reads an instance's result rows with ReadInstanceResult, typed (see `resultValue`):
   * `for await (const row of client.readInstanceResult(id, { columns, offset, limit }))`, each
   * row an object keyed by column name (an array in column order with `arrays: true`). The
   * returned ResultReader has `schema`, `count` and `totalCount` once open (`await
   * reader.open()`). Options: `project`, `taskName` (default the instance's SQL task), `columns`
   * (projection, in this order), `offset`, `limit` (0: to the end), `timeoutMs` and `signal`.
   * When a stream fails with UNAVAILABLE, ends early or skips a row, the read resumes at the next
   * row (offset = next row, limit = the rest) after the watch's jittered backoff, bounded only by
   * `timeoutMs` and `signal`: no row is lost or repeated. Other errors are thrown as
   * GatewayError (NOT_FOUND, INVALID_ARGUMENT for an unknown column, FAILED_PRECONDITION for an
   * instance with no result to read). Leaving the loop early, or `reader.close()`, cancels it.
   */
  readInstanceResult(instanceId, options = {}) {
    const { project = '', taskName = '', columns = [], offset = 0, limit = 0, timeoutMs, signal, arrays } = options;
    const request = {
      project,
      instance_id: instanceId,
      task_name: taskName,
      columns,
      offset: String(offset),
      limit: String(limit),
      format: 'ROWS',
    };
    return new ResultReader({
      start: (req, deadline) => this.stub.ReadInstanceResult(req, deadline === undefined ? {} : { deadline }),
      backoff: this.#backoff(),
      request,
      timeoutMs,
      signal,
      arrays,
    });
  }

  /** Closes the channel; calls in flight fail with CANCELLED. */
  close() {
    this.stub.close();
  }
}

/**
 * Creates a GatewayClient (see its options): `connect()` reads everything from the environment,
 * `connect(target, options)` and `connect(options)` override it.
 */
export function connect(target, options = {}) {
  if (target !== null && typeof target === 'object') return new GatewayClient(undefined, target);
  return new GatewayClient(target, options);
}
