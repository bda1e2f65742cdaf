//! A proven person behind every device (security review C-1, H-2): knowing a person's name and
//! ID number enrols only a pending device that can do nothing; the person's own devices are
//! told, approve it or remove it; a counter confirms a device only for the person whose ID card
//! the staff checked; a removed device is refused at once, by signature or by session; and a
//! session cannot open another.

mod common;

use common::{code_of, exactly_one_won, next_event, ready, start};
use mz_core::api::PushEvent;
use mz_core::codes::Scope;
use mz_core::flow::{DeviceConfirmation, DeviceState};
use mz_hub::{demo, Db};
use mz_softkey::SoftKey;
use std::sync::Arc;

#[tokio::test]
async fn a_name_and_an_id_number_enrol_a_device_that_can_do_nothing_until_the_person_approves() {
    let hub = start().await;
    let victim = hub.holder("zhang_wei").await;
    let mut told = Box::pin(victim.holder_events().await.unwrap());
    ready(&mut told).await;
    // The attacker knows the name and the ID number, and enrols a key of their own.
    let (attacker, enrolled) = hub.pending_holder("zhang_wei").await;
    assert_eq!(enrolled.device_state, DeviceState::Pending);
    assert_eq!(
        enrolled.holder_id,
        victim.me().await.unwrap().holder_id,
        "same holder"
    );
    // Every call that reads, shows, decides or lends is refused.
    assert_eq!(
        code_of(attacker.certificates().await.unwrap_err()),
        "device_pending"
    );
    assert_eq!(
        code_of(attacker.handles(5).await.unwrap_err()),
        "device_pending"
    );
    assert_eq!(
        code_of(attacker.audit().await.unwrap_err()),
        "device_pending"
    );
    assert_eq!(
        code_of(attacker.grants().await.unwrap_err()),
        "device_pending"
    );
    assert_eq!(
        code_of(attacker.pending_requests().await.unwrap_err()),
        "device_pending"
    );
    assert_eq!(
        code_of(attacker.devices().await.unwrap_err()),
        "device_pending"
    );
    let own_key = attacker.key_id().unwrap().to_string();
    assert_eq!(
        code_of(attacker.approve_device(&own_key).await.unwrap_err()),
        "device_pending"
    );
    assert!(attacker.holder_events().await.is_err());
    // The person's device is told at once, and removes it.
    match next_event(&mut told).await {
        PushEvent::DeviceAdded { key_id, label, .. } => {
            assert_eq!(key_id.to_string(), own_key);
            assert_eq!(label, "test phone");
        }
        other => panic!("expected device_added, got {other:?}"),
    }
    let list = victim.remove_device(&own_key).await.unwrap();
    let removed = list
        .devices
        .iter()
        .find(|d| d.key_id.to_string() == own_key);
    assert_eq!(removed.unwrap().state, DeviceState::Removed);
    assert_eq!(code_of(attacker.me().await.unwrap_err()), "unknown_key");
    assert_eq!(hub.audited("device_removed").await, 1);
}

#[tokio::test]
async fn an_active_device_approves_a_new_one_once_and_only_its_own_holders() {
    let hub = start().await;
    let first = hub.holder("zhang_wei").await;
    let stranger = hub.holder("chen_jianguo").await;
    let (second, enrolled) = hub.pending_holder("zhang_wei").await;
    assert!(enrolled
        .confirm_by
        .contains(&DeviceConfirmation::OtherDevice));
    let key = second.key_id().unwrap().to_string();
    // Another holder's device does not even see it.
    assert_eq!(
        code_of(stranger.approve_device(&key).await.unwrap_err()),
        "not_found"
    );
    assert_eq!(
        code_of(stranger.remove_device(&key).await.unwrap_err()),
        "not_found"
    );
    assert_eq!(
        code_of(second.certificates().await.unwrap_err()),
        "device_pending"
    );
    let list = first.approve_device(&key).await.unwrap();
    let approved = list.devices.iter().find(|d| d.key_id.to_string() == key);
    let approved = approved.unwrap();
    assert_eq!(approved.state, DeviceState::Active);
    assert_eq!(approved.confirmed_by, Some(DeviceConfirmation::OtherDevice));
    assert!(list.devices.iter().any(|d| d.this_device));
    assert!(!second.certificates().await.unwrap().is_empty());
    assert_eq!(
        code_of(first.approve_device(&key).await.unwrap_err()),
        "device_not_pending"
    );
    assert_eq!(second.devices().await.unwrap().devices.len(), 2);
    // "Last used": taking handles for codes counts.
    hub.clock.advance(60);
    second.handles(1).await.unwrap();
    let list = first.devices().await.unwrap();
    let used = list.devices.iter().find(|d| d.key_id.to_string() == key);
    assert_eq!(used.unwrap().last_used_at, Some(hub.clock_now()));
}

