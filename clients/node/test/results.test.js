// readInstanceResult: every value kind decoded exactly (messages encoded and decoded with the
// client's own loader, no server), resuming at the next row after a stream that fails with
// UNAVAILABLE, ends early or skips a row (a scripted server on loopback), and, with MCGW_TARGET
// set, a read past 10,000 rows with projection, offset and limit against a live gateway.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import * as grpc from '@grpc/grpc-js';

import { ResultTimestamp, connect, loadGrpcPackage, resultValue, status } from '../src/index.js';

const service = () => loadGrpcPackage().maxcompute.gateway.v1.InstanceService.service;

/** A batch message as the client receives it: encoded, then decoded by the client's loader. */
function roundTrip(values) {
  const rpc = service().ReadInstanceResult;
  const bytes = rpc.responseSerialize({ row_offset: '0', row_count: '1', row_batch: { rows: [{ values }] } });
  return rpc.responseDeserialize(bytes).row_batch.rows[0].values;
}

describe('result values', () => {
  test('every kind is decoded exactly', () => {
    const decoded = roundTrip([
      { null_value: 'NULL_VALUE' },
      {},
      { int64_value: '9223372036854775807' },
      { int64_value: '-9223372036854775808' },
      { int64_value: '0' },
      { double_value: 0.1 },
      { decimal_value: '-12.345000000000000000' },
      { string_value: 'héllo' },
      { string_value: '' },
      { bytes_value: Buffer.from([0, 0xff, 0x61]) },
      { bool_value: false },
      { date_value: '2024-02-29' },
      { timestamp_value: { seconds: '1709251198', nanos: 123456789 } },
      { timestamp_value: { seconds: '-1', nanos: 5 } },
      { array_value: { values: [{ int64_value: '1' }, { null_value: 'NULL_VALUE' }] } },
      { map_value: { entries: [{ key: { string_value: 'b' }, value: { int64_value: '2' } }, { key: { string_value: 'a' }, value: { null_value: 'NULL_VALUE' } }] } },
      { struct_value: { values: [{ int64_value: '7' }, { string_value: 'x' }, { array_value: { values: [{ string_value: 'y' }] } }] } },
    ]).map(resultValue);
    const [nul, unset, max, min, zero, dbl, dec, str, empty, bytes, bool, date, ts, before1970, arr, map, struct] = decoded;
    assert.equal(nul, null);
    assert.equal(unset, null);
    assert.equal(max, 9223372036854775807n);
    assert.equal(min, -9223372036854775808n);
    assert.equal(zero, 0n, 'a zero int64 is 0n, not NULL');
    assert.equal(dbl, 0.1);
    assert.equal(dec, '-12.345000000000000000');
    assert.equal(str, 'héllo');
    assert.equal(empty, '', 'an empty string is not NULL');
    assert.deepEqual(bytes, Buffer.from([0, 0xff, 0x61]));
    assert.ok(Buffer.isBuffer(bytes));
    assert.equal(bool, false, 'false is not NULL');
    assert.equal(date, '2024-02-29');
    assert.ok(ts instanceof ResultTimestamp && ts instanceof Date);
    assert.equal(ts.toPreciseISOString(), '2024-02-29T23:59:58.123456789Z');
    assert.equal(ts.toISOString(), '2024-02-29T23:59:58.123Z');
    assert.equal(ts.seconds, 1709251198n);
    assert.equal(ts.nanos, 123456789);
    assert.equal(ts.toEpochNanos(), 1709251198123456789n);
    assert.equal(before1970.toPreciseISOString(), '1969-12-31T23:59:59.000000005Z');
    assert.deepEqual(arr, [1n, null]);
    assert.ok(map instanceof Map);
    assert.deepEqual([...map.entries()], [['b', 2n], ['a', null]], 'map entries keep their order');
    assert.deepEqual(struct, [7n, 'x', ['y']]);
  });
});

