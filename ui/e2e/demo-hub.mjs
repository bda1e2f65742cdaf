// A real mz-hub with the demo region, on a port the OS chose, for the end-to-end scripts.
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Seed and serve; returns the base URL, the demo people, terminals' enrolment codes, the process. */
export async function startDemoHub(hubBin, uiDir) {
  const dir = mkdtempSync(join(tmpdir(), 'mz-e2e-'));
  const db = `sqlite://${dir}/hub.db`;
  const demoOut = execFileSync(hubBin, ['demo', '--db', db, '--out', join(dir, 'keys')], { encoding: 'utf8' });
  const enrolCode = (name) => demoOut.split('\n').find((l) => l.includes(name)).match(/enrolment code (\S+)/)[1];
  const people = Object.fromEntries(
    readFileSync(join(dir, 'keys/identities.tsv'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
      const [k, n, id] = l.split('\t');
      return [k, { name: n, id }];
    }),
  );
  const proc = spawn(hubBin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--ui-dir', uiDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise((ok, fail) => {
    createInterface({ input: proc.stdout }).once('line', (l) => (l.startsWith('listening on ') ? ok(l.slice(13)) : fail(new Error(l))));
    proc.once('exit', (c) => fail(new Error(`hub exited ${c}`)));
  });
  return { base, people, enrolCode, proc, dir };
}