#[tokio::test]
async fn two_removals_of_one_device_at_once_one_wins() {
    let hub = start().await;
    let first = hub.holder("zhang_wei").await;
    let (second, _) = hub.pending_holder("zhang_wei").await;
    let key = second.key_id().unwrap().to_string();
    let outcomes = hub
        .together_at_the_write_gate(2, |_| {
            let (first, key) = (first.clone(), key.clone());
            async move { first.remove_device(&key).await }
        })
        .await;
    exactly_one_won(&outcomes, "device_removed");
    assert_eq!(hub.audited("device_removed").await, 1);
}

#[tokio::test]
async fn a_counter_confirms_a_device_only_for_the_person_whose_id_card_it_checked() {
    let hub = start().await;
    let desk = hub.identity_desk().await;
    let (kiosk, _) = hub.terminal("ts_kiosk").await;
    let (phone, enrolled) = hub.pending_holder("zhang_wei").await;
    let code = enrolled.counter_code.clone();
    let other = demo::person("chen_jianguo").id;
    let right = demo::person("zhang_wei").id;
    // Another person's card with this code, and a kiosk: refused, nothing changes.
    assert_eq!(
        code_of(
            desk.confirm_device(&code, other.as_str())
                .await
                .unwrap_err()
        ),
        "bad_enrolment_code"
    );
    assert_eq!(
        code_of(
            kiosk
                .confirm_device(&code, right.as_str())
                .await
                .unwrap_err()
        ),
        "wrong_role"
    );
    assert_eq!(phone.me().await.unwrap().device_state, DeviceState::Pending);
    let done = desk.confirm_device(&code, right.as_str()).await.unwrap();
    assert_eq!(done.holder_name_masked, "张*");
    let me = phone.me().await.unwrap();
    assert_eq!(me.device_state, DeviceState::Active);
    assert_eq!(me.assurance, "real_name_real_person");
    // The code is used up.
    assert_eq!(
        code_of(
            desk.confirm_device(&code, right.as_str())
                .await
                .unwrap_err()
        ),
        "bad_enrolment_code"
    );
    // A code a day old is void.
    let (late, enrolled) = hub.pending_holder("zhang_wei").await;
    hub.clock
        .advance(mz_hub::service::enrolment::COUNTER_CODE_SECS + 1);
    let desk = hub.identity_desk().await;
    assert_eq!(
        code_of(
            desk.confirm_device(&enrolled.counter_code, right.as_str())
                .await
                .unwrap_err()
        ),
        "bad_enrolment_code"
    );
    assert_eq!(late.me().await.unwrap().device_state, DeviceState::Pending);
}

#[tokio::test]
async fn a_removed_device_is_refused_at_once_by_signature_by_session_and_in_its_codes() {
    let hub = start().await;
    let keep = hub.holder("zhang_wei").await;
    let key = Arc::new(SoftKey::generate());
    let lost = hub.client(key.clone());
    let id = demo::person("zhang_wei").id;
    let r = lost.enrol(id.as_str(), "张伟", "lost phone").await.unwrap();
    keep.approve_device(&r.device_key_id.to_string())
        .await
        .unwrap();
    // The lost phone works by session too, and made a code before it was lost.
    let by_session = hub.client(key.clone()).with_sessions();
    assert_eq!(
        by_session.me().await.unwrap().device_state,
        DeviceState::Active
    );
    let handle = lost.handles(1).await.unwrap()[0];
    let code = lost
        .holder_code(hub.region(), handle, Scope::Identity)
        .unwrap();
    keep.remove_device(&r.device_key_id.to_string())
        .await
        .unwrap();
    assert_eq!(code_of(lost.me().await.unwrap_err()), "unknown_key");
    assert_eq!(code_of(by_session.me().await.unwrap_err()), "unknown_key");
    let (counter, _) = hub.terminal("ts_counter").await;
    assert_eq!(
        code_of(counter.redeem(&code).await.unwrap_err()),
        "not_found"
    );
}

