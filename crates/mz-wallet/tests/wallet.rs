//! The wallet's use cases against a real hub on port 0, with the in-memory keyring.

use futures_util::StreamExt;
use mz_client::Client;
use mz_core::api::PushEvent;
use mz_core::codes::Scope;
use mz_core::flow::{DeviceConfirmation, DeviceState};
use mz_hub::{demo, Clock, Db};
use mz_softkey::SoftKey;
use mz_wallet::{Wallet, WalletError, PIN_LOCK_SECS, PIN_TRIES};
use std::sync::Arc;

fn mock_keyring() {
    // One in-memory store per test process; entries are namespaced by wallet directory.
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| keyring_core::set_default_store(keyring_core::mock::Store::new().unwrap()));
}

struct Env {
    run: demo::Running,
    _dir: tempfile::TempDir,
}

async fn hub() -> Env {
    mock_keyring();
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&format!("sqlite://{}/hub.db", dir.path().display()))
        .await
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    Env {
        run: demo::serve_on_loopback(db, now).await.unwrap(),
        _dir: dir,
    }
}

impl Env {
    /// A demo terminal of the hub, enrolled on a new key.
    async fn terminal(&self, key: &str) -> Client {
        let code = &self
            .run
            .summary
            .terminals
            .iter()
            .find(|t| t.0 == key)
            .unwrap()
            .4;
        let c = Client::new(&self.run.base)
            .with_signer(Arc::new(SoftKey::generate()))
            .with_clock(self.clock());
        c.enrol_terminal(code).await.unwrap();
        c
    }
    /// Enrol `w` for a demo person and have the identity desk confirm the device (staff
    /// checked the ID card and scanned the wallet's counter code), then sync.
    async fn enrol_confirmed(&self, w: &mut Wallet, person: &str, label: &str, pin: &str) {
        let p = demo::person(person);
        w.enrol(p.id.as_str(), p.name, label, pin).await.unwrap();
        let code = w.pending_enrolment().unwrap().counter_code.clone();
        let desk = self.terminal("ts_identity_desk").await;
        desk.confirm_device(&code, p.id.as_str()).await.unwrap();
        w.sync().await.unwrap();
    }
    fn clock(&self) -> mz_client::ClockFn {
        let c = self.run.clock.clone();
        Arc::new(move || c.now())
    }
    fn wallet(&self, dir: &std::path::Path) -> Wallet {
        Wallet::open(dir, &self.run.base)
            .unwrap()
            .with_clock(self.clock())
    }
    async fn counter(&self) -> Client {
        self.terminal("fund_counter").await
    }
}

#[tokio::test]
async fn enrol_shows_cards_and_the_store_file_reveals_nothing() {
    let env = hub().await;
    let dir = tempfile::tempdir().unwrap();
    let mut w = env.wallet(dir.path());
    assert!(!w.is_enrolled());
    let p = demo::person("zhang_wei");
    assert_eq!(
        w.enrol(p.id.as_str(), p.name, "laptop", "12345")
            .await
            .unwrap_err()
            .code(),
        "bad_pin"
    );
    assert_eq!(
        w.enrol("421224198503150018", p.name, "laptop", "123456")
            .await
            .unwrap_err()
            .code(),
        "invalid_identifier"
    );
    assert_eq!(
        w.enrol(p.id.as_str(), "张三", "laptop", "123456")
            .await
            .unwrap_err()
            .code(),
        "identity_mismatch"
    );
    let r = w
        .enrol(p.id.as_str(), p.name, "laptop", "123456")
        .await
        .unwrap();
    // 实名 only: the device is pending and holds nothing yet; it shows its counter code.
    assert_eq!(r.device_state, DeviceState::Pending);
    assert_eq!(w.device_state(), Some(DeviceState::Pending));
    assert!(w.cards().cards.is_empty());
    let code = w.pending_enrolment().unwrap().counter_code.clone();
    w.unlock("123456").await.unwrap();
    assert_eq!(
        w.next_code(Scope::Identity).await.unwrap_err().code(),
        "device_pending"
    );
    let desk = env.terminal("ts_identity_desk").await;
    desk.confirm_device(&code, p.id.as_str()).await.unwrap();
    w.sync().await.unwrap();
    assert_eq!(w.device_state(), Some(DeviceState::Active));
    assert!(w.pending_enrolment().is_none());
    let cards = w.cards();
    assert!(cards.fresh);
    assert!(cards.cards.len() >= 8);
    assert!(
        cards.cards.iter().all(|c| c.seal_ok),
        "every seal verifies on the device"
    );
    assert!(!w.records().is_empty());
    // The store file is encrypted: no ID number, name, address or licence text in it.
    let raw = std::fs::read(w.store_path()).unwrap();
    for needle in [p.id.as_str(), p.name, "通山", "居民身份证", "license_id"] {
        assert!(
            !raw.windows(needle.len()).any(|x| x == needle.as_bytes()),
            "{needle} found in the store file"
        );
    }
    // Reopening finds the same key (from the keyring) and the same cards (from the store).
    let key = w.device_key_id();
    drop(w);
    let w2 = env.wallet(dir.path());
    assert!(w2.is_enrolled());
    assert_eq!(w2.device_key_id(), key);
    assert_eq!(w2.cards().cards.len(), cards.cards.len());
    // A changed byte in the store is refused with a clear error.
    let mut bad = raw.clone();
    let n = bad.len() - 20;
    bad[n] ^= 1;
    std::fs::write(dir.path().join("wallet.store"), &bad).unwrap();
    let e = Wallet::open(dir.path(), &env.run.base)
        .err()
        .expect("refused");
    assert_eq!(e.code(), "store");
}

