//! Federation: three real hubs on port 0 — 咸宁 (holds the holders), 湖北 (the province, their
//! parent) and 武汉 (a city whose counter scans a 咸宁 holder's code) — calling each other
//! over HTTP with signed hub-to-hub requests.

mod common;

use common::*;
use mz_client::Client;
use mz_core::api::{FedCall, FedRelay, PushEvent, RemoteTerminal};
use mz_core::codes::{Principal, Scope};
use mz_core::crypto::Signer;
use mz_core::ids::{RegionCode, Uscc};
use mz_hub::service::federation;
use mz_hub::{admin, demo, AppState, Db, ManualClock};
use mz_softkey::SoftKey;
use std::sync::Arc;

const DAY: i64 = 86_400;

/// A hub with no demo data, sharing the test's clock (hub-to-hub requests carry signed times).
struct Bare {
    base: String,
    state: AppState,
    db: Db,
    _dir: tempfile::TempDir,
}

async fn bare(region: &str, name: &str, clock: Arc<ManualClock>) -> Bare {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&fresh_db_url(dir.path()).await).await.unwrap();
    let key_file = dir.path().join("hub.key");
    admin::init_hub(&db, &RegionCode::parse(region).unwrap(), name, &key_file)
        .await
        .unwrap();
    let key = admin::load_hub_key(&db, &key_file).await.unwrap();
    let state = AppState::load(db.clone(), clock, key).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(mz_hub::serve(listener, state.clone()));
    Bare {
        base,
        state,
        db,
        _dir: dir,
    }
}

impl Bare {
    /// A public (unsigned) client of this hub, on the test's clock.
    fn client_public(&self, clock_of: &Hub) -> Client {
        let c = clock_of.clock.clone();
        Client::new(&self.base).with_clock(Arc::new(move || mz_hub::Clock::now(c.as_ref())))
    }
}

/// Register `child` with `parent` and `parent` with `child`, as two operators would.
async fn link(parent: (&Db, &AppState, &str), child: (&Db, &AppState, &str)) {
    let now = child.1.now();
    federation::add_peer(
        parent.0,
        &parent.1.region,
        "child",
        &child.1.region,
        &child.1.name,
        child.2,
        &child.1.hub_public_key(),
        now,
    )
    .await
    .unwrap();
    federation::add_peer(
        child.0,
        &child.1.region,
        "parent",
        &parent.1.region,
        &parent.1.name,
        parent.2,
        &parent.1.hub_public_key(),
        now,
    )
    .await
    .unwrap();
}

struct World {
    xianning: Hub,
    hubei: Bare,
    wuhan: Bare,
    /// A counter of a 武汉 medical-insurance office, enrolled at the 武汉 hub.
    counter: Client,
}

async fn world() -> World {
    let xianning = start().await;
    let hubei = bare("420000", "湖北省电子证照系统", xianning.clock.clone()).await;
    let wuhan = bare("420100", "武汉市电子证照系统", xianning.clock.clone()).await;
    link(
        (&hubei.db, &hubei.state, &hubei.base),
        (&xianning.db, &xianning.state, &xianning.base),
    )
    .await;
    link(
        (&hubei.db, &hubei.state, &hubei.base),
        (&wuhan.db, &wuhan.state, &wuhan.base),
    )
    .await;
    let now = xianning.clock_now();
    let area = RegionCode::parse("420102").unwrap();
    let dept = Uscc::from_parts("11", &area, "01000099").unwrap();
    admin::add_department(
        &wuhan.db,
        &dept,
        "武汉市江岸区医疗保障局",
        &area,
        mz_core::crypto::SigAlg::Es256,
        now,
    )
    .await
    .unwrap();
    // The matters this 武汉 office's terminals take (its own hub checks them, M-2).
    let matters = [
        "pharmacy_settlement",
        "branch_registration",
        "social_security_query",
    ];
    // The province's common catalogue, with what this 武汉 office handles in 武汉's copy.
    let wuhan_catalogue = demo::demo_catalogue_for(&[(&dept, &matters)]);
    for (db, catalogue) in [
        (&wuhan.db, wuhan_catalogue),
        (&hubei.db, demo::demo_catalogue_for(&[])),
    ] {
        mz_hub::catalogue::import(db, &catalogue, now)
            .await
            .unwrap();
    }
    xianning.clock.advance(1);
    let t = admin::add_terminal(
        &wuhan.db,
        "counter",
        "江岸区医保服务大厅 2号窗口",
        "湖北省武汉市江岸区",
        &dept,
        now,
    )
    .await
    .unwrap();
    let c = xianning.clock.clone();
    let counter = Client::new(&wuhan.base)
        .with_signer(Arc::new(SoftKey::generate()))
        .with_clock(Arc::new(move || mz_hub::Clock::now(c.as_ref())));
    counter.enrol_terminal(&t.enrolment_code).await.unwrap();
    World {
        xianning,
        hubei,
        wuhan,
        counter,
    }
}

