// A real mz-hub with the demo region, on a port the OS chose, for the end-to-end scripts.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Ports free now (the OS picks them; they are released for the hubs to take). */
async function freePorts(n) {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((ok) => {
          const srv = createServer();
          srv.listen(0, '127.0.0.1', () => ok(srv));
        }),
    ),
  );
  const ports = servers.map((srv) => srv.address().port);
  await Promise.all(servers.map((srv) => new Promise((ok) => srv.close(ok))));
  return ports;
}

/** `mz-hub serve` on `listen`; resolves to its base URL once it says it is listening. */
async function serve(hubBin, db, listen, uiDir) {
  const args = ['serve', '--db', db, '--listen', listen];
  if (uiDir) args.push('--ui-dir', uiDir);
  const proc = spawn(hubBin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise((ok, fail) => {
    createInterface({ input: proc.stdout }).once('line', (l) =>
      l.startsWith('listening on ') ? ok(l.slice(13)) : fail(new Error(l)),
    );
    proc.once('exit', (c) => fail(new Error(`hub exited ${c}`)));
  });
  return { base, proc };
}

/** Seed and serve; returns the base URL, the demo people, terminals' enrolment codes, the
 * process; with `province`, also the demo province: 湖北's and 武汉's hubs (linked as
 * `mz-hub demo-province` links them, before any hub serves) and 武汉's counter enrolment code. */
export async function startDemoHub(hubBin, uiDir, { province: withProvince = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mz-e2e-'));
  const db = `sqlite://${dir}/hub.db`;
  const demoOut = execFileSync(hubBin, ['demo', '--db', db, '--out', join(dir, 'keys')], { encoding: 'utf8' });
  const enrolCode = (name) =>
    demoOut
      .split('\n')
      .find((l) => l.includes(name))
      .match(/enrolment code (\S+)/)[1];
  const people = Object.fromEntries(
    readFileSync(join(dir, 'keys/identities.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => {
        const [k, n, id] = l.split('\t');
        return [k, { name: n, id }];
      }),
  );
  if (!withProvince) {
    const { base, proc } = await serve(hubBin, db, '127.0.0.1:0', uiDir);
    return { base, people, enrolCode, proc, dir };
  }
  const [city, province, other] = (await freePorts(3)).map((p) => `127.0.0.1:${p}`);
  const [provinceDb, otherDb] = [`sqlite://${dir}/hubei.db`, `sqlite://${dir}/wuhan.db`];
  const provinceOut = execFileSync(
    hubBin,
    [
      'demo-province',
      '--db',
      db,
      '--url',
      `http://${city}`,
      '--province-db',
      provinceDb,
      '--province-url',
      `http://${province}`,
      '--other-db',
      otherDb,
      '--other-url',
      `http://${other}`,
    ],
    { encoding: 'utf8' },
  );
  const otherCode = provinceOut.match(/enrolment code (\S+)/)[1];
  const provinceHub = await serve(hubBin, provinceDb, province);
  const otherHub = await serve(hubBin, otherDb, other, uiDir);
  const { base, proc } = await serve(hubBin, db, city, uiDir);
  return {
    base,
    people,
    enrolCode,
    proc,
    dir,
    otherCity: { base: otherHub.base, enrolCode: otherCode, procs: [provinceHub.proc, otherHub.proc] },
  };
}

/** The demo departments' proof desks (`mz-desk`: 自然资源和规划局's 房查证明, 人社局's 参保证明)
 * against the hub at `base`, with the keys and records `mz-hub demo` wrote to `dir/keys`. */
export function startDesks(deskBin, base, dir) {
  return ['land', 'hrss'].map((dept) =>
    spawn(
      deskBin,
      [
        '--hub',
        base,
        '--keys',
        join(dir, `keys/department-${dept}.keys`),
        '--register',
        join(dir, `keys/register-${dept}.json`),
      ],
      { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, RUST_LOG: 'warn' } },
    ),
  );
}
