// Compiled (never run) by test/types.test.js: the published type definitions must describe the
// client as a TypeScript user would use it.
import {
  DEFAULT_TARGET,
  GatewayError,
  isLoopback,
  parseTarget,
  Reason,
  connect,
  errorReason,
  maxcomputeCode,
  newRequestId,
  status,
  type Instance,
  type Task,
  type TaskResult,
  type WatchEvent,
  type ResultCell,
  ResultTimestamp,
} from '../src/index.js';

export async function readRows(target: string): Promise<bigint> {
  const client = connect(target);
  const reader = client.readInstanceResult('id', { columns: ['id', 'at'], offset: 1, limit: 2 });
  const opened = await reader.open();
  const count: number = opened.count;
  const names: string[] = opened.schema.map((c) => c.name);
  let sum = 0n;
  for await (const row of reader) {
    const id: ResultCell = row.id;
    if (typeof id === 'bigint') sum += id;
    if (row.at instanceof ResultTimestamp) void row.at.toPreciseISOString();
  }
  for await (const values of client.readInstanceResult('id', { arrays: true })) {
    const first: ResultCell = values[0];
    void first;
  }
  void [count, names];
  return sum;
}

export async function example(target: string): Promise<Instance> {
  const fromEnv = connect();
  const usesTls: boolean = fromEnv.usesTls;
  const where: string = fromEnv.target;
  void [usesTls, where, isLoopback(parseTarget(DEFAULT_TARGET).host)];
  fromEnv.close();
  connect({ tls: 'auto', env: {} }).close();
  const client = connect(target, { tls: 'off', token: 't', timeoutMs: 5000 });
  const inst: Instance = await client.submitSql('select 1', { hints: { a: 'b' }, priority: 1, requestId: newRequestId() });
  const filter = { page_size: 10, state_filter: 'TERMINATED', min_start_time: { seconds: 0, nanos: 0 } } as const;
  for await (const listed of client.listInstances(filter)) {
    const id: string = listed.instance_id;
    const known: boolean | undefined = listed.successful;
    const priority: number | undefined = listed.priority;
    void id;
    void known;
    void priority;
  }
  for await (const task of client.listTasks(inst.instance_id, { project: 'demo' })) {
    const t: Task = task;
    const done: boolean = t.state === 'SUCCEEDED';
    void done;
  }
  for await (const result of client.listTaskResults(inst.instance_id)) {
    const r: TaskResult = result;
    void r.content;
  }
  for await (const event of client.watch(inst.instance_id, { omitProgress: true })) {
    const e: WatchEvent = event;
    const sequence: string = e.sequence;
    const stages: number = e.progress.flatMap((p) => p.stages).length;
    const terminal: boolean = e.event_type === 'TERMINAL';
    void sequence;
    void stages;
    void terminal;
  }
  const text: string = await client.getTaskResult(inst.instance_id, 'AnonymousSQLTask', { project: 'demo' });
  void text;
  const finished: Instance = await client.waitUntilDone(inst.instance_id, { timeoutMs: 60_000 });
  void finished;
  await client.watchUntilDone(inst.instance_id, { timeoutMs: 60_000, onEvent: (e: WatchEvent) => void e });
  try {
    return await client.getInstance(inst.instance_id, { project: 'demo' });
  } catch (err) {
    if (err instanceof GatewayError && err.code === status.NOT_FOUND && err.reason === Reason.INSTANCE_NOT_FOUND) {
      const code: string = err.maxcomputeCode;
      const ids: string[] = [err.requestId, err.gatewayRequestId];
      void code;
      void ids;
    }
    void errorReason(err);
    void maxcomputeCode(err);
    throw err;
  } finally {
    client.close();
  }
}
