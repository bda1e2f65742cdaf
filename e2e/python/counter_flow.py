"""The counter flow of docs/integrators.md, run against a real hub: a vendor's counter written
with mianzheng.py (standard libraries only) enrols, confirms a citizen's new phone at the
identity desk, redeems the citizen's code, asks for certificates, waits for the approval,
fetches the release (twice: a retry gets the same answer) and checks every seal, then checks an
SM2-sealed licence from the public lookup. The citizen's side is the project's test wallet.

Usage: MZ_HUB_BIN=... MZ_WALLET_BIN=... python counter_flow.py
"""

import os
import pathlib
import re
import subprocess
import sys
import tempfile
import urllib.parse

import requests

import check_openapi
from mianzheng import Hub, HubError, Key, b64url, verify_seal


def start_hub(hub_bin: str):
    """Seed the demo region and serve it on a port the OS picks."""
    work = pathlib.Path(tempfile.mkdtemp(prefix="mz-python-"))
    db = f"sqlite://{work}/hub.db"
    out = subprocess.run(
        [hub_bin, "demo", "--db", db, "--out", str(work / "keys")], check=True, capture_output=True, text=True
    ).stdout
    found = {m.group(2): m.group(1) for m in re.finditer(r"enrolment code (\S+)\s+\((.+)\)", out)}
    # A terminal is printed with its place ("通山县政务服务中心 身份核验窗口"): find it by its name.
    codes = {name.split(" ")[-1]: code for name, code in found.items()}
    people = {}
    for line in (work / "keys/identities.tsv").read_text().splitlines():
        if line and not line.startswith("#"):
            key, name, id_number = line.split("\t")[:3]
            people[key] = (name, id_number)
    proc = subprocess.Popen(
        [hub_bin, "serve", "--db", db, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, text=True
    )
    first = proc.stdout.readline().strip()
    assert first.startswith("listening on "), first
    return first.removeprefix("listening on "), codes, people, proc


class Wallet:
    """The citizen's phone: the test wallet, one command a line."""

    def __init__(self, wallet_bin: str, base: str):
        self.proc = subprocess.Popen([wallet_bin, base], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def __call__(self, line: str) -> str:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        assert not answer.startswith("error"), f"{line}: {answer}"
        return answer


def enrol_terminal(base: str, code: str) -> Hub:
    """A terminal enrols with its one-time code; the request is signed with the key it enrols."""
    key = Key()
    hub = Hub(base, key)
    info = hub.call("POST", "/v1/terminals/enrol", {"enrolment_code": code, "public_key": b64url(key.public_bytes)})
    assert info["active"], info
    return hub


def counter_flow(base: str, codes: dict, people: dict, wallet_bin: str) -> list:
    desk = enrol_terminal(base, codes["身份核验窗口"])
    counter = enrol_terminal(base, codes["2号窗口"])
    name, id_number = people["zhang_wei"]
    phone = Wallet(wallet_bin, base)
    counter_code = phone(f"enrol {id_number} {name}").removeprefix("pending ")
    desk.call("POST", "/v1/terminal/device-confirmations", {"counter_code": counter_code, "id_number": id_number})
    phone("confirmed")
    code = phone("code identity").removeprefix("code ")
    redemption = counter.call("POST", "/v1/terminal/redeem", {"code": code})
    try:
        counter.call(
            "POST",
            "/v1/terminal/auth-requests",
            {
                "redemption_id": redemption["redemption_id"],
                "matter": "housing_fund_withdrawal",
                "cert_types": ["driving_licence"],
                "archive": False,
            },
        )
        raise AssertionError("a certificate the matter does not need was asked for")
    except HubError as e:
        assert (e.status, e.code) == (403, "not_needed_by_matter"), e
    wanted = ["id_card", "marriage_cert", "property_cert"]
    asked = counter.call(
        "POST",
        "/v1/terminal/auth-requests",
        {
            "redemption_id": redemption["redemption_id"],
            "matter": "housing_fund_withdrawal",
            "cert_types": wanted,
            "archive": False,
        },
    )
    decided = phone("approve id_card,property_cert")
    assert decided.startswith("decided partly_approved"), decided
    request_id = asked["request_id"]
    assert counter.call("GET", f"/v1/terminal/auth-requests/{request_id}")["state"] == "partly_approved"
    release = counter.call("POST", f"/v1/terminal/auth-requests/{request_id}/release")
    types = sorted(c["certificate"]["body"]["type_code"] for c in release["certificates"])
    assert types == ["id_card", "property_cert"], types
    for view in release["certificates"]:
        assert verify_seal(view["certificate"], release["issuers"]), view["certificate"]["body"]["type_code"]
    again = counter.call("POST", f"/v1/terminal/auth-requests/{request_id}/release")
    assert again["certificates"] == release["certificates"], "a retried release returns the same answer"
    print(f"python counter: released {','.join(types)}, {len(types)} ES256 seals verified, the retry answered the same")
    return desk.seen + counter.seen


def replay_refused(base: str, codes: dict) -> None:
    """A captured signed request sent again is refused."""
    hub = enrol_terminal(base, codes["1号自助终端"])
    req = requests.Request("GET", base + "/v1/terminal/auth-requests/00000000-0000-0000-0000-000000000000").prepare()
    hub.signer.sign(
        req,
        key_id=hub.key.key_id,
        nonce="captured-nonce-0001",
        label="mz",
        covered_component_ids=("@method", "@path", "@query", "content-digest"),
        body=b"",
    )
    first, second = hub.http.send(req), hub.http.send(req)
    assert first.json()["code"] != "replayed_request", first.text
    assert (second.status_code, second.json()["code"]) == (401, "replayed_request"), second.text
    print("python replay: the same signed request again is refused (replayed_request)")


def public_lookup(base: str) -> list:
    """A disclosable licence, sealed with SM2 by the market regulator, checked by anyone."""
    public = Hub(base)
    query = urllib.parse.urlencode({"type": "business_licence", "holder": "鑫达"})
    found = public.call("GET", f"/v1/public/certificates?{query}", signed=False)
    departments = public.call("GET", "/v1/public/departments", signed=False)
    assert found, "the licence is found"
    for entry in found:
        cert = entry["certificate"]
        assert cert["seal"]["alg"] == "SM2-SM3", cert["seal"]["alg"]
        assert verify_seal(cert, departments), cert["body"]["name"]
    print(f"python public lookup: {len(found)} SM2-SM3 seal(s) verified")
    return public.seen


def doc_examples(base: str) -> None:
    """Every `sh` block of docs/integrators.md runs against the hub (HUB is its base URL)."""
    doc = pathlib.Path(__file__).resolve().parents[2] / "docs/integrators.md"
    blocks = re.findall(r"```sh\n(.*?)```", doc.read_text(), flags=re.DOTALL)
    assert blocks, "the guide has shell examples"
    for block in blocks:
        env = {**os.environ, "HUB": base}
        run = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block], check=False, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, f"{block}\n{run.stderr}"
        assert run.stdout.strip(), f"{block}: no output"
    print(f"python docs: {len(blocks)} shell examples of docs/integrators.md ran")


def main() -> int:
    base, codes, people, proc = start_hub(os.environ["MZ_HUB_BIN"])
    try:
        seen = counter_flow(base, codes, people, os.environ["MZ_WALLET_BIN"])
        replay_refused(base, codes)
        seen += public_lookup(base)
        doc_examples(base)
        check_openapi.check(base)
        n = check_openapi.check_answers(check_openapi.document(base), seen)
        print(f"python openapi: the {n} answers the client got match their documented schemas")
    except HubError as e:
        print(f"hub refused: {e}", file=sys.stderr)
        return 1
    finally:
        proc.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
