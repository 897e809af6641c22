// End-to-end tests against a running gateway on the embedded emulator. tests/polyglot starts one
// and sets MCGW_TARGET (plaintext loopback, no token); without it these tests are skipped.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ERROR_DOMAIN, GatewayError, Reason, connect, newRequestId, status } from '../src/index.js';

const TARGET = process.env.MCGW_TARGET;
const project = process.env.MCGW_PROJECT ?? '';
const HINT = 'mcemulator.duration_seconds';

describe('against a gateway', { skip: TARGET ? false : 'MCGW_TARGET is not set', timeout: 90_000 }, () => {
  let client;
  before(() => {
    client = connect(TARGET, { insecure: true, token: process.env.MCGW_TOKEN || undefined });
  });
  after(() => client?.close());

  const submit = async (seconds) => {
    const inst = await client.submitSql('select * from pyodps_iris limit 1', { project, hints: { [HINT]: seconds } });
    assert.ok(inst.instance_id, 'submitted instance has an id');
    return inst;
  };

  const waitTerminated = async (id) => {
    for (;;) {
      const { instance } = await client.unary('WaitInstance', {
        project,
        instance_id: id,
        timeout: { seconds: 10, nanos: 0 },
      });
      if (instance.state === 'TERMINATED') return instance;
    }
  };

  test('lists with paging', async () => {
    const submitted = [];
    for (let i = 0; i < 3; i++) submitted.push((await submit('0')).instance_id);
    const seen = new Set();
    let pages = 0;
    let request = { project, page_size: 2 };
    for (;;) {
      const page = await client.unary('ListInstances', request);
      pages++;
      assert.ok(page.instances.length <= 2, 'page within page_size');
      for (const inst of page.instances) {
        assert.ok(!seen.has(inst.instance_id), `listed once: ${inst.instance_id}`);
        seen.add(inst.instance_id);
        assert.ok(!('successful' in inst) && inst.tasks.length === 0, 'a list reads no outcome and no tasks');
      }
      if (!page.next_page_token) break;
      request = { ...request, page_token: page.next_page_token };
    }
    assert.ok(pages >= 2, `at least two pages, got ${pages}`);
    for (const id of submitted) assert.ok(seen.has(id), `submitted ${id} is listed`);

    let iterated = 0;
    for await (const inst of client.listInstances({ project, page_size: 2 })) {
      assert.ok(inst.instance_id);
      iterated++;
    }
    assert.ok(iterated >= seen.size, 'the iterator walks every page');
  });

  test('lists by state', async () => {
    const done = (await submit('0')).instance_id;
    await waitTerminated(done);
    const running = (await submit('60')).instance_id;
    try {
      const seen = new Set();
      for await (const inst of client.listInstances({ project, state_filter: 'TERMINATED', page_size: 2 })) {
        assert.equal(inst.state, 'TERMINATED', `state_filter TERMINATED listed ${inst.instance_id}`);
        seen.add(inst.instance_id);
      }
      assert.ok(seen.has(done), 'the terminated instance is listed');
      assert.ok(!seen.has(running), 'the running instance is not');
    } finally {
      await client.stopInstance(running, { project });
    }
  });

  test('gets an instance', async () => {
    const { instance_id: id } = await submit('0');
    const inst = await client.getInstance(id, { project, timeoutMs: 20_000 });
    assert.equal(inst.instance_id, id);
    assert.notEqual(inst.state, 'STATE_UNSPECIFIED');
    assert.ok(inst.tasks.length > 0 && inst.tasks[0].name, 'instance has named tasks');
  });

  test('a missing instance is NOT_FOUND with reason INSTANCE_NOT_FOUND', async () => {
    await assert.rejects(client.getInstance('20000101000000000nosuchnd1', { project }), (err) => {
      assert.ok(err instanceof GatewayError);
      assert.equal(err.code, status.NOT_FOUND);
      assert.equal(err.domain, ERROR_DOMAIN);
      assert.equal(err.reason, Reason.INSTANCE_NOT_FOUND);
      assert.ok(['NoSuchObject', 'NoSuchInstance'].includes(err.maxcomputeCode), `MaxCompute code ${err.maxcomputeCode}`);
      assert.ok(err.requestId, "MaxCompute's request id");
      assert.ok(err.gatewayRequestId, "the gateway's request id");
      return true;
    });
  });

  test('waitUntilDone resolves with the terminated instance; a missing one rejects', async () => {
    const { instance_id: id } = await submit('2');
    const done = await client.waitUntilDone(id, { project, timeoutMs: 60_000 });
    assert.equal(done.state, 'TERMINATED');
    assert.equal(done.successful, true);
    await assert.rejects(
      client.waitUntilDone('20000101000000000nosuchnd3', { project }),
      (err) => err.code === status.NOT_FOUND && err.reason === Reason.INSTANCE_NOT_FOUND,
    );
  });

  test('stops a running instance', async () => {
    const { instance_id: id } = await submit('60');
    const running = await client.getInstance(id, { project });
    assert.equal(running.state, 'RUNNING');
    assert.ok(!('successful' in running), 'the outcome of a running instance is unset');
    await client.stopInstance(id, { project });
    const done = await waitTerminated(id);
    assert.equal(done.successful, false, 'a stopped instance is not successful');
  });

  test('stopping a terminated instance is FAILED_PRECONDITION', async () => {
    const { instance_id: id } = await submit('0');
    await waitTerminated(id);
    await assert.rejects(client.stopInstance(id, { project }), (err) => {
      assert.equal(err.code, status.FAILED_PRECONDITION);
      assert.equal(err.reason, Reason.INSTANCE_NOT_RUNNING);
      assert.equal(err.maxcomputeCode, 'InvalidStateSetting');
      return true;
    });
  });

  test('submits SQL and watches it to the terminal event', async () => {
    const { instance_id: id } = await submit('3');
    const events = [];
    for await (const event of client.watch(id, { project })) events.push(event);
    assert.equal(events[0].event_type, 'SNAPSHOT');
    const last = events.at(-1);
    assert.equal(last.event_type, 'TERMINAL');
    assert.equal(last.instance.state, 'TERMINATED');
    assert.equal(last.instance.successful, true);
    assert.ok(
      events.some((e) => e.event_type === 'PROGRESS'),
      `a PROGRESS event among ${events.map((e) => e.event_type).join(', ')}`,
    );
    for (let i = 1; i < events.length; i++) {
      assert.ok(BigInt(events[i].sequence) >= BigInt(events[i - 1].sequence), 'sequence never goes back');
    }
  });

  test('watchUntilDone resolves with the final instance; a missing one rejects', async () => {
    const { instance_id: id } = await submit('1');
    let count = 0;
    const done = await client.watchUntilDone(id, { project, onEvent: () => count++ });
    assert.equal(done.state, 'TERMINATED');
    assert.ok(count >= 2);
    await assert.rejects(
      client.watchUntilDone('20000101000000000nosuchnd2', { project }),
      (err) => err.code === status.NOT_FOUND && err.reason === Reason.INSTANCE_NOT_FOUND,
    );
  });

  test('leaving the loop early cancels the stream', async () => {
    const { instance_id: id } = await submit('30');
    for await (const event of client.watch(id, { project })) {
      assert.equal(event.event_type, 'SNAPSHOT');
      break;
    }
    await client.stopInstance(id, { project });
  });

  test('a call deadline reaches the gateway', async () => {
    const { instance_id: id } = await submit('60');
    try {
      const start = Date.now();
      // The gateway waits min(request timeout, call deadline): it answers with the running
      // instance just before the deadline, or the deadline passes first on a slow machine.
      try {
        const { instance } = await client.unary(
          'WaitInstance',
          { project, instance_id: id, timeout: { seconds: 20, nanos: 0 } },
          { timeoutMs: 500 },
        );
        assert.equal(instance.state, 'RUNNING');
      } catch (err) {
        assert.equal(err.code, status.DEADLINE_EXCEEDED, String(err));
      }
      assert.ok(Date.now() - start < 5000, `deadline not honoured: ${Date.now() - start} ms`);
    } finally {
      await client.stopInstance(id, { project });
    }
  });

  test('reads tasks, task results, progress and a Logview address', async () => {
    const { instance_id: id } = await submit('0');
    await waitTerminated(id);
    const tasks = [];
    for await (const task of client.listTasks(id, { project })) tasks.push(task);
    assert.ok(tasks.length > 0 && tasks[0].name, 'named tasks');
    assert.equal(tasks[0].state, 'SUCCEEDED');
    const name = tasks[0].name;
    const results = [];
    for await (const result of client.listTaskResults(id, { project })) results.push(result);
    assert.equal(results.length, tasks.length, 'one result per task');
    assert.equal(results[0].task_name, name);
    assert.ok(results[0].content, 'the result has content');
    const one = await client.unary('GetTaskResult', { project, instance_id: id, task_name: name });
    assert.equal(one.content, results[0].content);
    assert.equal(await client.getTaskResult(id, name, { project }), results[0].content);
    assert.equal(await client.getTaskResult(id, '', { project }), results[0].content, "the first task's");
    await assert.rejects(
      client.unary('GetTaskResult', { project, instance_id: id, task_name: 'NoSuchTask' }),
      (err) => err.code === status.NOT_FOUND && err.reason === Reason.TASK_NOT_FOUND,
    );
    await client.unary('GetTaskProgress', { project, instance_id: id, task_name: name });
    const before = Date.now();
    const logview = await client.unary('GenerateLogviewAddress', {
      project,
      instance_id: id,
      ttl: { seconds: 2 * 3600, nanos: 0 },
    });
    assert.ok(logview.url, 'a Logview URL');
    const expires = Number(logview.expire_time.seconds) * 1000;
    assert.ok(
      expires >= before + 2 * 3600_000 - 60_000 && expires <= Date.now() + 2 * 3600_000 + 60_000,
      `expires at ${new Date(expires).toISOString()}, want in 2 hours`,
    );
    await assert.rejects(
      client.unary('GenerateLogviewAddress', { project, instance_id: id, ttl: { seconds: 5400, nanos: 0 } }),
      (err) => err.code === status.INVALID_ARGUMENT,
    );
  });

  test('a submission is idempotent per request id', async () => {
    const options = { project, hints: { [HINT]: '0' }, priority: 5 };
    const requestId = newRequestId();
    const first = await client.submitSql('select * from pyodps_iris limit 1', { ...options, requestId });
    const again = await client.submitSql('select * from pyodps_iris limit 1', { ...options, requestId });
    assert.equal(again.instance_id, first.instance_id, 'the same request id gives the same instance');
    const other = await client.submitSql('select * from pyodps_iris limit 1', options);
    assert.notEqual(other.instance_id, first.instance_id, 'a new request id gives a new instance');
    await assert.rejects(
      client.submitSql('select 1', { ...options, requestId: 'not-a-uuid' }),
      (err) => err.code === status.INVALID_ARGUMENT && err.reason === Reason.INVALID_REQUEST,
    );
  });
  test('executeSql of a short query reaches TERMINAL with the result readable', async () => {
    const events = [];
    for await (const event of client.executeSql('select * from pyodps_iris limit 1', { project, hints: { [HINT]: '0' } })) {
      events.push(event);
    }
    assert.ok(events[0].instance.instance_id, 'the first event names the instance');
    assert.equal(events[0].reattached, false);
    const last = events.at(-1);
    assert.equal(last.event_type, 'TERMINAL');
    assert.equal(last.instance.state, 'TERMINATED');
    assert.equal(last.instance.successful, true);
    const text = await client.getTaskResult(last.instance.instance_id, '', { project });
    assert.ok(text.length > 0, 'the result text is readable');
  });

  test('executeSql with stopOnCancel stops the instance when cancelled mid-run', async () => {
    const controller = new AbortController();
    let id;
    await assert.rejects(async () => {
      for await (const event of client.executeSql('select * from pyodps_iris limit 1', {
        project,
        hints: { [HINT]: '60' },
        stopOnCancel: true,
        signal: controller.signal,
      })) {
        id = event.instance.instance_id;
        if (event.instance.state === 'RUNNING') controller.abort();
      }
    }, (err) => err.name === 'AbortError');
    assert.ok(id, 'an event named the instance');
    await waitTerminated(id);
    const inst = await client.getInstance(id, { project });
    assert.equal(inst.state, 'TERMINATED');
    assert.equal(inst.tasks[0].state, 'CANCELLED');
  });

  test('getTaskSummary of a finished SQL task has text and cost', async () => {
    const { instance_id: id } = await submit('0');
    await waitTerminated(id);
    const summary = await client.getTaskSummary(id, 'AnonymousSQLTask', { project });
    assert.equal(summary.task_name, 'AnonymousSQLTask');
    assert.ok(summary.summary_text.length > 0, 'summary text');
    assert.ok(summary.cost, 'cost');
    const first = await client.getTaskSummary(id, '', { project });
    assert.equal(first.task_name, 'AnonymousSQLTask');
    await assert.rejects(client.getTaskSummary(id, 'NoSuchTask', { project }), (err) => err.reason === 'TASK_NOT_FOUND');
  });

  test('getQueueingInfo of a running instance gives its priority', async () => {
    const inst = await client.submitSql('select * from pyodps_iris limit 1', { project, hints: { [HINT]: '60' }, priority: 3 });
    try {
      const info = await client.getQueueingInfo(inst.instance_id, { project });
      assert.equal(info.instance_id, inst.instance_id);
      assert.equal(info.priority, 3);
    } finally {
      await client.stopInstance(inst.instance_id, { project }).catch(() => {});
    }
  });
});
