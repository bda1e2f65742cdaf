// What a signature covers, in the browser: request signatures (HTTP Message Signatures,
// RFC 9421, with a Content-Digest, RFC 9530) and certificate seals (the body in RFC 8785 JCS).
// The same rules as crates/mz-core/src/reqsig.rs and cert.rs; docs/vectors/interface.json
// checks both (ui/test/vectors.mjs).

import canonicalize from 'canonicalize';
import { b64, sha256 } from './bytes';

/** The components every request signature covers, in the order this client sends them. */
export const COVERED = ['@method', '@path', '@query', 'content-digest'] as const;
export const ALG_ES256 = 'ecdsa-p256-sha256';
export const LABEL = 'mz';

export async function contentDigest(body: Uint8Array): Promise<string> {
  return `sha-256=:${b64(await sha256(body))}:`;
}

/** The `@signature-params` value (an RFC 8941 inner list). Every value here is printable
 * ASCII without quotes or backslashes (a hex key id, a hex nonce, a fixed name), so the
 * structured-field serialization is the plain template below. */
export function signatureParams(created: number, keyId: string, nonce: string, alg = ALG_ES256): string {
  const items = COVERED.map((c) => `"${c}"`).join(' ');
  return `(${items});created=${created};keyid="${keyId}";nonce="${nonce}";alg="${alg}"`;
}

/** The signature base (RFC 9421 § 2.5) of a request to `target` (path and query). */
export function signatureBase(method: string, target: string, digest: string, params: string): string {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? '?' : target.slice(q);
  return [
    `"@method": ${method.toUpperCase()}`,
    `"@path": ${path || '/'}`,
    `"@query": ${query}`,
    `"content-digest": ${digest}`,
    `"@signature-params": ${params}`,
  ].join('\n');
}

/** The headers of a request signed with a P-256 WebCrypto key. */
export async function signRequest(
  key: CryptoKey,
  keyId: string,
  method: string,
  target: string,
  body: Uint8Array,
  created: number,
  nonce: string,
): Promise<Record<string, string>> {
  const digest = await contentDigest(body);
  const params = signatureParams(created, keyId, nonce);
  const base = new TextEncoder().encode(signatureBase(method, target, digest, params));
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, base as BufferSource));
  return {
    'content-digest': digest,
    'signature-input': `${LABEL}=${params}`,
    signature: `${LABEL}=:${b64(sig)}:`,
  };
}

/** The bytes a certificate seal covers: the domain tag and the body in JCS (RFC 8785). */
export function sealedBytes(body: unknown): Uint8Array {
  return new TextEncoder().encode('MZ-CERT-2\n' + canonicalize(body));
}
