"""Check the hub's OpenAPI document as a vendor's tools would: openapi-spec-validator finds no
error; every operation declares its security and the error codes it can answer; every response
has a description; every request body has an example that passes its own schema; the event
streams are text/event-stream.

Usage: python check_openapi.py <hub base URL>
"""

import re
import sys

import requests
from jsonschema import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator


def operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            yield path, method, op


def check_operation(doc: dict, path: str, method: str, op: dict) -> None:
    where = f"{method.upper()} {path}"
    assert "security" in op, f"{where}: no security"
    responses = op["responses"]
    for status, resp in responses.items():
        assert resp.get("description"), f"{where} {status}: no description"
        assert "content" in resp, f"{where} {status}: no schema"
    errors = [r for s, r in responses.items() if s[0] in "45"]
    assert errors and all(r.get("x-error-codes") for r in errors), f"{where}: error codes"
    if path.endswith("/events"):
        assert "text/event-stream" in responses["200"]["content"], f"{where}: not an event stream"
    body = op.get("requestBody")
    if body:
        media = body["content"]["application/json"]
        assert "example" in media, f"{where}: no request example"
        schema = {**media["schema"], "components": doc["components"]}
        errs = list(Draft202012Validator(schema).iter_errors(media["example"]))
        assert not errs, f"{where}: its example fails its schema: {errs[0].message}"


def response_schema(doc: dict, method: str, target: str, status: int) -> dict:
    """The documented schema of an answer to `method target` with `status`."""
    path = target.split("?")[0]
    for template, item in doc["paths"].items():
        if re.fullmatch(re.sub(r"\{[^/]+\}", "[^/]+", template), path) and method.lower() in item:
            resp = item[method.lower()]["responses"][str(status)]
            return {**resp["content"]["application/json"]["schema"], "components": doc["components"]}
    raise AssertionError(f"{method} {path}: not in the document")


def check_answers(doc: dict, seen: list) -> int:
    """Every answer a client got has the shape the document gives it."""
    for method, target, status, body in seen:
        errs = list(Draft202012Validator(response_schema(doc, method, target, status)).iter_errors(body))
        assert not errs, f"{method} {target} {status}: {errs[0].message}"
    return len(seen)


def document(base: str) -> dict:
    return requests.get(base.rstrip("/") + "/openapi.json", timeout=30).json()


def check(base: str) -> None:
    doc = document(base)
    errors = list(OpenAPIV31SpecValidator(doc).iter_errors())
    for e in errors:
        print(f"openapi: {e.message}", file=sys.stderr)
    assert not errors, f"{len(errors)} validator errors"
    ops = list(operations(doc))
    for path, method, op in ops:
        check_operation(doc, path, method, op)
    ids = [op["operationId"] for *_, op in ops]
    assert len(ids) == len(set(ids)), "operation ids are unique"
    examples = sum(1 for *_, op in ops if "requestBody" in op)
    print(f"python openapi: 0 validator errors, {len(ops)} operations, {examples} request examples valid")


if __name__ == "__main__":
    check(sys.argv[1])
