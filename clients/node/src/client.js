// GatewayClient: the generated service client behind one `unary` chokepoint (token, deadline,
// error translation), with helpers for paging, submitting, stopping and watching.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import * as grpc from '@grpc/grpc-js';

import { toGatewayError } from './errors.js';
import { loadGrpcPackage, loadServiceConfig } from './proto.js';

const INITIAL_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5000;
// Reconnects in a row that deliver nothing before a watch gives up.
const MAX_RESUMES = 5;
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
 * A client of the mcgateway InstanceService.
 *
 * Options: `token` (sent as `authorization: Bearer <token>`), `insecure` (plaintext instead of
 * TLS, for loopback), `rootCerts` (PEM Buffer of CAs to trust; default: the system's),
 * `serviceConfig` (JSON text replacing proto/'s), `timeoutMs` (a deadline for every unary call
 * instead of the service config's per-method timeouts), `channelOptions` (raw grpc-js options).
 */
export class GatewayClient {
  constructor(target, options = {}) {
    if (!target) throw new TypeError('empty target');
    const { token, insecure = false, rootCerts, serviceConfig, timeoutMs, channelOptions = {} } = options;
    const credentials = insecure ? grpc.credentials.createInsecure() : grpc.credentials.createSsl(rootCerts ?? null);
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
    this.stub = new InstanceService(target, credentials, {
      'grpc.service_config': serviceConfig ?? loadServiceConfig(),
      'grpc.enable_retries': 1,
      interceptors,
      ...channelOptions,
    });
    this.timeoutMs = timeoutMs;
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
   * changes, and last the TERMINAL event. When the gateway ends the stream with UNAVAILABLE
   * (shutdown, maximum stream age) it reconnects with backoff; the new stream starts with a
   * snapshot, so nothing is missed (a state may repeat). Leaving the loop early, or aborting
   * `signal`, cancels the stream. Other errors are thrown as GatewayError.
   */
  async *watch(instanceId, { project = '', omitProgress = false, heartbeatSeconds, signal } = {}) {
    const request = { project, instance_id: instanceId, omit_progress: omitProgress };
    if (heartbeatSeconds) request.heartbeat_interval = { seconds: heartbeatSeconds, nanos: 0 };
    let backoff = INITIAL_BACKOFF_MS;
    let failures = 0;
    for (;;) {
      signal?.throwIfAborted();
      const call = this.stub.WatchInstance(request);
      const onAbort = () => call.cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
      let progressed = false;
      let failure;
      try {
        for await (const event of call) {
          progressed = true;
          yield event;
          if (event.event_type === 'TERMINAL') return;
        }
        // OK without TERMINAL breaks the contract; treat it like a dropped stream.
        failure = new Error('watch stream ended before its terminal event');
      } catch (err) {
        signal?.throwIfAborted();
        if (err?.code !== grpc.status.UNAVAILABLE) throw toGatewayError(err);
        failure = toGatewayError(err);
      } finally {
        signal?.removeEventListener('abort', onAbort);
        call.cancel();
      }
      if (progressed) {
        failures = 0;
        backoff = INITIAL_BACKOFF_MS;
      } else if (++failures > MAX_RESUMES) {
        throw failure;
      }
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(2 * backoff, MAX_BACKOFF_MS);
    }
  }

  /** Watches an instance to the end, calling `onEvent` for each event; resolves with the final instance. */
  async watchUntilDone(instanceId, { onEvent, ...options } = {}) {
    let last;
    for await (const event of this.watch(instanceId, options)) {
      await onEvent?.(event);
      last = event;
    }
    return last?.instance;
  }

  /** Closes the channel; calls in flight fail with CANCELLED. */
  close() {
    this.stub.close();
  }
}

/** Creates a GatewayClient (see its options). */
export function connect(target, options = {}) {
  return new GatewayClient(target, options);
}