#[tokio::test]
async fn codes_rotate_prompts_arrive_and_only_the_approved_subset_is_released() {
    let env = hub().await;
    let dir = tempfile::tempdir().unwrap();
    let mut w = env.wallet(dir.path());
    env.enrol_confirmed(&mut w, "zhang_wei", "laptop", "246810")
        .await;
    let mut events = Box::pin(w.events().await.unwrap());
    assert!(matches!(
        events.next().await.unwrap().unwrap(),
        PushEvent::Ready { .. }
    ));
    // No code before the PIN; a wrong PIN shows none; the right one shows codes for a while.
    assert_eq!(
        w.next_code(Scope::Identity).await.unwrap_err().code(),
        "pin_required"
    );
    assert_eq!(w.unlock("000000").await.unwrap_err().code(), "wrong_pin");
    assert_eq!(
        w.next_code(Scope::Identity).await.unwrap_err().code(),
        "pin_required"
    );
    w.unlock("246810").await.unwrap();
    let a = w.next_code(Scope::Identity).await.unwrap();
    let b = w.next_code(Scope::Identity).await.unwrap();
    assert_ne!(a, b, "two successive codes differ");
    let counter = env.counter().await;
    let red = counter.redeem(&b).await.unwrap();
    let req = counter
        .request_authorization(
            &red.redemption_id,
            "housing_fund_withdrawal",
            &["id_card", "marriage_cert", "property_cert"],
            true,
        )
        .await
        .unwrap();
    let PushEvent::AuthRequest { request } = events.next().await.unwrap().unwrap() else {
        panic!("prompt")
    };
    assert_eq!(request.request_id, req.request_id);
    // wrong PIN: refused, nothing sent
    let e = w
        .decide(&req.request_id, &["id_card"], "000000")
        .await
        .unwrap_err();
    assert!(matches!(e, WalletError::WrongPin { left: 4 }), "{e}");
    assert_eq!(
        counter
            .terminal_request(&req.request_id)
            .await
            .unwrap()
            .state,
        "pending"
    );
    w.decide(&req.request_id, &["id_card", "marriage_cert"], "246810")
        .await
        .unwrap();
    let rel = counter.release(&req.request_id).await.unwrap();
    let mut got: Vec<_> = rel
        .certificates
        .iter()
        .map(|c| c.certificate.body.type_code.clone())
        .collect();
    got.sort();
    assert_eq!(got, vec!["id_card", "marriage_cert"]);
}

/// Wrong PINs lock approvals for a while. The count is on the hub: neither a restart nor
/// restoring the store file from before the wrong PINs unlocks anything (the second failed
/// before: the count was in the file), and the lock ends by the hub's clock.
#[tokio::test]
async fn repeated_wrong_pins_lock_approvals_until_the_hub_says_so() {
    let env = hub().await;
    let dir = tempfile::tempdir().unwrap();
    let mut w = env.wallet(dir.path());
    env.enrol_confirmed(&mut w, "li_na", "phone", "135790")
        .await;
    let saved: Vec<(std::path::PathBuf, Vec<u8>)> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    assert!(!saved.is_empty());
    for left in (1..PIN_TRIES).rev() {
        assert!(
            matches!(w.check_pin("111111").await.unwrap_err(), WalletError::WrongPin { left: l } if l == left)
        );
    }
    let locked = |r: Result<(), WalletError>| r.unwrap_err().code() == "pin_locked";
    assert!(locked(w.check_pin("111111").await));
    // Even the right PIN is refused while locked, after a restart, and after the store file
    // is put back as it was before the wrong PINs.
    assert!(locked(w.check_pin("135790").await));
    drop(w);
    let mut w = env.wallet(dir.path());
    assert!(locked(w.check_pin("135790").await));
    drop(w);
    for (p, bytes) in &saved {
        std::fs::write(p, bytes).unwrap();
    }
    let mut w = env.wallet(dir.path());
    assert!(locked(w.check_pin("135790").await));
    env.run.clock.advance(PIN_LOCK_SECS + 1);
    w.check_pin("135790").await.unwrap();
}

