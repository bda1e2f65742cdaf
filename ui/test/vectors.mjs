// The published interface vectors (docs/vectors/interface.json), checked against the pages'
// own code: ui/src/shared/signing.ts builds the same signature bases and sealed bytes, its
// fresh signatures verify, and verifySeal (hub.ts) accepts every seal and refuses a changed one.
// Run: node test/vectors.mjs (from ui/). Vite loads the TypeScript modules as they are.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'vite';

const file = JSON.parse(readFileSync(new URL('../../docs/vectors/interface.json', import.meta.url), 'utf8'));
const vite = await createServer({
  configFile: false,
  logLevel: 'error',
  server: { middlewareMode: true },
  appType: 'custom',
});
const signing = await vite.ssrLoadModule('/src/shared/signing.ts');
const hub = await vite.ssrLoadModule('/src/shared/hub.ts');
const bytes = await vite.ssrLoadModule('/src/shared/bytes.ts');
const enc = new TextEncoder();

async function p256(pub) {
  return crypto.subtle.importKey('raw', bytes.unb64url(pub), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
}

const checked = { bases: 0, signatures: 0, seals: 0 };
for (const v of file.request_signatures) {
  const key = file.keys[v.key];
  const alg = key.alg === 'ES256' ? signing.ALG_ES256 : 'mz-sm2-sm3';
  assert.equal(await signing.contentDigest(enc.encode(v.body)), v.content_digest, v.name);
  const params = v.signature_input.slice(signing.LABEL.length + 1);
  const [, created, nonce] = params.match(/created=(\d+);keyid="[0-9a-f]+";nonce="([^"]+)"/);
  assert.equal(signing.signatureParams(Number(created), key.key_id, nonce, alg), params, v.name);
  const base = signing.signatureBase(v.method, v.target, v.content_digest, params);
  assert.equal(base, v.signature_base, v.name);
  checked.bases++;
  if (key.alg !== 'ES256') continue;
  const sig = bytes.unb64url(
    v.signature
      .slice(signing.LABEL.length + 2, -1)
      .replace(/\+/g, '-')
      .replace(/\//g, '_'),
  );
  const verifier = await p256(key.public_key);
  assert.ok(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, verifier, sig, enc.encode(base)), v.name);
  // A fresh signature from signRequest verifies over the same base.
  const priv = await crypto.subtle.importKey(
    'pkcs8',
    bytes.unb64url(key.private.pkcs8_base64url),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  const h = await signing.signRequest(priv, key.key_id, v.method, v.target, enc.encode(v.body), Number(created), nonce);
  assert.equal(h['signature-input'], v.signature_input, v.name);
  const fresh = bytes.unb64url(
    h.signature
      .slice(signing.LABEL.length + 2, -1)
      .replace(/\+/g, '-')
      .replace(/\//g, '_'),
  );
  assert.ok(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, verifier, fresh, enc.encode(base)), v.name);
  checked.signatures++;
}
for (const v of file.seals) {
  const key = file.keys[v.key];
  assert.equal(new TextDecoder().decode(signing.sealedBytes(v.certificate.body)), v.sealed_bytes, v.name);
  const departments = [{ code: v.certificate.body.issuer_code, seal_keys: [key.public_key] }];
  assert.equal(await hub.verifySeal(v.certificate, departments), true, v.name);
  const changed = structuredClone(v.certificate);
  changed.body.holder_name += 'X';
  assert.equal(await hub.verifySeal(changed, departments), false, `${v.name} changed`);
  checked.seals++;
}
await vite.close();
console.log(
  `vectors: ${checked.bases} signature bases, ${checked.signatures} ES256 signatures, ${checked.seals} seals`,
);
