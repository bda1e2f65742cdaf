//! The wallet's use cases against a real hub on port 0, with the in-memory keyring.

use futures_util::StreamExt;
use mz_client::Client;
use mz_core::api::PushEvent;
use mz_core::codes::Scope;
use mz_hub::{demo, Clock, Db};
use mz_softkey::SoftKey;
use mz_wallet::{Wallet, WalletError, PIN_LOCK_SECS};
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
        let code = &self
            .run
            .summary
            .terminals
            .iter()
            .find(|t| t.0 == "fund_counter")
            .unwrap()
            .4;
        let c = Client::new(&self.run.base)
            .with_signer(Arc::new(SoftKey::generate()))
            .with_clock(self.clock());
        c.enrol_terminal(code).await.unwrap();
        c
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
    assert_eq!(r.assurance, "real_name");
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
    let p = demo::person("zhang_wei");
    w.enrol(p.id.as_str(), p.name, "laptop", "246810")
        .await
        .unwrap();
    let mut events = Box::pin(w.events().await.unwrap());
    assert!(matches!(
        events.next().await.unwrap().unwrap(),
        PushEvent::Ready { .. }
    ));
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

#[tokio::test]
async fn repeated_wrong_pins_lock_approvals_for_a_while() {
    let env = hub().await;
    let dir = tempfile::tempdir().unwrap();
    let mut w = env.wallet(dir.path());
    let p = demo::person("li_na");
    w.enrol(p.id.as_str(), p.name, "phone", "135790")
        .await
        .unwrap();
    for left in (1..5).rev() {
        assert!(
            matches!(w.check_pin("111111").unwrap_err(), WalletError::WrongPin { left: l } if l == left)
        );
    }
    assert_eq!(w.check_pin("111111").unwrap_err().code(), "pin_locked");
    // even the right PIN is refused while locked, and the lock survives a restart
    assert_eq!(w.check_pin("135790").unwrap_err().code(), "pin_locked");
    drop(w);
    let mut w = env.wallet(dir.path());
    assert_eq!(w.check_pin("135790").unwrap_err().code(), "pin_locked");
    env.run.clock.advance(PIN_LOCK_SECS + 1);
    w.check_pin("135790").unwrap();
}

#[tokio::test]
async fn offline_the_wallet_opens_with_cached_cards_marked_stale_and_still_makes_codes() {
    let env = hub().await;
    let dir = tempfile::tempdir().unwrap();
    let mut w = env.wallet(dir.path());
    let p = demo::person("wu_fang");
    w.enrol(p.id.as_str(), p.name, "phone", "112233")
        .await
        .unwrap();
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
