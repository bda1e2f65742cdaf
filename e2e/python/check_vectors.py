"""Check the published interface vectors (docs/vectors/interface.json) with standard libraries
only: every ES256 request signature verifies with http-message-signatures (RFC 9421, with its
Content-Digest checked against the body), and every seal, ES256 and SM2-SM3, verifies over the
JCS bytes rfc8785 rebuilds from the certificate's JSON."""

import json
import pathlib
import sys

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from http_message_signatures import HTTPMessageVerifier, InvalidSignature, MappingKeyResolver, algorithms

from mianzheng import key_id, sealed_bytes, unb64url, verify_seal

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "docs/vectors/interface.json"


def check_request(v: dict, key: dict) -> None:
    req = requests.Request(v["method"], "http://hub.example" + v["target"], data=v["body"].encode()).prepare()
    for h in ("content-digest", "signature-input", "signature"):
        req.headers[h] = v[h.replace("-", "_")]
    point = unb64url(key["public_key"])
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    resolver = MappingKeyResolver(public_keys={key["key_id"]: public}, private_keys={})
    verifier = HTTPMessageVerifier(signature_algorithm=algorithms.ECDSA_P256_SHA256, key_resolver=resolver)
    required = ("@method", "@path", "@query", "content-digest")
    results = verifier.verify(req, max_age=None, require_components=required, body=v["body"].encode())
    assert len(results) == 1, v["name"]
    req.headers["content-digest"] = "sha-256=:" + "A" * 43 + "=:"
    try:
        verifier.verify(req, max_age=None, body=v["body"].encode())
    except InvalidSignature:
        return
    raise AssertionError(f"{v['name']}: a changed digest verified")


def main() -> None:
    vectors = json.loads(VECTORS.read_text())
    keys = vectors["keys"]
    for name, key in keys.items():
        assert key_id(unb64url(key["public_key"])) == key["key_id"], name
    signatures = 0
    for v in vectors["request_signatures"]:
        if keys[v["key"]]["alg"] == "ES256":
            check_request(v, keys[v["key"]])
            signatures += 1
    for v in vectors["seals"]:
        cert, key = v["certificate"], keys[v["key"]]
        assert sealed_bytes(cert["body"]) == v["sealed_bytes"].encode(), v["name"]
        departments = [{"code": cert["body"]["issuer_code"], "seal_keys": [key["public_key"]]}]
        assert verify_seal(cert, departments), v["name"]
        cert["body"]["holder_name"] += "X"
        assert not verify_seal(cert, departments), f"{v['name']}: a changed body verified"
    print(f"python vectors: {signatures} ES256 request signatures, {len(vectors['seals'])} seals verified")


if __name__ == "__main__":
    sys.exit(main())