#[tokio::test]
async fn a_session_cannot_open_another_so_it_ends_after_its_lifetime() {
    let hub = start().await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let opened = counter
        .post_raw_json("/v1/session", &serde_json::json!({}))
        .await
        .unwrap();
    let token = opened["token"].as_str().unwrap().to_string();
    let again = reqwest::Client::new()
        .post(format!("{}/v1/session", hub.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 403);
    let body: serde_json::Value = again.json().await.unwrap();
    assert_eq!(body["code"], "session_from_session");
    // Past its lifetime the token is refused, however it was used meanwhile.
    hub.clock.advance(mz_hub::auth::SESSION_SECS + 1);
    let late = reqwest::Client::new()
        .get(format!("{}/v1/terminal/events", hub.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(late.status(), 401);
}

#[tokio::test]
async fn a_counter_removes_every_device_of_a_person_who_lost_their_phone() {
    let hub = start().await;
    let lost = hub.holder("zhang_wei").await;
    let (kiosk, _) = hub.terminal("ts_kiosk").await;
    let id = demo::person("zhang_wei").id;
    // A kiosk, unattended, cannot.
    assert_eq!(
        code_of(
            kiosk
                .remove_devices_at_counter(id.as_str())
                .await
                .unwrap_err()
        ),
        "wrong_role"
    );
    assert_eq!(lost.me().await.unwrap().device_state, DeviceState::Active);
    let desk = hub.identity_desk().await;
    let done = desk.remove_devices_at_counter(id.as_str()).await.unwrap();
    assert_eq!((done.removed, done.holder_name_masked.as_str()), (1, "张*"));
    assert_eq!(code_of(lost.me().await.unwrap_err()), "unknown_key");
    // The person enrols a new phone, confirmed at the same desk.
    let again = hub.holder("zhang_wei").await;
    assert_eq!(again.me().await.unwrap().device_state, DeviceState::Active);
}

#[tokio::test]
async fn a_deactivated_terminal_or_department_is_refused_at_once_also_by_session() {
    let hub = start().await;
    let (counter, counter_id) = hub.terminal("ts_counter").await;
    // The counter opens a session, then the operator deactivates it.
    let opened = counter
        .post_raw_json("/v1/session", &serde_json::json!({}))
        .await
        .unwrap();
    let token = opened["token"].as_str().unwrap().to_string();
    let with_token = || {
        reqwest::Client::new()
            .get(format!("{}/v1/terminal/login-sessions/x", hub.base))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(
        with_token().await.unwrap().status(),
        404,
        "the session works"
    );
    mz_hub::admin::deactivate_terminal(&hub.db, &counter_id, hub.clock_now())
        .await
        .unwrap();
    assert_eq!(with_token().await.unwrap().status(), 401);
    assert_eq!(
        code_of(counter.redeem("anything").await.unwrap_err()),
        "unknown_key"
    );
    // A department: its key is refused, and its terminals go with it.
    let police = hub.department("police");
    let (kiosk, _) = hub.terminal("ts_property_kiosk").await;
    kiosk.open_login().await.unwrap();
    let land = demo::dept_code("land");
    mz_hub::admin::deactivate_department(&hub.db, &land, hub.clock_now())
        .await
        .unwrap();
    assert_eq!(
        code_of(kiosk.open_login().await.unwrap_err()),
        "unknown_key"
    );
    mz_hub::admin::deactivate_department(&hub.db, &demo::dept_code("police"), hub.clock_now())
        .await
        .unwrap();
    assert_eq!(
        code_of(police.department_objections().await.unwrap_err()),
        "unknown_key"
    );
    assert_eq!(hub.audited("terminal_deactivated").await, 1);
    assert_eq!(hub.audited("department_deactivated").await, 2);
}

/// A session remembers its caller between uses (looking it up on every use cost ~105 µs of the
/// hub's CPU per redemption), but not past a change: this process's own removals and
/// deactivations are seen at once (the test above), another process's (the operator's command,
/// another hub process on the same database) within `CALLER_RECHECK_SECS` of the hub's clock.
#[tokio::test]
async fn a_terminal_deactivated_by_another_process_loses_its_session_within_the_recheck() {
    let hub = start().await;
    let (kiosk, kiosk_id) = hub.terminal("ts_property_kiosk").await;
    let kiosk = kiosk.with_sessions();
    kiosk.open_login().await.unwrap();
    // The operator's command: its own process, its own connection to the database.
    let operator = Db::open(&hub.db_url).await.unwrap();
    mz_hub::admin::deactivate_terminal(&operator, &kiosk_id, hub.clock_now())
        .await
        .unwrap();
    hub.clock.advance(mz_hub::auth::CALLER_RECHECK_SECS);
    let refused = kiosk.open_login().await.unwrap_err();
    assert!(
        ["unknown_key", "session_expired"].contains(&code_of(refused).as_str()),
        "the session ended"
    );
}
