// Talking to the hub as a registered terminal: a non-extractable P-256 key made in the browser
// (WebCrypto, kept in IndexedDB), every request signed (RFC 9421, ./signing.ts), and
// pushes read from server-sent events over fetch (so the request can be signed).

import { b64url, hex, randomBytes, sha256, unb64url } from './bytes';
import { sealedBytes, signRequest } from './signing';
import type { ApiError, Certificate, DepartmentInfo, PushEvent, TerminalInfo } from './types';

export class HubError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Identity {
  keys: CryptoKeyPair;
  keyId: string;
  publicKey: string;
  terminal?: TerminalInfo;
}

const DB_NAME = 'mianzheng-terminal';
const STORE = 'identity';

function idb(): Promise<IDBDatabase> {
  return new Promise((ok, fail) => {
    const r = indexedDB.open(DB_NAME, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE);
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
}

async function idbDo<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await idb();
  return new Promise((ok, fail) => {
    const req = f(db.transaction(STORE, mode).objectStore(STORE));
    req.onsuccess = () => ok(req.result as T);
    req.onerror = () => fail(req.error);
  });
}

export const loadIdentity = (slot: string) => idbDo<Identity | undefined>('readonly', (s) => s.get(slot));
export const saveIdentity = (slot: string, id: Identity) => idbDo<unknown>('readwrite', (s) => s.put(id, slot));
export const forgetIdentity = (slot: string) => idbDo<unknown>('readwrite', (s) => s.delete(slot));

/** A new key pair whose private half can never be read out of the browser. */
export async function newIdentity(): Promise<Identity> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey));
  return { keys, keyId: hex((await sha256(raw)).slice(0, 16)), publicKey: b64url(raw) };
}

const enc = new TextEncoder();

export class Hub {
  constructor(
    public id: Identity | null,
    public base = '',
  ) {}

  private async headers(method: string, path: string, body: Uint8Array): Promise<Record<string, string>> {
    if (!this.id) return {};
    const created = Math.floor(Date.now() / 1000);
    return signRequest(this.id.keys.privateKey, this.id.keyId, method, path, body, created, hex(randomBytes(16)));
  }

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, signed = true): Promise<T> {
    const bytes = body === undefined ? new Uint8Array() : enc.encode(JSON.stringify(body));
    const headers: Record<string, string> = signed ? await this.headers(method, path, bytes) : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    let resp: Response;
    try {
      resp = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : (bytes as BodyInit),
      });
    } catch {
      throw new HubError(0, 'unreachable', 'hub unreachable');
    }
    if (!resp.ok) {
      const e: ApiError = await resp
        .json()
        .catch(() => ({ code: 'unexpected_response', message: `HTTP ${resp.status}` }));
      throw new HubError(resp.status, e.code, e.message);
    }
    return resp.json() as Promise<T>;
  }

  /** Read pushes until `signal` aborts. After a drop it reconnects with the id of the last event
   * it saw (`Last-Event-ID`): the hub sends what was missed, or `resync`. `onOpen` is called when
   * the state must be read: on the first connection, on a reconnection with nothing to resume
   * from, and on `resync`. */
  async events(path: string, onEvent: (e: PushEvent) => void, signal: AbortSignal, onOpen?: () => void): Promise<void> {
    let lastId: string | undefined;
    while (!signal.aborted) {
      try {
        const headers = await this.headers('GET', path, new Uint8Array());
        if (lastId) headers['last-event-id'] = lastId;
        const resp = await fetch(this.base + path, { headers, signal });
        if (!resp.ok || !resp.body) throw new Error(`HTTP ${resp.status}`);
        if (!lastId) onOpen?.();
        const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const lines = buf.slice(0, i).split('\n');
            buf = buf.slice(i + 2);
            const field = (name: string) =>
              lines
                .filter((l) => l.startsWith(name + ':'))
                .map((l) => l.slice(name.length + 1).trimStart())
                .join('\n');
            const id = field('id');
            if (id) lastId = id;
            const data = field('data');
            if (!data) continue;
            const ev = JSON.parse(data) as PushEvent;
            if (ev.kind === 'resync') onOpen?.();
            else onEvent(ev);
          }
        }
      } catch {
        if (signal.aborted) return;
      }
      await new Promise((r) => setTimeout(r, 1500));
    }
  }
}

/** The first byte of an SM2 key's binary form (mz_core::crypto::PublicKey): 0x53, then the point. */
const SM2_TAG = 0x53;
/** The distinguishing identifier SM2 seals are made with (GM/T 0009's default). */
const SM2_DISTID = '1234567812345678';

/** Check a certificate's seal in the browser against the issuing department's published key:
 * ES256 with WebCrypto; SM2/SM3 (国密, which WebCrypto lacks) with sm-crypto-v2. */
export async function verifySeal(cert: Certificate, departments: DepartmentInfo[]): Promise<boolean> {
  const dept = departments.find((d) => d.code === cert.body.issuer_code);
  if (!dept) return false;
  for (const k of dept.seal_keys) {
    const raw = unb64url(k);
    if (hex((await sha256(raw)).slice(0, 16)) !== cert.seal.key_id) continue;
    const data = sealedBytes(cert.body);
    const sig = unb64url(cert.seal.sig);
    const sm2Key = raw.length === 66 && raw[0] === SM2_TAG;
    if (cert.seal.alg === 'SM2-SM3' && sm2Key) {
      const { sm2 } = await import('sm-crypto-v2');
      try {
        return sm2.doVerifySignature(data, hex(sig), hex(raw.slice(1)), { hash: true, userId: SM2_DISTID });
      } catch {
        return false;
      }
    }
    if (cert.seal.alg !== 'ES256' || sm2Key) return false;
    const key = await crypto.subtle.importKey(
      'raw',
      raw as BufferSource,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, sig as BufferSource, data as BufferSource);
  }
  return false;
}
