// The kiosk login code: the same envelope as crates/mz-core/src/wire.rs —
// version 1 | kind 3 | postcard(LoginCodeBody) | P-256 signature (r‖s) — as "MZ:" + base45.

import { uuidBytes, randomBytes } from './bytes';

const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

export function base45(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 2) {
    if (i + 1 < bytes.length) {
      let n = bytes[i] * 256 + bytes[i + 1];
      const c = n % 45;
      n = (n - c) / 45;
      const d = n % 45;
      const e = (n - d) / 45;
      out += B45[c] + B45[d] + B45[e];
    } else {
      const n = bytes[i];
      out += B45[n % 45] + B45[Math.floor(n / 45)];
    }
  }
  return out;
}

/** postcard varint (unsigned LEB128). */
function varint(v: bigint): number[] {
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

/** postcard i64: zigzag, then varint. */
function i64(v: number): number[] {
  const x = BigInt(v);
  return varint(BigInt.asUintN(64, (x << 1n) ^ (x >> 63n)));
}

export interface LoginCodeParts {
  region: number;
  terminalId: string;
  sessionId: string;
  issuedAt: number;
}

export async function loginCode(key: CryptoKey, p: LoginCodeParts): Promise<string> {
  const body = [
    ...varint(BigInt(p.region)),
    ...uuidBytes(p.terminalId),
    ...uuidBytes(p.sessionId),
    ...i64(p.issuedAt),
    ...randomBytes(8),
  ];
  const signed = new Uint8Array([1, 3, ...body]);
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, signed));
  const all = new Uint8Array(signed.length + sig.length);
  all.set(signed);
  all.set(sig, signed.length);
  return 'MZ:' + base45(all);
}