async fn audit_rows(db: &Db, event: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT actor, detail FROM audit WHERE event = $1 ORDER BY seq")
        .bind(event)
        .fetch_all(&db.read)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_counter_in_another_city_gets_certificates_through_the_provincial_hub() {
    let w = world().await;
    let holder = w.xianning.holder("zhang_wei").await;
    let mut holder_events = Box::pin(holder.holder_events().await.unwrap());
    ready(&mut holder_events).await;
    let mut counter_events = Box::pin(w.counter.terminal_events().await.unwrap());
    ready(&mut counter_events).await;

    // 跨市就医: the 武汉 counter scans a 咸宁 holder's identity code.
    let h = holder.handles(2).await.unwrap();
    let code = holder
        .holder_code(w.xianning.region(), h[0], Scope::Identity)
        .unwrap();
    let red = w.counter.redeem(&code).await.unwrap();
    assert_eq!(red.subject_name_masked, "张*");
    assert!(red
        .available
        .iter()
        .any(|a| a.type_code == "medical_insurance"));
    // Redeemable once, across hubs too: the same counter retrying gets the same redemption.
    let again = w.counter.redeem(&code).await.unwrap();
    assert_eq!(again.redemption_id, red.redemption_id);
    assert_eq!(
        code_of(
            w.counter
                .request_authorization(
                    &red.redemption_id,
                    "pharmacy_settlement",
                    &["id_card"],
                    false
                )
                .await
                .unwrap_err()
        ),
        "not_needed_by_matter"
    );
    let req = w
        .counter
        .request_authorization(
            &red.redemption_id,
            "pharmacy_settlement",
            &["medical_insurance"],
            false,
        )
        .await
        .unwrap();

    // The holder's own hub asks the holder, naming the remote counter and its department.
    let PushEvent::AuthRequest { request } = next_event(&mut holder_events).await else {
        panic!("the holder is asked")
    };
    assert_eq!(request.request_id, req.request_id);
    assert_eq!(request.requester.name, "江岸区医保服务大厅 2号窗口");
    assert_eq!(request.requester.department, "武汉市江岸区医疗保障局");
    assert_eq!(request.requester.region, "420102");
    assert_eq!(
        code_of(w.counter.release(&req.request_id).await.unwrap_err()),
        "not_decided"
    );
    holder
        .decide(&req.request_id, &["medical_insurance"])
        .await
        .unwrap();

    // The decision comes back to the 武汉 counter as a push through 湖北.
    let PushEvent::AuthDecided {
        request_id,
        state,
        approved,
    } = next_event(&mut counter_events).await
    else {
        panic!("the counter is told")
    };
    assert_eq!(
        (request_id.as_str(), state.as_str(), approved),
        (
            req.request_id.as_str(),
            "approved",
            vec!["medical_insurance".to_string()]
        )
    );
    assert_eq!(
        w.counter
            .terminal_request(&req.request_id)
            .await
            .unwrap()
            .state,
        "approved"
    );
    let rel = w.counter.release(&req.request_id).await.unwrap();
    assert_eq!(rel.held_by, w.xianning.state.name);
    assert_eq!(rel.certificates.len(), 1);
    let cert = &rel.certificates[0].certificate;
    assert_eq!(cert.body.type_code, "medical_insurance");
    // The seal verifies with the issuer's key as 咸宁 publishes it, and not with another key.
    let issuer = rel
        .issuers
        .iter()
        .find(|d| d.code == cert.body.issuer_code.as_str())
        .expect("issuer's keys come with the release");
    assert!(issuer.seal_keys.iter().any(|k| cert.verify(k).is_ok()));
    assert!(cert.verify(&SoftKey::generate().public_key()).is_err());
    // Fetched again through the hubs (the first answer lost): the same certificate.
    let again = w.counter.release(&req.request_id).await.unwrap();
    assert_eq!(again.certificates.len(), 1);
    assert_eq!(again.certificates[0].certificate, *cert);

    // Audited at every hop; the holder's record names the remote counter.
    let hops = audit_rows(&w.hubei.db, "federation_hop").await;
    let ops: Vec<String> = hops
        .iter()
        .map(|(_, d)| {
            serde_json::from_str::<serde_json::Value>(d).unwrap()["op"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for op in [
        "redeem",
        "request_authorization",
        "decided",
        "get_request",
        "release",
    ] {
        assert!(
            ops.iter().any(|o| o == op),
            "湖北 audited a {op} hop: {ops:?}"
        );
    }
    assert!(hops
        .iter()
        .all(|(actor, _)| actor == "hub:420100" || actor == "hub:421200"));
    assert!(audit_rows(&w.wuhan.db, "federation_hop")
        .await
        .iter()
        .any(|(actor, _)| actor.starts_with("terminal:")));
    assert!(audit_rows(&w.xianning.db, "federation_hop")
        .await
        .iter()
        .all(|(actor, _)| actor == "hub:420000" || actor == "hub"));
    let mine = holder.audit().await.unwrap();
    assert!(mine
        .iter()
        .any(|e| e.event == "release" && e.detail["terminal"] == "江岸区医保服务大厅 2号窗口"));
    // The province passes calls on but keeps no personal data.
    let id = demo::person("zhang_wei").id;
    let province: Vec<(String, String)> = sqlx::query_as("SELECT actor, detail FROM audit")
        .fetch_all(&w.hubei.db.read)
        .await
        .unwrap();
    assert!(province
        .iter()
        .all(|(a, d)| !a.contains(id.as_str()) && !d.contains(id.as_str()) && !d.contains("张伟")));
    for (db, state) in [
        (&w.xianning.db, &w.xianning.state),
        (&w.hubei.db, &w.hubei.state),
        (&w.wuhan.db, &w.wuhan.state),
    ] {
        admin::verify_audit(db, &state.hub_public_key())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_decision_the_terminals_hub_cannot_hear_yet_is_kept_and_delivered_later() {
    let w = world().await;
    let holder = w.xianning.holder("zhang_wei").await;
    let mut counter_events = Box::pin(w.counter.terminal_events().await.unwrap());
    ready(&mut counter_events).await;
    let h = holder.handles(1).await.unwrap();
    let red = w
        .counter
        .redeem(
            &holder
                .holder_code(w.xianning.region(), h[0], Scope::Identity)
                .unwrap(),
        )
        .await
        .unwrap();
    let req = w
        .counter
        .request_authorization(
            &red.redemption_id,
            "pharmacy_settlement",
            &["medical_insurance"],
            false,
        )
        .await
        .unwrap();
    // 湖北 drops off the network for 咸宁 (its address now leads nowhere).
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let parent_url: String = sqlx::query_scalar("SELECT url FROM peers WHERE role = 'parent'")
        .fetch_one(&w.xianning.db.read)
        .await
        .unwrap();
    sqlx::query("UPDATE peers SET url = $1 WHERE role = 'parent'")
        .bind(&dead)
        .execute(&w.xianning.db.write)
        .await
        .unwrap();
    holder
        .decide(&req.request_id, &["medical_insurance"])
        .await
        .unwrap();
    // The decision is kept, however many tries fail.
    w.xianning.clock.advance(7200);
    let (_, kept) = federation::deliver_outbox(&w.xianning.state).await.unwrap();
    assert_eq!(kept, 1);
    let (attempts, error): (i64, Option<String>) =
        sqlx::query_as("SELECT attempts, last_error FROM fed_outbox")
            .fetch_one(&w.xianning.db.read)
            .await
            .unwrap();
    assert!(attempts >= 1);
    assert_eq!(error.as_deref(), Some("peer_unreachable"));
    // 湖北 is back: the next round delivers it, and the 武汉 counter is told.
    sqlx::query("UPDATE peers SET url = $1 WHERE role = 'parent'")
        .bind(&parent_url)
        .execute(&w.xianning.db.write)
        .await
        .unwrap();
    w.xianning.clock.advance(7200);
    let (_, kept) = federation::deliver_outbox(&w.xianning.state).await.unwrap();
    assert_eq!(kept, 0);
    let PushEvent::AuthDecided {
        request_id, state, ..
    } = next_event(&mut counter_events).await
    else {
        panic!("the counter is told")
    };
    assert_eq!(
        (request_id.as_str(), state.as_str()),
        (req.request_id.as_str(), "approved")
    );
    // Hours after the holder decided, the approval releases nothing (M-3): the person has
    // long left the counter, and an approval is not kept for later.
    assert_eq!(
        code_of(w.counter.release(&req.request_id).await.unwrap_err()),
        "expired"
    );
}

#[tokio::test]
async fn a_kiosk_in_another_city_logs_in_a_holder_by_their_identity_code() {
    let w = world().await;
    let holder = w.xianning.holder("zhang_wei").await;
    let mut holder_events = Box::pin(holder.holder_events().await.unwrap());
    ready(&mut holder_events).await;
    let area = RegionCode::parse("420102").unwrap();
    let dept = Uscc::from_parts("11", &area, "01000099").unwrap();
    let t = admin::add_terminal(
        &w.wuhan.db,
        "kiosk",
        "江岸区政务服务中心 1号自助终端",
        "湖北省武汉市江岸区",
        &dept,
        w.xianning.clock_now(),
    )
    .await
    .unwrap();
    let c = w.xianning.clock.clone();
    let kiosk = Client::new(&w.wuhan.base)
        .with_signer(Arc::new(SoftKey::generate()))
        .with_clock(Arc::new(move || mz_hub::Clock::now(c.as_ref())));
    kiosk.enrol_terminal(&t.enrolment_code).await.unwrap();
    let mut kiosk_events = Box::pin(kiosk.terminal_events().await.unwrap());
    ready(&mut kiosk_events).await;
    let s = kiosk.open_login().await.unwrap();
    let h = holder.handles(2).await.unwrap();
    // 亮码登录 with a 咸宁 identity code at a 武汉 kiosk; a show-code is not one.
    let show = holder
        .holder_code(
            w.xianning.region(),
            h[1],
            Scope::Certificate {
                cert_type: 6,
                ordinal: 0,
            },
        )
        .unwrap();
    assert_eq!(
        code_of(
            kiosk
                .login_by_identity_code(&s.session_id, &show)
                .await
                .unwrap_err()
        ),
        "wrong_kind"
    );
    let code = holder
        .holder_code(w.xianning.region(), h[0], Scope::Identity)
        .unwrap();
    let v = kiosk
        .login_by_identity_code(&s.session_id, &code)
        .await
        .unwrap();
    assert_eq!(
        (v.state.as_str(), v.holder_name.as_deref()),
        ("logged_in", Some("张*"))
    );
    let PushEvent::LoggedIn {
        holder_name,
        method,
        ..
    } = next_event(&mut kiosk_events).await
    else {
        panic!("the kiosk is told")
    };
    assert_eq!(
        (holder_name.as_str(), method.as_str()),
        ("张*", "identity_code")
    );
    assert_eq!(
        kiosk
            .login_session(&s.session_id)
            .await
            .unwrap()
            .holder_name
            .as_deref(),
        Some("张*")
    );
    // The same code once more is refused by the holder's hub.
    let again = kiosk.open_login().await.unwrap();
    assert_eq!(
        code_of(
            kiosk
                .login_by_identity_code(&again.session_id, &code)
                .await
                .unwrap_err()
        ),
        "code_already_used"
    );
    // A self-service matter: the holder is asked by their own hub; the kiosk gets what they release.
    let req = kiosk
        .session_request(&s.session_id, "social_security_query", false)
        .await
        .unwrap();
    assert_eq!(req.cert_types, vec!["social_security_card".to_string()]);
    let PushEvent::AuthRequest { request } = next_event(&mut holder_events).await else {
        panic!("the holder is asked")
    };
    assert_eq!(
        (
            request.requester.name.as_str(),
            request.requester.kind.as_str()
        ),
        ("江岸区政务服务中心 1号自助终端", "kiosk")
    );
    holder
        .decide(&req.request_id, &["social_security_card"])
        .await
        .unwrap();
    let PushEvent::AuthDecided { state, .. } = next_event(&mut kiosk_events).await else {
        panic!("the kiosk is told")
    };
    assert_eq!(state, "approved");
    let rel = kiosk.release(&req.request_id).await.unwrap();
    assert_eq!(
        rel.certificates[0].certificate.body.type_code,
        "social_security_card"
    );
    // The kiosk's hub audits the login by region and redemption, with nothing personal.
    let logins = audit_rows(&w.wuhan.db, "login").await;
    assert_eq!(logins.len(), 1);
    assert!(
        logins[0].1.contains("421200")
            && !logins[0].1.contains(demo::person("zhang_wei").id.as_str())
            && !logins[0].1.contains("张伟")
    );
}

#[tokio::test]
async fn the_public_looks_up_another_regions_disclosed_certificates_through_the_hubs() {
    let w = world().await;
    let public = w.wuhan.client_public(&w.xianning);
    // 赤壁 (421281) is 咸宁's: the 武汉 hub asks through 湖北 and passes the issuers' keys on.
    let found = public
        .lookup_in_region("421281", "pollutant_permit", "绿源")
        .await
        .unwrap();
    assert_eq!(found.held_by, w.xianning.state.name);
    assert_eq!(found.certificates.len(), 1);
    let cert = &found.certificates[0].certificate;
    let issuer = found
        .issuers
        .iter()
        .find(|d| d.code == cert.body.issuer_code.as_str())
        .expect("the issuer's keys came along");
    let key = issuer
        .seal_keys
        .iter()
        .find(|k| k.key_id() == cert.seal.key_id)
        .unwrap();
    cert.verify(key).unwrap();
    // Not 武汉's own: its plain lookup finds nothing; its own region is answered at home.
    assert!(public
        .lookup("pollutant_permit", "绿源")
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        public
            .lookup_in_region("420102", "pollutant_permit", "绿源")
            .await
            .unwrap()
            .held_by,
        w.wuhan.state.name
    );
    // The far hub's refusals come back as they are; a region nobody holds has no route.
    assert_eq!(
        code_of(
            public
                .lookup_in_region("421281", "id_card", "张伟")
                .await
                .unwrap_err()
        ),
        "not_disclosable"
    );
    assert_eq!(
        code_of(
            public
                .lookup_in_region("421281", "pollutant_permit", "绿")
                .await
                .unwrap_err()
        ),
        "query_too_short"
    );
    let unroutable = public
        .lookup_in_region("110000", "pollutant_permit", "绿源")
        .await
        .unwrap_err();
    // A region no hub serves is the asker's mistake, not an outage (it was 503).
    assert_eq!(unroutable.status(), Some(404));
    assert_eq!(code_of(unroutable), "no_route");
    assert_eq!(
        code_of(
            public
                .lookup_in_region("42128", "pollutant_permit", "绿源")
                .await
                .unwrap_err()
        ),
        "invalid_identifier"
    );
    // 湖北 audits the hops of the lookups (op only, no query).
    let hops = audit_rows(&w.hubei.db, "federation_hop").await;
    assert!(hops.iter().any(|(_, d)| d.contains("\"lookup\"")));
    assert!(hops.iter().all(|(_, d)| !d.contains("绿源")));
}

#[tokio::test]
async fn staff_present_the_enterprise_licence_in_another_city() {
    let w = world().await;
    let rep = w.xianning.holder("sun_qiang").await;
    let staff = w.xianning.holder("he_li").await;
    let uscc = demo::enterprise_code("xinda");
    let t0 = w.xianning.clock_now();
    let g = rep
        .grant(
            Principal::Enterprise(uscc.to_string()),
            demo::person("he_li").id.as_str(),
            "何丽",
            &["business_licence"],
            &[],
            t0,
            t0 + 7 * DAY,
        )
        .await
        .unwrap();
    let h = staff.handles(2).await.unwrap();
    let grant = uuid::Uuid::parse_str(&g.grant_id).unwrap().into_bytes();
    let code = staff
        .holder_code(
            w.xianning.region(),
            h[0],
            Scope::Delegated {
                grant,
                cert_type: 9,
            },
        )
        .unwrap();
    let red = w.counter.redeem(&code).await.unwrap();
    assert_eq!(red.kind, "delegated");
    assert_eq!(red.subject_name_masked, "咸宁市鑫达建筑工程有限公司");
    let req = w
        .counter
        .request_authorization(
            &red.redemption_id,
            "branch_registration",
            &["business_licence"],
            true,
        )
        .await
        .unwrap();
    staff
        .decide(&req.request_id, &["business_licence"])
        .await
        .unwrap();
    let rel = w.counter.release(&req.request_id).await.unwrap();
    assert_eq!(rel.subject.code, uscc.as_str());
    assert_eq!(
        rel.certificates[0].certificate.body.type_code,
        "business_licence"
    );
    // After the legal representative revokes, the next use in 武汉 is refused at once.
    rep.revoke_grant(&g.grant_id).await.unwrap();
    let again = staff
        .holder_code(
            w.xianning.region(),
            h[1],
            Scope::Delegated {
                grant,
                cert_type: 9,
            },
        )
        .unwrap();
    assert_eq!(
        code_of(w.counter.redeem(&again).await.unwrap_err()),
        "grant_revoked"
    );
    assert!(rep.grants().await.unwrap().granted[0].uses >= 1);
}

#[tokio::test]
async fn hubs_refuse_what_a_peer_may_not_say_and_nothing_changes() {
    let w = world().await;
    let c = w.xianning.clock.clone();
    let as_key = |key: SoftKey, base: &str| {
        Client::new(base)
            .with_signer(Arc::new(key))
            .with_clock(Arc::new({
                let c = c.clone();
                move || mz_hub::Clock::now(c.as_ref())
            }))
    };
    let wuhan_key = w.wuhan.state.hub_key.clone();
    let terminal = RemoteTerminal {
        terminal_id: "0b9f3c1e-5d2a-4e8f-9a7b-123456789abc".into(),
        kind: mz_core::flow::TerminalKind::Counter,
        name: "伪造窗口".into(),
        place: "-".into(),
        region: "420102".into(),
        department_code: Uscc::from_parts("11", &RegionCode::parse("420102").unwrap(), "01000099")
            .unwrap()
            .to_string(),
        department_name: "某局".into(),
    };
    let holder = w.xianning.holder("zhang_wei").await;
    let h = holder.handles(3).await.unwrap();
    let code = holder
        .holder_code(w.xianning.region(), h[0], Scope::Identity)
        .unwrap();
    let relay = |from: &str, hops: Vec<&str>| FedRelay {
        from: from.into(),
        to: "421200".into(),
        hops: hops.into_iter().map(String::from).collect(),
        call: FedCall::Redeem {
            terminal: terminal.clone(),
            code: code.clone(),
        },
    };
    let before = w.xianning.fingerprint().await;
    let hubei_audit = audit_rows(&w.hubei.db, "federation_hop").await.len();

    // A key that is no registered hub.
    let stranger = as_key(SoftKey::generate(), &w.hubei.base);
    assert_eq!(
        code_of(
            stranger
                .relay(&relay("420100", vec!["420100"]))
                .await
                .unwrap_err()
        ),
        "unknown_key"
    );
    // A child speaking for a region outside its own.
    let wuhan = as_key(
        SoftKey::from_pkcs8(wuhan_key.pkcs8()).unwrap(),
        &w.hubei.base,
    );
    assert_eq!(
        code_of(
            wuhan
                .relay(&relay("421200", vec!["421200"]))
                .await
                .unwrap_err()
        ),
        "not_your_region"
    );
    // A path that does not end with the sender, or is a loop.
    assert_eq!(
        code_of(
            wuhan
                .relay(&relay("420100", vec!["420100", "421200"]))
                .await
                .unwrap_err()
        ),
        "bad_hops"
    );
    assert_eq!(
        code_of(
            wuhan
                .relay(&relay("420100", vec!["420000", "420100"]))
                .await
                .unwrap_err()
        ),
        "bad_hops"
    );
    // A terminal, or a device, cannot relay.
    assert_eq!(
        code_of(
            w.counter
                .post_raw_json(
                    "/v1/federation/relay",
                    &serde_json::to_value(relay("420100", vec!["420100"])).unwrap()
                )
                .await
                .unwrap_err()
        ),
        "wrong_role"
    );
    assert_eq!(
        hubei_audit,
        audit_rows(&w.hubei.db, "federation_hop").await.len(),
        "refused relays write nothing"
    );
    assert_eq!(w.xianning.fingerprint().await, before);

    // A code from a region no hub here serves.
    let beijing = holder.holder_code(110100, h[1], Scope::Identity).unwrap();
    assert_eq!(
        code_of(w.counter.redeem(&beijing).await.unwrap_err()),
        "no_route"
    );
    // Someone else's redemption or request id is not forwarded.
    assert_eq!(
        code_of(
            w.counter
                .release("0b9f3c1e-5d2a-4e8f-9a7b-123456789abc")
                .await
                .unwrap_err()
        ),
        "not_found"
    );
    assert_eq!(w.xianning.fingerprint().await, before);

    // Peer registration is checked.
    let now = w.xianning.clock_now();
    let k = SoftKey::generate().public_key();
    let r = |s: &str| RegionCode::parse(s).unwrap();
    let e = |r: mz_hub::HubResult<()>| r.unwrap_err().code().to_string();
    assert_eq!(
        e(federation::add_peer(
            &w.wuhan.db,
            &r("420100"),
            "child",
            &r("421200"),
            "咸宁",
            "http://x",
            &k,
            now
        )
        .await),
        "not_child_region"
    );
    assert_eq!(
        e(federation::add_peer(
            &w.wuhan.db,
            &r("420100"),
            "parent",
            &r("420000"),
            "湖北",
            "http://x",
            &k,
            now
        )
        .await),
        "peer_exists"
    );
    assert_eq!(
        e(federation::add_peer(
            &w.wuhan.db,
            &r("420100"),
            "parent",
            &r("430000"),
            "湖南",
            "http://x",
            &k,
            now
        )
        .await),
        "not_parent_region"
    );
    assert_eq!(
        e(federation::add_peer(
            &w.hubei.db,
            &r("420000"),
            "child",
            &r("420500"),
            "宜昌",
            "ftp://x",
            &k,
            now
        )
        .await),
        "bad_peer"
    );
}

#[tokio::test]
async fn an_unreachable_hub_is_a_clear_error() {
    let w = world().await;
    // 湖北 says 宜昌's hub is at an address where nothing listens.
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", dead.local_addr().unwrap());
    drop(dead);
    let now = w.xianning.clock_now();
    federation::add_peer(
        &w.hubei.db,
        &w.hubei.state.region,
        "child",
        &RegionCode::parse("420500").unwrap(),
        "宜昌市电子证照系统",
        &url,
        &SoftKey::generate().public_key(),
        now,
    )
    .await
    .unwrap();
    let holder = w.xianning.holder("zhang_wei").await;
    let h = holder.handles(1).await.unwrap();
    let code = holder.holder_code(420500, h[0], Scope::Identity).unwrap();
    assert_eq!(
        code_of(w.counter.redeem(&code).await.unwrap_err()),
        "peer_unreachable"
    );
}

#[tokio::test]
async fn the_demo_province_is_linked_once_and_its_wuhan_counter_reaches_xianning() {
    let xianning = start().await;
    let hubei = bare(demo::PROVINCE.0, demo::PROVINCE.1, xianning.clock.clone()).await;
    let wuhan = bare(
        demo::OTHER_CITY.0,
        demo::OTHER_CITY.1,
        xianning.clock.clone(),
    )
    .await;
    let now = xianning.clock_now();
    // The hubs exist already: their key files are not touched.
    let key_file = std::path::Path::new("already-made.key");
    let hub = |db, url| demo::ProvinceHub { db, url, key_file };
    let seed = |wuhan_url: &'static str| {
        let (x, h, w) = (&xianning, &hubei, &wuhan);
        async move {
            demo::seed_province(
                hub(&x.db, &x.base),
                hub(&h.db, &h.base),
                hub(
                    &w.db,
                    if wuhan_url.is_empty() {
                        &w.base
                    } else {
                        wuhan_url
                    },
                ),
                now,
            )
            .await
        }
    };
    let (_, code) = seed("")
        .await
        .unwrap()
        .counter
        .expect("a counter the first time");
    // Again: no error, nothing new.
    assert!(seed("").await.unwrap().counter.is_none());
    let regions = |db: &Db| {
        let db = db.clone();
        async move {
            federation::peers(&db)
                .await
                .unwrap()
                .into_iter()
                .map(|p| {
                    (
                        p.role.as_str().to_string(),
                        p.region.as_str().to_string(),
                        p.url,
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let hubei_peers = regions(&hubei.db).await;
    assert_eq!(
        hubei_peers,
        vec![
            ("child".into(), "420100".into(), wuhan.base.clone()),
            ("child".into(), "421200".into(), xianning.base.clone())
        ]
    );
    assert_eq!(
        regions(&xianning.db).await,
        vec![(
            "parent".to_string(),
            "420000".to_string(),
            hubei.base.clone()
        )]
    );
    // Another address for 武汉 moves the link (audited); then back.
    seed("http://127.0.0.1:9").await.unwrap();
    assert!(regions(&hubei.db).await.contains(&(
        "child".into(),
        "420100".into(),
        "http://127.0.0.1:9".into()
    )));
    assert_eq!(audit_rows(&hubei.db, "peer_url").await.len(), 1);
    seed("").await.unwrap();
    assert_eq!(regions(&hubei.db).await, hubei_peers);

    // The 武汉 counter it made scans a 咸宁 holder's code: the redemption comes through 湖北.
    let c = xianning.clock.clone();
    let counter = Client::new(&wuhan.base)
        .with_signer(Arc::new(SoftKey::generate()))
        .with_clock(Arc::new(move || mz_hub::Clock::now(c.as_ref())));
    counter.enrol_terminal(&code).await.unwrap();
    let holder = xianning.holder("zhang_wei").await;
    let h = holder.handles(1).await.unwrap();
    let red = counter
        .redeem(
            &holder
                .holder_code(xianning.region(), h[0], Scope::Identity)
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(red.subject_name_masked, "张*");
    assert!(red
        .available
        .iter()
        .any(|a| a.type_code == "medical_insurance"));
}