#[tokio::test]
async fn offline_the_wallet_opens_with_cached_cards_marked_stale_and_still_makes_codes() {
    let env = hub().await;
    let dir = tempfile::tempdir().unwrap();
    let mut w = env.wallet(dir.path());
    env.enrol_confirmed(&mut w, "wu_fang", "phone", "112233")
        .await;
    let n = w.cards().cards.len();
    drop(w);
    // a port nobody listens on
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let mut off = Wallet::open(dir.path(), &dead)
        .unwrap()
        .with_clock(env.clock());
    assert_eq!(off.sync().await.unwrap_err().code(), "offline");
    let cards = off.cards();
    assert_eq!(cards.cards.len(), n);
    assert!(!cards.fresh, "marked not fresh");
    // codes still work from saved handles, and the hub accepts them later
    off.unlock("112233").await.unwrap();
    let code = off.next_code(Scope::Identity).await.unwrap();
    let counter = env.counter().await;
    assert_eq!(counter.redeem(&code).await.unwrap().kind, "identity");
    assert_eq!(
        off.decide("00000000-0000-0000-0000-000000000000", &[], "112233")
            .await
            .unwrap_err()
            .code(),
        "offline"
    );
}

#[tokio::test]
async fn a_new_device_is_announced_to_the_first_and_approved_there_behind_the_pin() {
    let env = hub().await;
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut first = env.wallet(d1.path());
    env.enrol_confirmed(&mut first, "zhang_wei", "phone", "246810")
        .await;
    let mut events = Box::pin(first.events().await.unwrap());
    assert!(matches!(
        events.next().await.unwrap().unwrap(),
        PushEvent::Ready { .. }
    ));
    let mut second = env.wallet(d2.path());
    let p = demo::person("zhang_wei");
    second
        .enrol(p.id.as_str(), p.name, "tablet", "135790")
        .await
        .unwrap();
    let waiting = second.pending_enrolment().unwrap();
    assert!(waiting
        .confirm_by
        .contains(&DeviceConfirmation::OtherDevice));
    let key = match events.next().await.unwrap().unwrap() {
        PushEvent::DeviceAdded { key_id, label, .. } => {
            assert_eq!(label, "tablet");
            key_id.to_string()
        }
        other => panic!("expected device_added, got {other:?}"),
    };
    assert_eq!(Some(key.clone()), second.device_key_id());
    // A wrong PIN approves nothing.
    assert_eq!(
        first
            .approve_device(&key, "000000")
            .await
            .unwrap_err()
            .code(),
        "wrong_pin"
    );
    assert_eq!(
        second.sync().await.map(|_| second.device_state()).unwrap(),
        Some(DeviceState::Pending)
    );
    let list = first.approve_device(&key, "246810").await.unwrap();
    assert_eq!(list.devices.len(), 2);
    second.sync().await.unwrap();
    assert_eq!(second.device_state(), Some(DeviceState::Active));
    assert!(!second.cards().cards.is_empty());
}

#[tokio::test]
async fn codes_need_the_pin_again_after_the_unlock_period_and_after_a_restart() {
    let env = hub().await;
    let dir = tempfile::tempdir().unwrap();
    let mut w = env.wallet(dir.path());
    env.enrol_confirmed(&mut w, "zhang_wei", "phone", "246810")
        .await;
    w.unlock("246810").await.unwrap();
    w.next_code(Scope::Identity).await.unwrap();
    env.run.clock.advance(mz_wallet::UNLOCK_SECS);
    assert_eq!(
        w.next_code(Scope::Identity).await.unwrap_err().code(),
        "pin_required"
    );
    w.unlock("246810").await.unwrap();
    w.next_code(Scope::Identity).await.unwrap();
    drop(w);
    let mut again = env.wallet(dir.path());
    assert_eq!(
        again.next_code(Scope::Identity).await.unwrap_err().code(),
        "pin_required"
    );
}
