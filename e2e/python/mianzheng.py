"""A small client of the Mianzheng hub, written from docs/integrators.md alone.

Off-the-shelf libraries do the standard parts:
  http-message-signatures  RFC 9421 request signatures with an RFC 9530 Content-Digest
  rfc8785                  JCS, the canonical JSON a certificate seal covers
  cryptography             ECDSA P-256 (ES256) keys and seal checks
  gmssl                    SM2 with SM3 seal checks (国密)
  requests                 HTTP
"""

import base64
import binascii
import hashlib
import json
import secrets
import time

import requests
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from gmssl import sm2
from http_message_signatures import HTTPMessageSigner, MappingKeyResolver, algorithms

COVERED = ("@method", "@path", "@query", "content-digest")
SEAL_TAG = b"MZ-CERT-2\n"
SM2_TAG = 0x53


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(public_key: bytes) -> str:
    """A key's id: the first 16 bytes of SHA-256 of its binary form, in hex."""
    return hashlib.sha256(public_key).digest()[:16].hex()


class Key:
    """A P-256 key; its binary form is the uncompressed SEC1 point."""

    def __init__(self, private: ec.EllipticCurvePrivateKey | None = None):
        self.private = private or ec.generate_private_key(ec.SECP256R1())
        self.public_bytes = self.private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.key_id = key_id(self.public_bytes)


class HubError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class Hub:
    """Calls to one hub, signed with `key` when there is one."""

    def __init__(self, base: str, key: Key | None = None):
        self.base, self.key = base.rstrip("/"), key
        self.http = requests.Session()
        # Every answer, as (method, target, status, JSON): checked against the OpenAPI document.
        self.seen: list[tuple[str, str, int, object]] = []
        if key:
            resolver = MappingKeyResolver(public_keys={}, private_keys={key.key_id: key.private})
            self.signer = HTTPMessageSigner(signature_algorithm=algorithms.ECDSA_P256_SHA256, key_resolver=resolver)

    def call(self, method: str, target: str, body=None, signed: bool = True):
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        headers = {"content-type": "application/json"} if body is not None else {}
        req = requests.Request(method, self.base + target, data=data, headers=headers).prepare()
        if signed:
            self.signer.sign(
                req,
                key_id=self.key.key_id,
                nonce=secrets.token_hex(16),
                label="mz",
                covered_component_ids=COVERED,
                body=data,
            )
        resp = self.http.send(req, timeout=30)
        self.seen.append((method, target, resp.status_code, resp.json()))
        if not resp.ok:
            err = resp.json()
            raise HubError(resp.status_code, err["code"], err["message"])
        return resp.json()


def sealed_bytes(body: dict) -> bytes:
    """The bytes a seal covers: the domain tag, then the body in JCS (RFC 8785)."""
    return SEAL_TAG + rfc8785.dumps(body)


def verify_seal(cert: dict, departments: list[dict]) -> bool:
    """Check a certificate's seal against the issuing department's published keys."""
    body, seal = cert["body"], cert["seal"]
    dept = next((d for d in departments if d["code"] == body["issuer_code"]), None)
    if dept is None:
        return False
    data, sig = sealed_bytes(body), unb64url(seal["sig"])
    for text in dept["seal_keys"]:
        raw = unb64url(text)
        if key_id(raw) != seal["key_id"]:
            continue
        if seal["alg"] == "SM2-SM3" and raw[0] == SM2_TAG:
            return sm2_verify(raw[2:], sig, data)
        if seal["alg"] == "ES256" and raw[0] == 4:
            return es256_verify(raw, sig, data)
    return False


def es256_verify(point: bytes, sig: bytes, data: bytes) -> bool:
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
    try:
        public.verify(der, data, ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


def sm2_verify(xy: bytes, sig: bytes, data: bytes) -> bool:
    """SM2 with SM3 and the default identifier 1234567812345678 (GM/T 0009)."""
    checker = sm2.CryptSM2(private_key=None, public_key=binascii.hexlify(xy).decode())
    return bool(checker.verify_with_sm3(sig.hex(), data))


def now() -> int:
    return int(time.time())