describe('readInstanceResult resuming', { timeout: 30_000 }, () => {
  // Serves a result of TOTAL rows (id, label = "row-<id>") in batches of 3; `script` says how
  // many batches each call sends and how it then ends; calls past the script complete (or fail
  // with UNAVAILABLE when `failRest`).
  const TOTAL = 30;
  const state = { script: [], failRest: false, requests: [] };
  let server;
  let client;

  const header = (offset, end) => ({
    schema: { columns: [{ name: 'id', type: 'bigint' }, { name: 'label', type: 'string' }] },
    total_row_count: String(TOTAL),
    selected_row_count: String(end - offset),
    row_offset: String(offset),
  });
  const batch = (offset, count, firstId = offset) => ({
    row_offset: String(offset),
    row_count: String(count),
    row_batch: {
      rows: Array.from({ length: count }, (_, i) => ({
        values: [{ int64_value: String(firstId + i) }, { string_value: `row-${firstId + i}` }],
      })),
    },
  });

  before(async () => {
    server = new grpc.Server();
    server.addService(service(), {
      ReadInstanceResult(call) {
        state.requests.push(call.request);
        const n = state.requests.length - 1;
        let offset = Number(call.request.offset);
        const limit = Number(call.request.limit);
        const end = limit > 0 ? Math.min(TOTAL, offset + limit) : TOTAL;
        const step = state.script[n] ?? (state.failRest ? { batches: 0, then: 'unavailable' } : { batches: Infinity, then: 'complete' });
        call.write(header(offset, end));
        for (let sent = 0; offset < end && sent < step.batches; sent++) {
          const count = Math.min(3, end - offset);
          call.write(batch(offset, count));
          offset += count;
        }
        if (step.then === 'unavailable') return call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'gateway restarting' });
        if (step.then === 'skip') call.write(batch(offset + 1, 1));
        call.end();
      },
    });
    const port = await new Promise((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    client = connect(`127.0.0.1:${port}`, { env: {}, reconnectBackoffMs: [1, 4] });
  });

  after(() => {
    client?.close();
    server?.forceShutdown();
  });

  for (const [name, then] of [['UNAVAILABLE', 'unavailable'], ['a stream that ended early', 'complete'], ['a skipped row', 'skip']]) {
    test(`resumes at the next row after ${name}`, async () => {
      Object.assign(state, { script: [{ batches: 2, then }, { batches: 0, then }], failRest: false, requests: [] });
      const reader = client.readInstanceResult('i1', { project: 'p', columns: ['id', 'label'], offset: 5, limit: 20 });
      await reader.open();
      assert.equal(reader.count, 20);
      assert.equal(reader.totalCount, TOTAL);
      assert.deepEqual(reader.schema, [{ name: 'id', type: 'bigint' }, { name: 'label', type: 'string' }]);
      const ids = [];
      for await (const row of reader) {
        assert.equal(row.label, `row-${row.id}`);
        ids.push(row.id);
      }
      assert.deepEqual(ids, Array.from({ length: 20 }, (_, i) => BigInt(5 + i)), 'every row once, in order');
      assert.deepEqual(
        state.requests.map((r) => [r.offset, r.limit, r.project, r.instance_id, r.columns, r.format]),
        [
          ['5', '20', 'p', 'i1', ['id', 'label'], 'ROWS'],
          ['11', '14', 'p', 'i1', ['id', 'label'], 'ROWS'],
          ['11', '14', 'p', 'i1', ['id', 'label'], 'ROWS'],
        ],
      );
    });
  }

  test('yields arrays with arrays: true and stops the stream when the loop is left', async () => {
    Object.assign(state, { script: [], failRest: false, requests: [] });
    const rows = [];
    for await (const values of client.readInstanceResult('i1', { arrays: true })) {
      rows.push(values);
      if (rows.length === 4) break;
    }
    assert.deepEqual(rows, [[0n, 'row-0'], [1n, 'row-1'], [2n, 'row-2'], [3n, 'row-3']]);
    assert.equal(state.requests.length, 1);
  });

  test('gives up with DEADLINE_EXCEEDED when timeoutMs passes', async () => {
    Object.assign(state, { script: [{ batches: 1, then: 'unavailable' }], failRest: true, requests: [] });
    const ids = [];
    await assert.rejects(
      async () => {
        for await (const row of client.readInstanceResult('i1', { timeoutMs: 300 })) ids.push(row.id);
      },
      (err) => err.code === status.DEADLINE_EXCEEDED,
    );
    assert.deepEqual(ids, [0n, 1n, 2n]);
    assert.ok(state.requests.length > 2, `kept resuming until the deadline: ${state.requests.length} calls`);
  });

  test('other errors end the read', async () => {
    const bare = new grpc.Server();
    bare.addService(service(), {});
    const port = await new Promise((resolve, reject) =>
      bare.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    const c = connect(`127.0.0.1:${port}`, { env: {}, reconnectBackoffMs: [1, 4] });
    try {
      await assert.rejects(c.readInstanceResult('i1').open(), (err) => err.code === status.UNIMPLEMENTED && err.codeName === 'UNIMPLEMENTED');
    } finally {
      c.close();
      bare.forceShutdown();
    }
  });
});

const TARGET = process.env.MCGW_TARGET;

describe('readInstanceResult against a gateway', { skip: TARGET ? false : 'MCGW_TARGET is not set', timeout: 90_000 }, () => {
  const project = process.env.MCGW_PROJECT ?? '';
  let client;
  before(() => {
    client = connect(TARGET, { tls: 'off', token: process.env.MCGW_TOKEN ?? '' });
  });
  after(() => client?.close());

  test('reads 25,000 rows, then a projection with offset and limit', async () => {
    const total = 25_000;
    const inst = await client.submitSql(`select range as id, 'row-' || range as label from range(${total}) order by id`, { project });
    const done = await client.waitUntilDone(inst.instance_id, { project });
    assert.equal(done.successful, true);
    const reader = await client.readInstanceResult(inst.instance_id, { project }).open();
    assert.equal(reader.count, total);
    assert.equal(reader.totalCount, total);
    assert.deepEqual(reader.schema, [{ name: 'id', type: 'bigint' }, { name: 'label', type: 'string' }]);
    let next = 0n;
    for await (const row of reader) {
      assert.equal(row.id, next);
      assert.equal(row.label, `row-${next}`);
      next++;
    }
    assert.equal(next, BigInt(total), 'past the 10,000 rows of getTaskResult, none lost');
    const rows = [];
    for await (const row of client.readInstanceResult(inst.instance_id, { project, columns: ['label', 'id'], offset: 12_345, limit: 7, arrays: true })) {
      rows.push(row);
    }
    assert.deepEqual(rows, Array.from({ length: 7 }, (_, i) => [`row-${12_345 + i}`, BigInt(12_345 + i)]));
    await assert.rejects(
      client.readInstanceResult(inst.instance_id, { project, columns: ['nope'] }).open(),
      (err) => err.code === status.INVALID_ARGUMENT,
    );
  });
});
