//! Request signatures are RFC 9421 HTTP Message Signatures with an RFC 9530 Content-Digest:
//! what they must cover, and the attacks on a captured signature that the hub refuses.

mod common;
use common::start;
use mz_core::crypto::{SigAlg, Signer};
use mz_core::reqsig::{self, Request, SigParams};
use mz_softkey::SoftKey;
use std::sync::Arc;

/// A holder's key, enrolled and confirmed, and the hub it is registered with.
async fn registered_key() -> (common::Hub, Arc<SoftKey>) {
    let hub = start().await;
    let key = Arc::new(SoftKey::generate());
    let id = common::demo_id("zhang_wei");
    let enrolled = hub
        .client(key.clone())
        .enrol(id.as_str(), "张伟", "phone")
        .await
        .unwrap();
    let desk = hub.identity_desk().await;
    desk.confirm_device(&enrolled.counter_code, id.as_str())
        .await
        .unwrap();
    (hub, key)
}

/// Sign `covered` of a request by hand, with any parameters and extra headers.
fn sign_by_hand(
    key: &SoftKey,
    method: &str,
    target: &str,
    extra: &[(&str, &str)],
    covered: &[&str],
    params: &SigParams,
) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = extra
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let lookup = |name: &str| headers_lookup(extra, name);
    let covered: Vec<String> = covered.iter().map(|c| c.to_string()).collect();
    let value = reqsig::params_value(&covered, params);
    let request = Request {
        method,
        target,
        header: &lookup,
    };
    let base = reqsig::signature_base(&request, &covered, &value).unwrap();
    let sig = key.sign(base.as_bytes()).unwrap();
    for (k, v) in reqsig::headers(&value, &sig.0) {
        headers.push((k.to_string(), v));
    }
    headers
}

fn headers_lookup(extra: &[(&str, &str)], name: &str) -> Option<String> {
    extra
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn params(hub: &common::Hub, key: &SoftKey, nonce: &str) -> SigParams {
    SigParams {
        created: hub.clock_now(),
        key_id: key.key_id(),
        nonce: nonce.into(),
        alg: Some(SigAlg::Es256),
        expires: None,
    }
}

async fn send(
    hub: &common::Hub,
    method: reqwest::Method,
    target: &str,
    headers: &[(String, String)],
    body: &'static [u8],
) -> (u16, serde_json::Value) {
    let mut req = reqwest::Client::new().request(method, format!("{}{target}", hub.base));
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let resp = req.body(body).send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or_default())
}

#[tokio::test]
async fn a_standard_signature_with_another_label_and_more_covered_headers_is_accepted() {
    let (hub, key) = registered_key().await;
    let digest = reqsig::content_digest(b"");
    let headers = sign_by_hand(
        &key,
        "GET",
        "/v1/me",
        &[("content-digest", &digest), ("accept", "application/json")],
        &["accept", "@path", "content-digest", "@query", "@method"],
        &params(&hub, &key, "a-nonce-of-vendor-x"),
    );
    let headers: Vec<_> = headers
        .into_iter()
        .map(|(k, v)| (k, v.replacen("mz=", "sig-b21=", 1)))
        .collect();
    let (status, body) = send(&hub, reqwest::Method::GET, "/v1/me", &headers, b"").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "张伟");
}

/// Sign `signed` (target and body) and send the same headers with `sent` instead: the code.
async fn altered(
    hub: &common::Hub,
    key: &SoftKey,
    nonce: &str,
    signed: (&str, &'static [u8]),
    sent: (&str, &'static [u8]),
) -> (u16, serde_json::Value) {
    let headers = reqsig::sign(key, "POST", signed.0, signed.1, hub.clock_now(), nonce).unwrap();
    let headers: Vec<_> = headers
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    send(hub, reqwest::Method::POST, sent.0, &headers, sent.1).await
}

#[tokio::test]
async fn a_captured_signature_with_another_body_is_refused() {
    let (hub, key) = registered_key().await;
    let pin = "/v1/me/pin";
    let (signed, sent) = (br#"{"pin":"135790"}"#, br#"{"pin":"999999"}"#);
    let (status, body) = altered(
        &hub,
        &key,
        "0123456789abcdef0123",
        (pin, signed),
        (pin, sent),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("bad_request_signature")),
        "{body}"
    );
    assert!(body["message"].as_str().unwrap().contains("content-digest"));
}

#[tokio::test]
async fn a_captured_signature_with_another_query_is_refused() {
    let (hub, key) = registered_key().await;
    let signed = ("/v1/me/handles?n=1", &b""[..]);
    let sent = ("/v1/me/handles?n=50", &b""[..]);
    let (status, body) = altered(&hub, &key, "0123456789abcdef0124", signed, sent).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("bad_request_signature")),
        "{body}"
    );
}

#[tokio::test]
async fn a_signature_that_leaves_out_the_body_digest_or_the_query_is_refused() {
    let (hub, key) = registered_key().await;
    for (i, covered) in [
        &["@method", "@path", "@query"][..],
        &["@method", "@path", "content-digest"][..],
    ]
    .into_iter()
    .enumerate()
    {
        let digest = reqsig::content_digest(b"");
        let headers = sign_by_hand(
            &key,
            "GET",
            "/v1/me",
            &[("content-digest", &digest)],
            covered,
            &params(&hub, &key, &format!("left-out-nonce-{i:04}")),
        );
        let (status, body) = send(&hub, reqwest::Method::GET, "/v1/me", &headers, b"").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("unauthenticated")),
            "{body}"
        );
        assert!(
            body["message"].as_str().unwrap().contains("must cover"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn a_signature_claiming_another_algorithm_or_expired_is_refused() {
    let (hub, key) = registered_key().await;
    let digest = reqsig::content_digest(b"");
    let sm2 = SigParams {
        alg: Some(SigAlg::Sm2Sm3),
        ..params(&hub, &key, "claims-sm2-nonce-0001")
    };
    let expired = SigParams {
        expires: Some(hub.clock_now() - 1),
        ..params(&hub, &key, "expired-nonce-000001")
    };
    let expect = [(sm2, "bad_request_signature"), (expired, "stale_request")];
    for (p, code) in expect {
        let headers = sign_by_hand(
            &key,
            "GET",
            "/v1/me",
            &[("content-digest", &digest)],
            &reqsig::REQUIRED,
            &p,
        );
        let (status, body) = send(&hub, reqwest::Method::GET, "/v1/me", &headers, b"").await;
        assert_eq!((status, body["code"].as_str()), (401, Some(code)), "{body}");
    }
}
