//! The interface's errors have one shape: every refusal is the hub's JSON error (`code`,
//! `message`) with its registry status, also for a method a route does not take, a query string
//! it cannot read and a body that is too large.

mod common;
use common::start;

async fn json_error(resp: reqwest::Response) -> (u16, String, serde_json::Value) {
    let status = resp.status().as_u16();
    let kind = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = resp.json().await.unwrap_or(serde_json::Value::Null);
    (status, kind, body)
}

#[tokio::test]
async fn a_method_a_route_does_not_take_is_a_json_405_naming_the_methods_it_does() {
    let hub = start().await;
    let resp = reqwest::Client::new()
        .delete(format!("{}/v1/hub", hub.base))
        .send()
        .await
        .unwrap();
    let allow = resp
        .headers()
        .get("allow")
        .map(|v| v.to_str().unwrap().to_string());
    let (status, kind, body) = json_error(resp).await;
    assert_eq!((status, kind.as_str()), (405, "application/json"));
    assert_eq!(body["code"], "method_not_allowed");
    assert!(allow.unwrap_or_default().contains("GET"), "Allow lists GET");
}

#[tokio::test]
async fn a_query_string_is_read_after_the_caller_is_known_and_refused_as_json() {
    let hub = start().await;
    let http = reqwest::Client::new();
    // Unsigned, with a bad query: told only that it is not signed (before: 400 text/plain
    // from the parser, naming the holder-only parameter).
    let resp = http
        .post(format!("{}/v1/me/handles?n=many", hub.base))
        .send()
        .await
        .unwrap();
    let (status, kind, body) = json_error(resp).await;
    assert_eq!((status, kind.as_str()), (401, "application/json"));
    assert!(!body["message"].as_str().unwrap().contains("`n`"));
    // A public route without its parameters: the JSON error, code bad_query.
    let resp = http
        .get(format!("{}/v1/public/certificates?type=x", hub.base))
        .send()
        .await
        .unwrap();
    let (status, kind, body) = json_error(resp).await;
    assert_eq!((status, kind.as_str()), (400, "application/json"));
    assert_eq!(body["code"], "bad_query");
}

#[tokio::test]
async fn a_body_larger_than_the_route_takes_is_413() {
    let hub = start().await;
    let resp = reqwest::Client::new()
        .post(format!("{}/v1/terminal/redeem", hub.base))
        .header("content-type", "application/json")
        .body(vec![b' '; mz_hub::auth::MAX_BODY + 1])
        .send()
        .await
        .unwrap();
    let (status, kind, body) = json_error(resp).await;
    assert_eq!((status, kind.as_str()), (413, "application/json"));
    assert_eq!(body["code"], "body_too_large");
}

#[tokio::test]
async fn a_refusal_before_the_body_is_read_says_the_connection_closes() {
    let hub = start().await;
    let http = reqwest::Client::new();
    for (path, status) in [("/v1/hub", 405), ("/v1/nowhere", 404)] {
        let resp = http
            .post(format!("{}{path}", hub.base))
            .body("{\"a\":1}")
            .send()
            .await
            .unwrap();
        let connection = resp.headers().get("connection").cloned();
        let (got, _, body) = json_error(resp).await;
        assert_eq!(got, status, "{body}");
        assert_eq!(connection.unwrap().to_str().unwrap(), "close", "{path}");
    }
    // Without a body the connection stays open.
    let resp = http
        .delete(format!("{}/v1/hub", hub.base))
        .send()
        .await
        .unwrap();
    assert!(resp.headers().get("connection").is_none());
}

#[tokio::test]
async fn a_body_with_a_field_its_schema_lacks_is_refused_and_changes_nothing() {
    let hub = start().await;
    let (counter, _) = hub.terminal("ts_identity_desk").await;
    let (holder, enrolled) = hub.pending_holder("zhang_wei").await;
    let _ = holder;
    let id = common::demo_id("zhang_wei");
    // A misspelt field beside the right ones: refused, naming it; the device is still pending.
    let body = serde_json::json!({
        "counter_code": enrolled.counter_code, "id_number": id.as_str(), "id_numbr": "x"
    });
    let err = counter
        .post_json::<serde_json::Value>("/v1/terminal/device-confirmations", &body)
        .await
        .unwrap_err();
    assert_eq!(common::code_of(err), "unknown_field");
    // The same confirmation without it succeeds: nothing was used up by the refusal.
    counter
        .confirm_device(&enrolled.counter_code, id.as_str())
        .await
        .unwrap();
}
