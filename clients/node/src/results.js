// ReadInstanceResult: the rows of a SELECT's result, typed, as an async iterator that resumes at
// the next row after UNAVAILABLE (clients/README.md, "Adding helpers").
import * as grpc from '@grpc/grpc-js';

import { GatewayError, toGatewayError } from './errors.js';

const NANOS_PER_MS = 1_000_000n;

/**
 * A datetime or timestamp value: a Date (millisecond precision, UTC) that keeps the exact
 * instant as `seconds` (BigInt, since the Unix epoch) and `nanos` (0 to 999,999,999).
 * `toPreciseISOString()` writes all nine fraction digits.
 */
export class ResultTimestamp extends Date {
  constructor(seconds, nanos) {
    const s = BigInt(seconds);
    super(Number(s * 1000n + BigInt(Math.floor(nanos / 1e6))));
    /** Whole seconds since the Unix epoch (may be negative). */
    this.seconds = s;
    /** Nanoseconds within the second. */
    this.nanos = nanos;
  }

  /** The instant in ISO 8601, UTC, with nine fraction digits: `2024-02-29T23:59:58.123456789Z`. */
  toPreciseISOString() {
    const iso = this.toISOString();
    return `${iso.slice(0, iso.lastIndexOf('.'))}.${String(this.nanos).padStart(9, '0')}Z`;
  }

  /** Nanoseconds since the Unix epoch, exact. */
  toEpochNanos() {
    return this.seconds * 1000n * NANOS_PER_MS + BigInt(this.nanos);
  }
}

/**
 * The JavaScript value of one typed value of a ReadInstanceResult batch (as @grpc/proto-loader
 * decodes it: oneof members present only when set, int64 as strings): null for NULL; BigInt for
 * bigint/int/smallint/tinyint (exact; the generated messages' own int64 fields stay strings);
 * number for double/float; the exact text (string) for decimal; string; Buffer for binary (and a
 * string that is not UTF-8); boolean; `'YYYY-MM-DD'` for date; ResultTimestamp (a Date with
 * nanoseconds) for datetime/timestamp; an Array for an array; a Map (in MaxCompute's order) for a
 * map; an Array of the field values for a struct.
 */
export function resultValue(v) {
  if (v === null || v === undefined) return null;
  if (v.int64_value !== undefined && v.int64_value !== null) return BigInt(v.int64_value);
  if (v.double_value !== undefined && v.double_value !== null) return Number(v.double_value);
  if (v.decimal_value !== undefined && v.decimal_value !== null) return v.decimal_value;
  if (v.string_value !== undefined && v.string_value !== null) return v.string_value;
  if (v.bytes_value !== undefined && v.bytes_value !== null) return Buffer.from(v.bytes_value);
  if (v.bool_value !== undefined && v.bool_value !== null) return v.bool_value;
  if (v.date_value !== undefined && v.date_value !== null) return v.date_value;
  if (v.timestamp_value) return new ResultTimestamp(v.timestamp_value.seconds ?? 0, v.timestamp_value.nanos ?? 0);
  if (v.array_value) return (v.array_value.values ?? []).map(resultValue);
  if (v.struct_value) return (v.struct_value.values ?? []).map(resultValue);
  if (v.map_value) {
    return new Map((v.map_value.entries ?? []).map((e) => [resultValue(e.key), resultValue(e.value)]));
  }
  // null_value, or no kind at all.
  return null;
}

function broken(message) {
  return new GatewayError(`UNAVAILABLE: result stream ${message}`, { code: grpc.status.UNAVAILABLE });
}

/**
 * An open read of an instance's result (GatewayClient.readInstanceResult). Iterate it with
 * `for await`; `schema`, `count` (rows this read yields, after offset and limit) and `totalCount`
 * are set once the first message arrived (`await reader.open()` waits for it). Rows are objects
 * keyed by column name, or arrays in column order with `{ arrays: true }`. Leaving the loop, or
 * `close()`, cancels the stream.
 */
export class ResultReader {
  #start;
  #backoff;
  #request;
  #deadline;
  #signal;
  #arrays;
  #header;
  #position = 0;
  #end = 0;
  #call;
  #iterator;
  #delivered = false;
  #opening;

