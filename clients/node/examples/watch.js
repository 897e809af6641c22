#!/usr/bin/env node
// Lists the newest instances of a project (every page of those started in the last 24 hours,
// sorted by start time, newest first), then (given an id, or --sql QUERY) watches one to the end.
// It prints what every client's example prints (clients/README.md): `#SEQUENCE EVENT STATE
// [stages]` per event, `ID succeeded` or `ID failed: MESSAGE` last, and errors as
// `error: CODE (REASON, MaxCompute CODE): message` on stderr (exit status 1; 2 for a bad target or
// TLS setting).
//
//   node examples/watch.js --sql 'select 1'
//   MCGW_TARGET=gw.example.com:443 MCGW_TOKEN=... node examples/watch.js 20160519101349613gzbzufck2
//
// Environment: MCGW_TARGET (default 127.0.0.1:50051), MCGW_TOKEN, MCGW_CA_CERT (PEM of the CA to
// trust; implies TLS), MCGW_TLS (auto: plaintext only on loopback; on; off), MCGW_PROJECT
// (default: the gateway's), MCGW_LIMIT (how many instances to list, default 10).

// By the package's name, as an application that installed it would (Node resolves a package's
// own name through its `exports`).
import { GatewayError, connect } from '@mcgateway/client';

let client;
try {
  client = connect();
} catch (err) {
  console.error(`error: ${err.message}`);
  process.exit(2);
}
const project = process.env.MCGW_PROJECT ?? '';
const limit = Number(process.env.MCGW_LIMIT ?? 10);
const args = process.argv.slice(2);

/** Prints the `limit` newest instances started in the last 24 hours (the gateway lists oldest first). */
async function listNewest() {
  if (limit <= 0) return;
  const since = { seconds: Math.floor(Date.now() / 1000) - 24 * 3600, nanos: 0 };
  const all = [];
  for await (const inst of client.listInstances({ project, min_start_time: since, page_size: 1000 })) all.push(inst);
  const key = (i) => [BigInt(i.start_time?.seconds ?? 0), i.start_time?.nanos ?? 0, i.instance_id];
  all.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let k = 0; k < 3; k++) if (x[k] !== y[k]) return x[k] < y[k] ? 1 : -1;
    return 0;
  });
  for (const inst of all.slice(0, limit)) {
    console.log(`${inst.instance_id}  ${String(inst.state).padEnd(10)}  ${inst.owner}`);
  }
}

try {
  await listNewest();
  let id = args[0];
  if (args[0] === '--sql') {
    id = (await client.submitSql(args[1], { project })).instance_id;
    console.log(`submitted ${id}`);
  }
  if (id) {
    for await (const event of client.watch(id, { project })) {
      const stages = event.progress.flatMap((p) => p.stages.map((s) => `${s.id} ${s.finished_percentage}%`));
      console.log(`#${event.sequence} ${event.event_type} ${event.instance.state}`
        + (stages.length ? `  [${stages.join(', ')}]` : ''));
      if (event.event_type === 'TERMINAL') {
        const inst = event.instance;
        console.log(`${inst.instance_id} ${inst.successful ? 'succeeded' : `failed: ${inst.failure_message}`}`);
      }
    }
  }
} catch (err) {
  if (!(err instanceof GatewayError)) throw err;
  console.error(`error: ${err.message}`);
  process.exitCode = 1;
} finally {
  client.close();
}