  /** @internal Built by GatewayClient.readInstanceResult. */
  constructor({ start, backoff, request, timeoutMs, signal, arrays = false }) {
    this.#start = start;
    this.#backoff = backoff;
    this.#request = request;
    this.#deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    this.#signal = signal;
    this.#arrays = arrays;
    /** The columns, `[{ name, type }]`, once open. */
    this.schema = undefined;
    /** The rows this read yields (after offset and limit), once open. */
    this.count = undefined;
    /** The rows of the whole result, once open. */
    this.totalCount = undefined;
  }

  /** Waits for the first message (schema and counts), resuming after UNAVAILABLE; returns this. */
  async open() {
    this.#opening ??= this.#openFirst();
    await this.#opening;
    return this;
  }

  async #openFirst() {
    for (;;) {
      try {
        await this.#openStream();
        return;
      } catch (err) {
        await this.#retry(err);
      }
    }
  }

  /** Ends the read, cancelling an unfinished stream. */
  close() {
    this.#call?.cancel();
    this.#call = undefined;
    this.#iterator = undefined;
  }

  async *[Symbol.asyncIterator]() {
    await this.open();
    const names = this.schema.map((c) => c.name);
    try {
      while (this.#position < this.#end) {
        let rows;
        try {
          if (!this.#call) await this.#openStream();
          rows = await this.#receive();
        } catch (err) {
          await this.#retry(err);
          continue;
        }
        for (const row of rows) {
          const values = (row.values ?? []).map(resultValue);
          yield this.#arrays ? values : Object.fromEntries(names.map((n, i) => [n, values[i]]));
        }
      }
    } finally {
      this.close();
    }
  }

  /** Closes the broken stream and waits before the next one; throws when `err` is final. */
  async #retry(err) {
    this.close();
    this.#signal?.throwIfAborted();
    if (err?.code !== grpc.status.UNAVAILABLE) throw toGatewayError(err);
    // After a stream that delivered rows the backoff starts afresh.
    if (this.#delivered) this.#backoff.reset();
    this.#delivered = false;
    await this.#backoff.pause(toGatewayError(err), this.#deadline, this.#signal);
  }

  /** Starts a stream from the next row and takes its first message, the header. */
  async #openStream() {
    this.#signal?.throwIfAborted();
    const request = { ...this.#request };
    if (this.#header) {
      request.offset = String(this.#position);
      request.limit = String(this.#end - this.#position);
    }
    const call = this.#start(request, this.#deadline);
    this.#call = call;
    // The iterator below reports the call's errors; this keeps the CANCELLED of a stream that
    // close() ends after the iterator was dropped from becoming an unhandled 'error' event.
    call.on('error', () => {});
    const onAbort = () => call.cancel();
    this.#signal?.addEventListener('abort', onAbort, { once: true });
    call.on('close', () => this.#signal?.removeEventListener('abort', onAbort));
    this.#iterator = call[Symbol.asyncIterator]();
    const first = await this.#iterator.next();
    if (first.done) throw broken('ended before its header');
    const header = first.value;
    const rowOffset = Number(header.row_offset);
    if (!this.#header) {
      this.#header = header;
      this.schema = (header.schema?.columns ?? []).map((c) => ({ name: c.name, type: c.type }));
      this.count = Number(header.selected_row_count);
      this.totalCount = Number(header.total_row_count);
      this.#position = rowOffset;
      this.#end = rowOffset + this.count;
    } else if (rowOffset !== this.#position) {
      throw broken(`resumed at row ${rowOffset}, not ${this.#position}`);
    }
  }

  /** The rows of the next batch of the open stream. */
  async #receive() {
    const next = await this.#iterator.next();
    if (next.done) throw broken(`ended at row ${this.#position} of ${this.#end}`);
    const msg = next.value;
    const rowOffset = Number(msg.row_offset);
    if (rowOffset !== this.#position) {
      throw broken(`sent row ${rowOffset} where row ${this.#position} was next`);
    }
    const rows = msg.row_batch?.rows ?? [];
    if (rows.length !== Number(msg.row_count)) {
      throw broken(`sent ${rows.length} rows as a batch of ${msg.row_count}`);
    }
    this.#position += rows.length;
    this.#delivered = true;
    return rows;
  }
}
