//! Every backbone flow through mz-client against a real hub bound to port 0.

mod common;

use common::*;
use mz_core::api::PushEvent;
use mz_core::cert::CertStatus;
use mz_core::codes::{Principal, Scope};
use mz_core::flow::ObjectionOutcome;
use mz_hub::demo;
use mz_softkey::SoftKey;
use std::sync::Arc;

const DAY: i64 = 86_400;

#[tokio::test]
async fn enrolment_checks_the_register_refuses_bad_input_and_leaves_the_device_pending() {
    let hub = start().await;
    let zw = demo::person("zhang_wei");
    let before = hub.fingerprint().await;
    let dev = hub.client(Arc::new(SoftKey::generate()));
    // wrong name, invalid ID, unknown person, bad label: refused, nothing changes
    assert_eq!(
        code_of(
            dev.enrol(zw.id.as_str(), "张三", "phone")
                .await
                .unwrap_err()
        ),
        "identity_mismatch"
    );
    assert_eq!(
        code_of(
            dev.enrol("421224198503150018", zw.name, "phone")
                .await
                .unwrap_err()
        ),
        "invalid_identifier"
    );
    assert_eq!(
        code_of(
            dev.enrol("11010519491231002X", "某人", "phone")
                .await
                .unwrap_err()
        ),
        "identity_mismatch"
    );
    assert_eq!(
        code_of(dev.enrol(zw.id.as_str(), zw.name, "").await.unwrap_err()),
        "bad_label"
    );
    assert_eq!(hub.fingerprint().await, before);
    // good
    let r = dev.enrol(zw.id.as_str(), zw.name, "phone").await.unwrap();
    assert_eq!(
        (r.assurance.as_str(), r.device_state.as_str()),
        ("none", "pending")
    );
    assert!(
        r.assurance_note.contains("acts for no one"),
        "{}",
        r.assurance_note
    );
    assert_eq!(Some(r.device_key_id), dev.key_id());
    assert_eq!(
        r.counter_code.len(),
        19,
        "four groups of four: {}",
        r.counter_code
    );
    let me = dev.me().await.unwrap();
    assert_eq!(me.device_state, "pending");
    assert_eq!(me.name, "张伟");
    assert_eq!(me.id_number_masked, zw.id.masked());
    // the same key again
    assert_eq!(
        code_of(
            dev.enrol(zw.id.as_str(), zw.name, "phone")
                .await
                .unwrap_err()
        ),
        "device_already_enrolled"
    );
    // an unenrolled key cannot call holder routes; a terminal cannot either
    let stranger = hub.client(Arc::new(SoftKey::generate()));
    assert_eq!(code_of(stranger.me().await.unwrap_err()), "unknown_key");
    let (counter, _) = hub.terminal("ts_counter").await;
    let e = counter.certificates().await.unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(403), Some("wrong_role")));
    // the public cannot either
    let r = reqwest::get(format!("{}/v1/me", hub.base)).await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert!(r.text().await.unwrap().contains("\"unauthenticated\""));
    assert!(
        hub.public().me().await.is_err(),
        "a keyless client refuses before sending"
    );
}

#[tokio::test]
async fn guessing_names_is_limited_per_key_and_address_and_never_locks_the_person_out() {
    let hub = start().await;
    let p = demo::person("li_na");
    let dev = hub.client(Arc::new(SoftKey::generate()));
    for guess in ["李一", "李二", "李三", "李四", "李五"] {
        assert_eq!(
            code_of(dev.enrol(p.id.as_str(), guess, "phone").await.unwrap_err()),
            "identity_mismatch"
        );
    }
    let before = hub.fingerprint().await;
    // The guesser's key is refused now, even with the right name, with 429, and nothing
    // changes.
    let e = dev.enrol(p.id.as_str(), p.name, "phone").await.unwrap_err();
    assert_eq!(
        (e.status(), e.code()),
        (Some(429), Some("too_many_attempts"))
    );
    assert_eq!(hub.fingerprint().await, before);
    // New keys from the same address guess on until the address's own limit.
    let tries = mz_hub::auth::ADDRESS_TRIES - mz_hub::auth::ENROL_TRIES;
    for i in 0..tries {
        let fresh = hub.client(Arc::new(SoftKey::generate()));
        let e = fresh.enrol(p.id.as_str(), &format!("李{i}"), "phone").await;
        assert_eq!(code_of(e.unwrap_err()), "identity_mismatch");
    }
    let same_place = hub.client(Arc::new(SoftKey::generate()));
    let e = same_place.enrol(p.id.as_str(), p.name, "phone").await;
    assert_eq!(code_of(e.unwrap_err()), "too_many_attempts");
    assert_eq!(hub.fingerprint().await, before);
    // The real person, on her own phone from elsewhere, is not locked out (M-10).
    let own = hub
        .client(Arc::new(SoftKey::generate()))
        .with_local_address("127.0.0.2".parse().unwrap());
    own.enrol(p.id.as_str(), p.name, "phone").await.unwrap();
    // After the window, the guesser's key may try again.
    hub.clock.advance(mz_hub::auth::ENROL_WINDOW_SECS);
    dev.enrol(p.id.as_str(), p.name, "phone").await.unwrap();
}

#[tokio::test]
async fn a_grant_is_no_oracle_for_the_register() {
    let hub = start().await;
    let principal = hub.holder("chen_jianguo").await;
    let pid = demo::person("chen_jianguo").id;
    let t0 = hub.clock_now();
    let grant = |agent: String, name: &'static str, types: &'static [&'static str]| {
        let (principal, pid) = (principal.clone(), pid.to_string());
        async move {
            let p = Principal::Person(pid);
            principal
                .grant(p, &agent, name, types, &[], t0, t0 + 86_400)
                .await
                .unwrap_err()
        }
    };
    let zm = demo::person("zhao_min").id.to_string();
    let nobody = "11010519491231002X".to_string();
    let before = hub.fingerprint().await;
    // Unknown person and wrong name: one answer (H-1).
    let wrong_name = grant(zm.clone(), "赵一", &["property_cert"]).await;
    let unknown = grant(nobody.clone(), "某人", &["property_cert"]).await;
    assert_eq!(code_of(wrong_name), "identity_mismatch");
    assert_eq!(code_of(unknown), "identity_mismatch");
    // Everything else is checked first: a bad grant says nothing about the name.
    let enterprise_only = grant(zm.clone(), "赵敏", &["business_licence"]).await;
    assert_ne!(code_of(enterprise_only), "identity_mismatch");
    // And guessing is limited like enrolment.
    for n in ["赵二", "赵三", "赵四"] {
        assert_eq!(
            code_of(grant(zm.clone(), n, &["property_cert"]).await),
            "identity_mismatch"
        );
    }
    let right = grant(zm.clone(), "赵敏", &["property_cert"]).await;
    assert_eq!(code_of(right), "too_many_attempts");
    assert_eq!(hub.fingerprint().await, before);
}

#[tokio::test]
async fn department_issues_and_every_seal_verifies() {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    let certs = holder.certificates().await.unwrap();
    assert!(
        certs.len() >= 8,
        "张伟 holds the demo certificates, got {}",
        certs.len()
    );
    for c in &certs {
        holder.verify_seal(&c.certificate).await.unwrap();
        assert_eq!(c.status, CertStatus::Valid);
    }
    // Both algorithms among them: 市场监管 seals with SM2/SM3 (his repair shop's business
    // licence), the others with P-256; a seal with the wrong key of the same department fails.
    let sm2 = certs
        .iter()
        .find(|c| c.certificate.seal.alg == mz_core::crypto::SigAlg::Sm2Sm3)
        .expect("an SM2-sealed certificate");
    assert_eq!(sm2.certificate.body.type_code, "business_licence");
    assert!(certs
        .iter()
        .any(|c| c.certificate.seal.alg == mz_core::crypto::SigAlg::Es256));
    let mut forged = sm2
        .certificate
        .body
        .clone()
        .seal(&mz_softkey::SealKey::generate(
            mz_core::crypto::SigAlg::Sm2Sm3,
        ))
        .unwrap();
    forged.seal.key_id = sm2.certificate.seal.key_id;
    assert!(holder.verify_seal(&forged).await.is_err());
    // a department issues a new one
    let dept = hub.department("transport");
    let zw = demo::person("zhang_wei");
    let t = mz_core::catalogue::Catalogue::demo()
        .cert_type("oversize_transport_permit")
        .unwrap();
    let issuer = demo::dept_code("transport");
    let body = mz_core::cert::CertificateBody {
        license_id: mz_core::ids::LicenseId::new(&t.type_code(), &issuer, "T9001", 1).unwrap(),
        name: t.name.clone(),
        type_code: t.code.clone(),
        number: "鄂超限2026-9001".into(),
        issuer_name: "咸宁市交通运输局".into(),
        issuer_code: issuer.clone(),
        issue_date: hub.state.today(),
        holder_name: zw.name.into(),
        holder_code: zw.id.to_string(),
        holder_code_type: mz_core::cert::HolderIdType::IdNumber,
        valid_from: hub.state.today(),
        valid_to: Some(hub.state.today() + chrono::Duration::days(30)),
        face: [("车牌号".to_string(), "鄂L·A2B36".to_string())]
            .into_iter()
            .collect(),
        disclosable: false,
    };
    let seal_key = &hub.depts["transport"].seal;
    let cert = body.clone().seal(seal_key).unwrap();
    // Issuer authority (H-5): well sealed, in its own name, for a real person, and still
    // refused until the operator lets the transport bureau issue this type; any other type
    // (a marriage certificate) stays refused.
    let before = hub.fingerprint().await;
    assert_eq!(
        code_of(dept.issue(cert.clone()).await.unwrap_err()),
        "not_issuer"
    );
    let marriage = mz_core::catalogue::Catalogue::demo()
        .cert_type("marriage_cert")
        .unwrap();
    let mut not_its_own = body.clone();
    not_its_own.type_code = marriage.code.clone();
    not_its_own.name = marriage.name.clone();
    not_its_own.license_id =
        mz_core::ids::LicenseId::new(&marriage.type_code(), &issuer, "T9001", 1).unwrap();
    assert_eq!(
        code_of(
            dept.issue(not_its_own.seal(seal_key).unwrap())
                .await
                .unwrap_err()
        ),
        "not_issuer"
    );
    assert_eq!(hub.fingerprint().await, before);
    // The operators' next catalogue lets the transport bureau issue it.
    hub.import_catalogue(|f| {
        let permit = f.cert_types.iter_mut().find(|x| x.code == t.code).unwrap();
        permit.issued_by.push(issuer.to_string());
    })
    .await
    .unwrap();
    let before = hub.fingerprint().await;
    // forged: changed after sealing
    let mut forged = cert.clone();
    forged.body.number = "鄂超限2026-9002".into();
    assert_eq!(
        code_of(dept.issue(forged).await.unwrap_err()),
        "bad_signature"
    );
    // sealed with a key the department never registered
    let rogue = body.clone().seal(&SoftKey::generate()).unwrap();
    assert_eq!(
        code_of(dept.issue(rogue).await.unwrap_err()),
        "unknown_seal_key"
    );
    // another department cannot issue in the transport bureau's name
    assert_eq!(
        code_of(
            hub.department("police")
                .issue(cert.clone())
                .await
                .unwrap_err()
        ),
        "not_issuer"
    );
    // a holder's device cannot issue
    assert_eq!(
        code_of(holder.issue(cert.clone()).await.unwrap_err()),
        "wrong_role"
    );
    // wrong holder name
    let mut wrong_name = body.clone();
    wrong_name.holder_name = "张三".into();
    assert_eq!(
        code_of(
            dept.issue(wrong_name.seal(seal_key).unwrap())
                .await
                .unwrap_err()
        ),
        "holder_name_mismatch"
    );
    assert_eq!(hub.fingerprint().await, before);
    dept.issue(cert.clone()).await.unwrap();
    assert_eq!(
        code_of(dept.issue(cert.clone()).await.unwrap_err()),
        "already_issued"
    );
    let certs = holder.certificates().await.unwrap();
    let mine = certs
        .iter()
        .find(|c| c.certificate.body.license_id == cert.body.license_id)
        .expect("listed");
    holder.verify_seal(&mine.certificate).await.unwrap();
    // revoke: the holder sees it revoked
    dept.revoke_certificate(cert.body.license_id.as_str(), "通行期限变更")
        .await
        .unwrap();
    let certs = holder.certificates().await.unwrap();
    assert_eq!(
        certs
            .iter()
            .find(|c| c.certificate.body.license_id == cert.body.license_id)
            .unwrap()
            .status,
        CertStatus::Revoked
    );
    // public lookup: only disclosable types
    let found = hub
        .public()
        .lookup("pollutant_permit", "绿源")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    hub.public()
        .verify_seal(&found[0].certificate)
        .await
        .unwrap();
    // The query is a substring, not a pattern: LIKE's wildcards in it match only themselves.
    for pattern in ["%%", "__", "绿%", "\\%"] {
        assert!(
            hub.public()
                .lookup("pollutant_permit", pattern)
                .await
                .unwrap()
                .is_empty(),
            "{pattern} is not a wildcard"
        );
    }
    assert_eq!(
        code_of(hub.public().lookup("id_card", "张伟").await.unwrap_err()),
        "not_disclosable"
    );
}

#[tokio::test]
async fn counter_redeems_asks_and_gets_exactly_what_was_approved() {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    let (counter, _) = hub.terminal("fund_counter").await;
    let mut holder_events = Box::pin(holder.holder_events().await.unwrap());
    ready(&mut holder_events).await;
    let mut counter_events = Box::pin(counter.terminal_events().await.unwrap());
    ready(&mut counter_events).await;
    let handles = holder.handles(6).await.unwrap();
    let code = holder
        .holder_code(
            hub.region(),
            handles[0],
            Scope::Certificate {
                cert_type: 6,
                ordinal: 0,
            },
        )
        .unwrap();
    let shown = counter.redeem(&code).await.unwrap();
    assert_eq!(shown.kind, "show");
    assert_eq!(shown.subject_name_masked, "张*");
    // A show-code for the property certificate reveals that one and nothing else the holder
    // holds, and cannot be used to ask for more (M-1): refused, nothing changes.
    let listed: Vec<&str> = shown
        .available
        .iter()
        .map(|a| a.type_code.as_str())
        .collect();
    assert_eq!(listed, ["property_cert"]);
    let before = hub.fingerprint().await;
    assert_eq!(
        code_of(
            counter
                .request_authorization(
                    &shown.redemption_id,
                    "housing_fund_withdrawal",
                    &["id_card", "property_cert"],
                    true,
                )
                .await
                .unwrap_err()
        ),
        "outside_code"
    );
    assert_eq!(hub.fingerprint().await, before);
    // the same code again from the same counter (its answer lost): the same redemption
    assert_eq!(
        counter.redeem(&code).await.unwrap().redemption_id,
        shown.redemption_id
    );
    // The identity code: every holding is listed, and each request waits for the holder.
    let code = holder
        .holder_code(hub.region(), handles[5], Scope::Identity)
        .unwrap();
    let red = counter.redeem(&code).await.unwrap();
    assert_eq!(red.kind, "identity");
    assert!(red.available.len() > 1);
    // a request for something the matter does not need: refused, nothing changes
    let before = hub.fingerprint().await;
    let e = counter
        .request_authorization(
            &red.redemption_id,
            "housing_fund_withdrawal",
            &["id_card", "driving_licence"],
            true,
        )
        .await
        .unwrap_err();
    assert_eq!(
        (e.status(), e.code()),
        (Some(403), Some("not_needed_by_matter"))
    );
    assert_eq!(
        code_of(
            counter
                .request_authorization(&red.redemption_id, "no_such_matter", &["id_card"], true)
                .await
                .unwrap_err()
        ),
        "unknown"
    );
    assert_eq!(
        code_of(
            counter
                .request_authorization(&red.redemption_id, "housing_fund_withdrawal", &[], true)
                .await
                .unwrap_err()
        ),
        "nothing_requested"
    );
    assert_eq!(hub.fingerprint().await, before);
    let req = counter
        .request_authorization(
            &red.redemption_id,
            "housing_fund_withdrawal",
            &["id_card", "marriage_cert", "property_cert"],
            true,
        )
        .await
        .unwrap();
    assert_eq!(req.state, "pending");
    // the prompt arrives on the device
    let PushEvent::AuthRequest { request } = next_event(&mut holder_events).await else {
        panic!("expected an authorization request")
    };
    assert_eq!(request.request_id, req.request_id);
    assert_eq!(request.requester.name, "咸宁市住房公积金中心 2号窗口");
    assert_eq!(request.matter_name, "住房公积金提取");
    assert!(request.archive);
    // releasing before a decision is refused
    assert_eq!(
        code_of(counter.release(&req.request_id).await.unwrap_err()),
        "not_decided"
    );
    // approve a subset; approving something not asked for is refused
    assert_eq!(
        code_of(
            holder
                .decide(&req.request_id, &["driving_licence"])
                .await
                .unwrap_err()
        ),
        "not_requested"
    );
    let decided = holder
        .decide(&req.request_id, &["id_card", "property_cert"])
        .await
        .unwrap();
    assert_eq!(decided.state, "partly_approved");
    assert_eq!(
        code_of(
            holder
                .decide(&req.request_id, &["id_card"])
                .await
                .unwrap_err()
        ),
        "already_decided"
    );
    let PushEvent::AuthDecided {
        request_id,
        state,
        approved,
    } = next_event(&mut counter_events).await
    else {
        panic!("expected a decision")
    };
    assert_eq!(
        (request_id.as_str(), state.as_str()),
        (req.request_id.as_str(), "partly_approved")
    );
    assert_eq!(approved, vec!["id_card", "property_cert"]);
    let rel = counter.release(&req.request_id).await.unwrap();
    let mut types: Vec<&str> = rel
        .certificates
        .iter()
        .map(|c| c.certificate.body.type_code.as_str())
        .collect();
    types.sort();
    assert_eq!(
        types,
        vec!["id_card", "property_cert"],
        "exactly the approved subset"
    );
    assert_eq!(rel.subject.name, "张伟");
    for c in &rel.certificates {
        counter.verify_seal(&c.certificate).await.unwrap();
    }
    // The answer was lost (a crash, a dropped connection): the same counter fetches it again
    // and gets the same certificates, audited again; after the window, nothing (failed
    // before: already_released, and the certificates could never be fetched again).
    let again = counter.release(&req.request_id).await.unwrap();
    let ids = |r: &mz_core::api::Release| -> Vec<String> {
        r.certificates
            .iter()
            .map(|c| c.certificate.body.license_id.to_string())
            .collect()
    };
    assert_eq!(ids(&again), ids(&rel));
    assert_eq!(hub.audited("release_repeated").await, 1);
    hub.clock.advance(mz_core::flow::RELEASE_SECS + 1);
    assert_eq!(
        code_of(counter.release(&req.request_id).await.unwrap_err()),
        "expired"
    );
    // another terminal cannot see or fetch it
    let (other, _) = hub.terminal("cb_counter").await;
    assert_eq!(
        code_of(other.release(&req.request_id).await.unwrap_err()),
        "not_found"
    );

    // refusal: the counter gets nothing
    let code2 = holder
        .holder_code(hub.region(), handles[1], Scope::Identity)
        .unwrap();
    let red2 = counter.redeem(&code2).await.unwrap();
    assert_eq!(red2.kind, "identity");
    let req2 = counter
        .request_authorization(
            &red2.redemption_id,
            "housing_fund_withdrawal",
            &["id_card"],
            false,
        )
        .await
        .unwrap();
    let _ = next_event(&mut holder_events).await;
    assert_eq!(
        holder.decide(&req2.request_id, &[]).await.unwrap().state,
        "refused"
    );
    assert_eq!(
        code_of(counter.release(&req2.request_id).await.unwrap_err()),
        "refused"
    );

    // expired code, forged code, code with an unknown handle, garbage: refused, nothing changes
    let before = hub.fingerprint().await;
    let late = holder
        .holder_code(hub.region(), handles[2], Scope::Identity)
        .unwrap();
    hub.clock.advance(61);
    assert_eq!(code_of(counter.redeem(&late).await.unwrap_err()), "expired");
    let thief = hub.client(Arc::new(SoftKey::generate()));
    let forged = thief
        .holder_code(hub.region(), handles[3], Scope::Identity)
        .unwrap();
    assert_eq!(
        code_of(counter.redeem(&forged).await.unwrap_err()),
        "bad_signature"
    );
    let unknown = holder
        .holder_code(hub.region(), [7; 16], Scope::Identity)
        .unwrap();
    assert_eq!(
        code_of(counter.redeem(&unknown).await.unwrap_err()),
        "not_found"
    );
    assert_eq!(
        code_of(counter.redeem("MZ:NOT-A-CODE").await.unwrap_err()),
        "malformed"
    );
    assert_eq!(
        code_of(counter.redeem("hello").await.unwrap_err()),
        "malformed"
    );
    assert_eq!(hub.fingerprint().await, before);
    // a request that waits too long expires
    let code3 = holder
        .holder_code(hub.region(), handles[4], Scope::Identity)
        .unwrap();
    let red3 = counter.redeem(&code3).await.unwrap();
    let req3 = counter
        .request_authorization(
            &red3.redemption_id,
            "housing_fund_withdrawal",
            &["id_card"],
            false,
        )
        .await
        .unwrap();
    hub.clock.advance(301);
    assert_eq!(
        code_of(
            holder
                .decide(&req3.request_id, &["id_card"])
                .await
                .unwrap_err()
        ),
        "expired"
    );
}

#[tokio::test]
async fn kiosk_login_by_scan_and_by_identity_code() {
    let hub = start().await;
    let holder = hub.holder("wu_fang").await;
    let (kiosk, kiosk_id) = hub.terminal("ts_kiosk").await;
    let mut kiosk_events = Box::pin(kiosk.terminal_events().await.unwrap());
    ready(&mut kiosk_events).await;
    // 扫码登录: the kiosk shows its code, the wallet checks whose it is and approves
    let s = kiosk.open_login().await.unwrap();
    let code = kiosk
        .login_code(hub.region(), &kiosk_id, &s.session_id)
        .unwrap();
    let (body, info) = holder.check_login_code(&code).await.unwrap();
    assert_eq!(info.name, "通山县24小时自助服务区 1号自助终端");
    assert_eq!(info.place, "湖北省通山县政务服务中心24小时自助服务区");
    let v = holder.approve_login(&body).await.unwrap();
    assert_eq!(v.state, "logged_in");
    let PushEvent::LoggedIn {
        session_id,
        holder_name,
        method,
    } = next_event(&mut kiosk_events).await
    else {
        panic!("expected login")
    };
    assert_eq!(
        (session_id.as_str(), holder_name.as_str(), method.as_str()),
        (s.session_id.as_str(), "吴芳", "scan")
    );
    assert_eq!(
        kiosk.login_session(&s.session_id).await.unwrap().state,
        "logged_in"
    );
    assert_eq!(
        code_of(holder.approve_login(&body).await.unwrap_err()),
        "session_used"
    );
    // Logging out ends the session once: the logout is audited once however often the kiosk
    // asks, and an ended session stays ended.
    assert_eq!(kiosk.end_login(&s.session_id).await.unwrap().state, "ended");
    let ended = hub.fingerprint().await;
    assert_eq!(kiosk.end_login(&s.session_id).await.unwrap().state, "ended");
    assert_eq!(hub.fingerprint().await, ended);
    assert_eq!(hub.audited("logout").await, 1);

    // 亮码登录: the kiosk scans the holder's identity code
    let s2 = kiosk.open_login().await.unwrap();
    let h = holder.handles(3).await.unwrap();
    let show = holder
        .holder_code(
            hub.region(),
            h[0],
            Scope::Certificate {
                cert_type: 1,
                ordinal: 0,
            },
        )
        .unwrap();
    assert_eq!(
        code_of(
            kiosk
                .login_by_identity_code(&s2.session_id, &show)
                .await
                .unwrap_err()
        ),
        "wrong_kind"
    );
    let ident = holder
        .holder_code(hub.region(), h[1], Scope::Identity)
        .unwrap();
    let v2 = kiosk
        .login_by_identity_code(&s2.session_id, &ident)
        .await
        .unwrap();
    // Anyone holding an identity code could show it: the kiosk greets with the masked name.
    assert_eq!(
        (v2.state.as_str(), v2.holder_name.as_deref()),
        ("logged_in", Some("吴*"))
    );
    let PushEvent::LoggedIn { method, .. } = next_event(&mut kiosk_events).await else {
        panic!("expected login")
    };
    assert_eq!(method, "identity_code");

    // a code from an unregistered terminal, an impostor, an expired code, a counter opening a
    // session: each refused with its own code, nothing changes
    let (counter, _) = hub.terminal("ts_counter").await;
    let s3 = kiosk.open_login().await.unwrap();
    let old = kiosk
        .login_code(hub.region(), &kiosk_id, &s3.session_id)
        .unwrap();
    let before = hub.fingerprint().await;
    let rogue = hub.client(Arc::new(SoftKey::generate()));
    let fake = rogue
        .login_code(hub.region(), &uuid_like(), &s3.session_id)
        .unwrap();
    assert_eq!(
        code_of(holder.check_login_code(&fake).await.unwrap_err()),
        "unregistered_terminal"
    );
    let impostor = rogue
        .login_code(hub.region(), &kiosk_id, &s3.session_id)
        .unwrap();
    assert_eq!(
        code_of(holder.check_login_code(&impostor).await.unwrap_err()),
        "bad_signature"
    );
    assert_eq!(
        code_of(counter.open_login().await.unwrap_err()),
        "not_a_kiosk"
    );
    hub.clock.advance(61);
    assert_eq!(
        code_of(holder.check_login_code(&old).await.unwrap_err()),
        "expired"
    );
    let ident2 = holder
        .holder_code(hub.region(), h[2], Scope::Identity)
        .unwrap();
    hub.clock.advance(300);
    assert_eq!(
        code_of(
            kiosk
                .login_by_identity_code(&s3.session_id, &ident2)
                .await
                .unwrap_err()
        ),
        "expired"
    );
    assert_eq!(hub.fingerprint().await, before);
}

fn uuid_like() -> String {
    "0b9f3c1e-5d2a-4e8f-9a7b-123456789abc".into()
}

#[tokio::test]
async fn delegation_grant_use_revoke_and_expiry() {
    let hub = start().await;
    let principal = hub.holder("chen_jianguo").await;
    let agent = hub.holder("zhao_min").await;
    let (counter, _) = hub.terminal("housing_counter").await;
    let agent_id = demo::person("zhao_min").id;
    let pid = demo::person("chen_jianguo").id;
    let now = hub.clock.as_ref();
    let t0 = mz_hub::Clock::now(now);
    // refused grants change nothing
    let before = hub.fingerprint().await;
    assert_eq!(
        code_of(
            principal
                .grant(
                    Principal::Person(demo::person("he_li").id.to_string()),
                    agent_id.as_str(),
                    "赵敏",
                    &["special_equipment_operator"],
                    &[],
                    t0,
                    t0 + 7 * DAY
                )
                .await
                .unwrap_err()
        ),
        "not_principal"
    );
    assert_eq!(
        code_of(
            principal
                .grant(
                    Principal::Person(pid.to_string()),
                    agent_id.as_str(),
                    "赵敏",
                    &["special_equipment_operator"],
                    &[],
                    t0,
                    t0 + 400 * DAY
                )
                .await
                .unwrap_err()
        ),
        "malformed"
    );
    assert_eq!(
        code_of(
            principal
                .grant(
                    Principal::Enterprise(demo::enterprise_code("xinda").to_string()),
                    agent_id.as_str(),
                    "赵敏",
                    &["business_licence"],
                    &[],
                    t0,
                    t0 + DAY
                )
                .await
                .unwrap_err()
        ),
        "not_legal_representative"
    );
    assert_eq!(
        code_of(
            principal
                .grant(
                    Principal::Person(pid.to_string()),
                    agent_id.as_str(),
                    "赵明",
                    &["special_equipment_operator"],
                    &[],
                    t0,
                    t0 + DAY
                )
                .await
                .unwrap_err()
        ),
        "identity_mismatch"
    );
    assert_eq!(hub.fingerprint().await, before);

    let g = principal
        .grant(
            Principal::Person(pid.to_string()),
            agent_id.as_str(),
            "赵敏",
            &["special_equipment_operator"],
            &["crane_use_registration"],
            t0,
            t0 + 7 * DAY,
        )
        .await
        .unwrap();
    assert_eq!(g.agent_name_masked, "赵*");
    let received = agent.grants().await.unwrap().received;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].principal_name_masked, "陈**");
    let mut principal_events = Box::pin(principal.holder_events().await.unwrap());
    ready(&mut principal_events).await;
    let mut agent_events = Box::pin(agent.holder_events().await.unwrap());
    ready(&mut agent_events).await;

    let grant16 = uuid16(&g.grant_id);
    let h = agent.handles(6).await.unwrap();
    let code = agent
        .holder_code(
            hub.region(),
            h[0],
            Scope::Delegated {
                grant: grant16,
                cert_type: 10,
            },
        )
        .unwrap();
    let red = counter.redeem(&code).await.unwrap();
    assert_eq!(red.kind, "delegated");
    assert_eq!(red.subject_name_masked, "陈**");
    assert_eq!(red.agent_name_masked.as_deref(), Some("赵*"));
    let before = hub.fingerprint().await;
    assert_eq!(
        code_of(
            counter
                .request_authorization(
                    &red.redemption_id,
                    "crane_use_registration",
                    &["business_licence"],
                    true
                )
                .await
                .unwrap_err()
        ),
        "outside_grant"
    );
    assert_eq!(hub.fingerprint().await, before);
    let req = counter
        .request_authorization(
            &red.redemption_id,
            "crane_use_registration",
            &["special_equipment_operator"],
            true,
        )
        .await
        .unwrap();
    let PushEvent::AuthRequest { request } = next_event(&mut agent_events).await else {
        panic!("agent is asked")
    };
    assert_eq!(request.grant_id.as_deref(), Some(g.grant_id.as_str()));
    agent
        .decide(&req.request_id, &["special_equipment_operator"])
        .await
        .unwrap();
    let PushEvent::GrantUsed {
        grant_id, matter, ..
    } = next_event(&mut principal_events).await
    else {
        panic!("principal sees the use")
    };
    assert_eq!(
        (grant_id.as_str(), matter.as_str()),
        (g.grant_id.as_str(), "crane_use_registration")
    );
    let rel = counter.release(&req.request_id).await.unwrap();
    assert_eq!(rel.certificates.len(), 1);
    assert_eq!(rel.certificates[0].certificate.body.holder_name, "陈建国");
    assert_eq!(rel.agent.as_ref().unwrap().name, "赵敏");
    assert_eq!(principal.grants().await.unwrap().granted[0].uses, 1);
    assert!(principal
        .audit()
        .await
        .unwrap()
        .iter()
        .any(|e| e.event == "release" && e.detail["grant"] == g.grant_id.as_str()));
    assert!(agent
        .audit()
        .await
        .unwrap()
        .iter()
        .any(|e| e.event == "agent_act"));

    // revoke: the next use is refused at once
    assert_eq!(
        code_of(agent.revoke_grant(&g.grant_id).await.unwrap_err()),
        "not_found"
    );
    principal.revoke_grant(&g.grant_id).await.unwrap();
    let code2 = agent
        .holder_code(
            hub.region(),
            h[1],
            Scope::Delegated {
                grant: grant16,
                cert_type: 10,
            },
        )
        .unwrap();
    assert_eq!(
        code_of(counter.redeem(&code2).await.unwrap_err()),
        "grant_revoked"
    );
    assert_eq!(
        code_of(principal.revoke_grant(&g.grant_id).await.unwrap_err()),
        "already_revoked"
    );

    // expiry: a one-day grant stops working after a day
    let t1 = mz_hub::Clock::now(hub.clock.as_ref());
    let g2 = principal
        .grant(
            Principal::Person(pid.to_string()),
            agent_id.as_str(),
            "赵敏",
            &["special_equipment_operator"],
            &[],
            t1,
            t1 + DAY,
        )
        .await
        .unwrap();
    let g2_16 = uuid16(&g2.grant_id);
    let ok = agent
        .holder_code(
            hub.region(),
            h[2],
            Scope::Delegated {
                grant: g2_16,
                cert_type: 10,
            },
        )
        .unwrap();
    counter.redeem(&ok).await.unwrap();
    hub.clock.advance(DAY);
    let late = agent
        .holder_code(
            hub.region(),
            h[3],
            Scope::Delegated {
                grant: g2_16,
                cert_type: 10,
            },
        )
        .unwrap();
    assert_eq!(
        code_of(counter.redeem(&late).await.unwrap_err()),
        "grant_expired"
    );
    // someone else cannot present it
    let other = hub.holder("he_li").await;
    let h2 = other.handles(1).await.unwrap();
    let t2 = mz_hub::Clock::now(hub.clock.as_ref());
    let g3 = principal
        .grant(
            Principal::Person(pid.to_string()),
            agent_id.as_str(),
            "赵敏",
            &["special_equipment_operator"],
            &[],
            t2,
            t2 + DAY,
        )
        .await
        .unwrap();
    let stolen = other
        .holder_code(
            hub.region(),
            h2[0],
            Scope::Delegated {
                grant: uuid16(&g3.grant_id),
                cert_type: 10,
            },
        )
        .unwrap();
    assert_eq!(
        code_of(counter.redeem(&stolen).await.unwrap_err()),
        "not_agent"
    );
}

#[tokio::test]
async fn enterprise_legal_representative_grants_staff_the_business_licence() {
    let hub = start().await;
    let rep = hub.holder("sun_qiang").await;
    let staff = hub.holder("he_li").await;
    let (counter, _) = hub.terminal("housing_counter").await;
    let me = rep.me().await.unwrap();
    assert_eq!(me.enterprises.len(), 1);
    let uscc = demo::enterprise_code("xinda");
    assert!(rep
        .certificates()
        .await
        .unwrap()
        .iter()
        .any(|c| c.certificate.body.type_code == "business_licence"
            && c.certificate.body.holder_code == uscc.as_str()));
    let t0 = mz_hub::Clock::now(hub.clock.as_ref());
    let staff_id = demo::person("he_li").id;
    let g = rep
        .grant(
            Principal::Enterprise(uscc.to_string()),
            staff_id.as_str(),
            "何丽",
            &["business_licence"],
            &[],
            t0,
            t0 + 7 * DAY,
        )
        .await
        .unwrap();
    assert_eq!(g.principal_kind, "enterprise");
    assert_eq!(g.principal_name_masked, "咸宁市鑫达建筑工程有限公司");
    let h = staff.handles(1).await.unwrap();
    let code = staff
        .holder_code(
            hub.region(),
            h[0],
            Scope::Delegated {
                grant: uuid16(&g.grant_id),
                cert_type: 9,
            },
        )
        .unwrap();
    let red = counter.redeem(&code).await.unwrap();
    assert_eq!(red.subject_name_masked, "咸宁市鑫达建筑工程有限公司");
    let req = counter
        .request_authorization(
            &red.redemption_id,
            "crane_use_registration",
            &["business_licence"],
            true,
        )
        .await
        .unwrap();
    staff
        .decide(&req.request_id, &["business_licence"])
        .await
        .unwrap();
    let rel = counter.release(&req.request_id).await.unwrap();
    assert_eq!(rel.subject.code_type, mz_core::cert::HolderIdType::Uscc);
    assert_eq!(
        rel.certificates[0].certificate.body.type_code,
        "business_licence"
    );
    assert!(rep
        .audit()
        .await
        .unwrap()
        .iter()
        .any(|e| e.event == "release"));
}

#[tokio::test]
async fn audit_chain_is_readable_exportable_and_verifiable() {
    let hub = start().await;
    let holder = hub.holder("li_na").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let h = holder.handles(1).await.unwrap();
    let red = counter
        .redeem(
            &holder
                .holder_code(hub.region(), h[0], Scope::Identity)
                .unwrap(),
        )
        .await
        .unwrap();
    let req = counter
        .request_authorization(
            &red.redemption_id,
            "general_counter_service",
            &["id_card", "marriage_cert"],
            false,
        )
        .await
        .unwrap();
    holder
        .decide(&req.request_id, &["marriage_cert"])
        .await
        .unwrap();
    counter.release(&req.request_id).await.unwrap();
    let mine = holder.audit().await.unwrap();
    let events: Vec<&str> = mine.iter().map(|e| e.event.as_str()).collect();
    for want in [
        "issue",
        "device_enrolled",
        "device_confirmed",
        "redeem",
        "auth_request",
        "approve",
        "release",
    ] {
        assert!(events.contains(&want), "{want} in {events:?}");
    }
    // only my entries
    let li = demo::person("li_na").id;
    let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit")
        .fetch_one(&hub.db.read)
        .await
        .unwrap();
    let own: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit WHERE subject = $1")
        .bind(li.as_str())
        .fetch_one(&hub.db.read)
        .await
        .unwrap();
    assert_eq!(mine.len() as i64, own);
    assert!(all > own);
    let export = holder.audit_export().await.unwrap();
    assert_eq!(export.lines().count(), mine.len());
    // no personal data of others, no full ID numbers of the agent etc. in what a holder exports
    assert!(!export.contains(demo::person("zhang_wei").id.as_str()));
    // The hub signs a checkpoint (on its timer); anyone reads the latest without making one.
    assert_eq!(
        code_of(hub.public().checkpoint().await.unwrap_err()),
        "not_found"
    );
    mz_hub::service::public::checkpoint_now(&hub.state)
        .await
        .unwrap();
    let cp = hub.public().checkpoint().await.unwrap();
    assert_eq!(cp.seq as i64, all);
    // Verify with the CLI against the hub's published key (not one the database names); alter
    // one row, or delete the chain's tail: the CLI fails.
    let published = String::from(hub.public().hub_info().await.unwrap().hub_key);
    let bin = env!("CARGO_BIN_EXE_mz-hub");
    let verify = || {
        std::process::Command::new(bin)
            .args([
                "audit",
                "verify",
                "--db",
                &hub.db_url,
                "--public-key",
                &published,
            ])
            .output()
            .unwrap()
    };
    let out = verify();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("{all} entries, 1 checkpoints")));
    for (sql, what) in [
        ("UPDATE audit SET detail = replace(detail, 'marriage_cert', 'id_card') WHERE event = 'approve'", "detail"),
        ("UPDATE audit SET at = at + 1 WHERE seq = 3", "time"),
        ("DELETE FROM audit WHERE seq = 5", "deletion"),
        ("DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)", "the tail"),
    ] {
        #[allow(clippy::type_complexity)]
        let backup: Vec<(i64, i64, Vec<u8>, String, String, Option<String>, String, Vec<u8>)> = sqlx::query_as("SELECT seq, at, prev, event, actor, subject, detail, hash FROM audit").fetch_all(&hub.db.read).await.unwrap();
        sqlx::query(sql).execute(&hub.db.write).await.unwrap();
        let out = verify();
        assert!(!out.status.success(), "altered {what} must fail verification");
        assert!(String::from_utf8_lossy(&out.stderr).contains("audit chain broken"), "{}", String::from_utf8_lossy(&out.stderr));
        sqlx::query("DELETE FROM audit").execute(&hub.db.write).await.unwrap();
        for r in backup {
            sqlx::query("INSERT INTO audit (seq, at, prev, event, actor, subject, detail, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(r.0).bind(r.1).bind(r.2).bind(r.3).bind(r.4).bind(r.5).bind(r.6).bind(r.7)
                .execute(&hub.db.write).await.unwrap();
        }
        assert!(mz_hub::admin::verify_audit(&hub.db, &hub.state.hub_public_key()).await.is_ok());
    }
}

#[tokio::test]
async fn openapi_describes_every_route() {
    let hub = start().await;
    let doc = hub.public().openapi().await.unwrap();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 32, "{} paths", paths.len());
    let http = reqwest::Client::new();
    for (path, ops) in paths {
        let concrete = path.replace("{id}", "0b9f3c1e-5d2a-4e8f-9a7b-123456789abc");
        for method in ops.as_object().unwrap().keys() {
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let resp = http
                .request(m, format!("{}{}", hub.base, concrete))
                .send()
                .await
                .unwrap();
            let status = resp.status().as_u16();
            let body = resp.text().await.unwrap_or_default();
            assert_ne!(status, 405, "{method} {path} is not routed");
            assert!(
                !body.contains("no_such_route"),
                "{method} {path} is not routed"
            );
        }
    }
    // and an unknown route says so
    let r = http
        .get(format!("{}/v1/nope", hub.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
}

#[tokio::test]
async fn signed_requests_refuse_replay_skew_and_tampering() {
    let hub = start().await;
    let key = Arc::new(SoftKey::generate());
    let holder = hub.client(key.clone());
    let zw = demo::person("zhang_wei");
    let enrolled = holder
        .enrol(zw.id.as_str(), zw.name, "phone")
        .await
        .unwrap();
    let desk = hub.identity_desk().await;
    desk.confirm_device(&enrolled.counter_code, zw.id.as_str())
        .await
        .unwrap();
    // craft a signed GET by hand and send it twice
    let http = reqwest::Client::new();
    let ts = mz_hub::Clock::now(hub.clock.as_ref());
    let nonce = "00112233445566778899aabbccddeeff";
    let headers = mz_core::reqsig::sign(key.as_ref(), "GET", "/v1/me", b"", ts, nonce).unwrap();
    let send = |path: &'static str, _ts: i64| {
        let mut req = http.get(format!("{}{}", hub.base, path));
        for (k, v) in &headers {
            req = req.header(*k, v);
        }
        req.send()
    };
    assert_eq!(send("/v1/me", ts).await.unwrap().status().as_u16(), 200);
    let again = send("/v1/me", ts).await.unwrap();
    assert_eq!(again.status().as_u16(), 401);
    assert!(again.text().await.unwrap().contains("replayed_request"));
    // the same signature on another path does not verify
    let other = send("/v1/me/certificates", ts).await.unwrap();
    assert!(other
        .text()
        .await
        .unwrap()
        .contains("bad_request_signature"));
    // a client whose clock is far off is refused
    let skewed = hub
        .client(key.clone())
        .with_clock(Arc::new(move || ts + 3600));
    assert_eq!(code_of(skewed.me().await.unwrap_err()), "clock_skew");
    // sessions work and carry the same identity
    let with_sessions = hub.client(key.clone()).with_sessions();
    assert_eq!(with_sessions.me().await.unwrap().name, "张伟");
}

fn uuid16(s: &str) -> [u8; 16] {
    hex::decode(s.replace('-', "")).unwrap().try_into().unwrap()
}

#[tokio::test]
async fn a_rolled_back_audit_append_leaves_the_chain_whole() {
    let hub = start().await;
    let mut tx = hub.db.begin_write().await.unwrap();
    let e = mz_hub::store::audit(&mut tx, 1, "test", "test", None, serde_json::json!({}))
        .await
        .unwrap();
    drop(tx); // rolled back
    let mut tx = hub.db.begin_write().await.unwrap();
    let e2 = mz_hub::store::audit(&mut tx, 2, "test", "test", None, serde_json::json!({}))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(e2.seq, e.seq, "the rolled-back entry's number is reused");
    assert_ne!(e2.hash(), e.hash());
    mz_hub::admin::verify_audit(&hub.db, &hub.state.hub_public_key())
        .await
        .unwrap();
    // and a committed append moves the cached head on
    let mut tx = hub.db.begin_write().await.unwrap();
    let e3 = mz_hub::store::audit(&mut tx, 3, "test", "test", None, serde_json::json!({}))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!((e3.seq, e3.prev), (e2.seq + 1, e2.hash()));
    mz_hub::admin::verify_audit(&hub.db, &hub.state.hub_public_key())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_redemptions_keep_one_unbroken_chain() {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    // Ten redemptions to ask authorization on while the next fifty are redeemed: on SQLite the
    // redemptions are written by the lane's own connection and the requests by the sqlx
    // writer, and the chain must still be one unbroken sequence.
    let earlier: Vec<String> = {
        let mut ids = Vec::new();
        for h in holder.handles(10).await.unwrap() {
            ids.push(
                counter
                    .redeem(
                        &holder
                            .holder_code(hub.region(), h, Scope::Identity)
                            .unwrap(),
                    )
                    .await
                    .unwrap()
                    .redemption_id,
            );
        }
        ids
    };
    let handles = holder.handles(50).await.unwrap();
    let codes: Vec<String> = handles
        .iter()
        .map(|h| {
            holder
                .holder_code(hub.region(), *h, Scope::Identity)
                .unwrap()
        })
        .collect();
    let mut tasks = Vec::new();
    for c in codes.clone() {
        let counter = counter.clone();
        tasks.push(tokio::spawn(
            async move { counter.redeem(&c).await.map(drop) },
        ));
    }
    for r in earlier {
        let counter = counter.clone();
        tasks.push(tokio::spawn(async move {
            counter
                .request_authorization(&r, "general_counter_service", &["id_card"], false)
                .await
                .map(drop)
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    // every code once; the same counter sending them all again concurrently gets the same
    // redemptions (nothing new is recorded: the count below)
    let mut tasks = Vec::new();
    for c in codes {
        let counter = counter.clone();
        tasks.push(tokio::spawn(async move { counter.redeem(&c).await }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM redemptions")
        .fetch_one(&hub.db.read)
        .await
        .unwrap();
    assert_eq!(n, 60);
    let report = mz_hub::admin::verify_audit(&hub.db, &hub.state.hub_public_key())
        .await
        .unwrap();
    let count = |event: &'static str| {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit WHERE event = $1")
            .bind(event)
            .fetch_one(&hub.db.read)
    };
    assert_eq!(count("redeem").await.unwrap(), 60);
    assert_eq!(count("auth_request").await.unwrap(), 10);
    assert!(report.entries > 70);
}

#[tokio::test]
async fn an_operator_command_from_another_process_between_the_hubs_writes_loses_nothing() {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let handles = holder.handles(3).await.unwrap();
    let code = |i: usize| {
        holder
            .holder_code(hub.region(), handles[i], Scope::Identity)
            .unwrap()
    };
    counter.redeem(&code(0)).await.unwrap();
    // `mz-hub terminal --db …` while the hub serves: another Db on the same database (its own
    // connections and gate, as another process has) appends to the audit chain.
    let operator = mz_hub::Db::open(&hub.db_url).await.unwrap();
    let now = hub.clock_now();
    for i in 0..2 {
        mz_hub::admin::add_terminal(
            &operator,
            "counter",
            &format!("临时窗口 {i}"),
            "通山县",
            &mz_hub::demo::dept_code("gov_ts"),
            now,
        )
        .await
        .unwrap();
        // The hub's next writes, both kinds, are not refused: a redemption (the hot path) and an
        // authorization request (a write transaction).
        let red = counter.redeem(&code(1 + i)).await.unwrap();
        counter
            .request_authorization(
                &red.redemption_id,
                "general_counter_service",
                &["id_card"],
                false,
            )
            .await
            .unwrap();
    }
    let report = mz_hub::admin::verify_audit(&hub.db, &hub.state.hub_public_key())
        .await
        .unwrap();
    assert!(report.entries > 5);
}

#[tokio::test]
async fn objection_is_resolved_by_the_issuer_and_a_reissue_supersedes() {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    let police = hub.department("police");
    let certs = holder.certificates().await.unwrap();
    let dl = certs
        .iter()
        .find(|c| c.certificate.body.type_code == "driving_licence")
        .unwrap()
        .certificate
        .clone();
    let someone_elses = hub.holder("li_na").await.certificates().await.unwrap()[0]
        .certificate
        .body
        .license_id
        .to_string();
    let before = hub.fingerprint().await;
    assert_eq!(
        code_of(holder.object(&someone_elses, "不是我的").await.unwrap_err()),
        "not_found"
    );
    assert_eq!(
        code_of(
            holder
                .object(dl.body.license_id.as_str(), "  ")
                .await
                .unwrap_err()
        ),
        "bad_text"
    );
    assert_eq!(hub.fingerprint().await, before);
    let o = holder
        .object(dl.body.license_id.as_str(), "准驾车型应为C1E")
        .await
        .unwrap();
    assert_eq!(o.state, "open");
    assert_eq!(
        code_of(
            holder
                .object(dl.body.license_id.as_str(), "again")
                .await
                .unwrap_err()
        ),
        "objection_open"
    );
    // only the issuer sees and resolves it
    assert!(hub
        .department("land")
        .department_objections()
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        code_of(
            hub.department("land")
                .resolve_objection(&o.objection_id, ObjectionOutcome::Rejected, "no")
                .await
                .unwrap_err()
        ),
        "not_found"
    );
    let open = police.department_objections().await.unwrap();
    assert_eq!(open.len(), 1);
    // An outcome that is not one of the two is refused before anything is read or written.
    let before = hub.fingerprint().await;
    let e = police
        .post_raw_json(
            &format!("/v1/dept/objections/{}/resolve", o.objection_id),
            &serde_json::json!({ "outcome": "maybe", "resolution": "x" }),
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("unknown variant `maybe`"), "{e}");
    assert_eq!(code_of(e), "bad_json");
    assert_eq!(hub.fingerprint().await, before);
    // corrected: reissue with the fix, superseding the old one
    let mut body = dl.body.clone();
    body.face.insert("准驾车型".into(), "C1E".into());
    body.license_id = mz_core::ids::LicenseId::new(
        dl.body.license_id.type_code(),
        &dl.body.issuer_code,
        dl.body.license_id.serial(),
        2,
    )
    .unwrap();
    let seal = &hub.depts["police"].seal;
    police
        .reissue(body.seal(seal).unwrap(), dl.body.license_id.as_str())
        .await
        .unwrap();
    let r = police
        .resolve_objection(
            &o.objection_id,
            ObjectionOutcome::Corrected,
            "已更正准驾车型并重新签发",
        )
        .await
        .unwrap();
    assert_eq!(r.state, "corrected");
    assert_eq!(
        code_of(
            police
                .resolve_objection(&o.objection_id, ObjectionOutcome::Rejected, "x")
                .await
                .unwrap_err()
        ),
        "already_resolved"
    );
    let certs = holder.certificates().await.unwrap();
    let statuses: Vec<CertStatus> = certs
        .iter()
        .filter(|c| c.certificate.body.type_code == "driving_licence")
        .map(|c| c.status)
        .collect();
    assert_eq!(statuses.len(), 2);
    assert!(statuses.contains(&CertStatus::Superseded) && statuses.contains(&CertStatus::Valid));
    assert_eq!(holder.objections().await.unwrap()[0].state, "corrected");
    let events: Vec<String> = holder
        .audit()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert!(
        events.contains(&"objection".to_string())
            && events.contains(&"objection_resolved".to_string())
    );
}

/// Resolutions of one objection sent at once: one wins, the others are told it was already
/// resolved, and the holder's records show one resolution (the state used to be checked
/// before the write transaction, so each concurrent resolution answered 200 and was audited).
#[tokio::test]
async fn concurrent_resolutions_of_an_objection_resolve_it_once() {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    let police = hub.department("police");
    let dl = certificate_of(&holder, "driving_licence").await;
    let o = holder
        .object(dl.body.license_id.as_str(), "准驾车型应为C1E")
        .await
        .unwrap();
    let outcomes = hub
        .together_at_the_write_gate(8, |i| {
            let (police, id) = (police.clone(), o.objection_id.clone());
            async move {
                police
                    .resolve_objection(&id, ObjectionOutcome::Rejected, &format!("第{i}次"))
                    .await
            }
        })
        .await;
    exactly_one_won(&outcomes, "already_resolved");
    let resolved = holder
        .audit()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event == "objection_resolved")
        .count();
    assert_eq!(resolved, 1);
}

/// Revocations of one certificate sent at once: one is done and audited, the others are told
/// it was already revoked (the status used to be read before the write transaction, so each
/// concurrent revocation answered 200 and was audited).
#[tokio::test]
async fn concurrent_revocations_of_a_certificate_revoke_it_once() {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    let police = hub.department("police");
    let dl = certificate_of(&holder, "driving_licence").await;
    let outcomes = hub
        .together_at_the_write_gate(8, |_| {
            let (police, id) = (police.clone(), dl.body.license_id.to_string());
            async move { police.revoke_certificate(&id, "吊销").await }
        })
        .await;
    exactly_one_won(&outcomes, "already_revoked");
    assert_eq!(hub.audited("revoke_certificate").await, 1);
}

/// Revocations of one grant sent at once: one is done and audited (for the principal and the
/// agent), the others are told it was already revoked (it used to be read before the write
/// transaction, so each answered 200 and was audited twice).
#[tokio::test]
async fn concurrent_revocations_of_a_grant_revoke_it_once() {
    let hub = start().await;
    let principal = hub.holder("chen_jianguo").await;
    let t0 = hub.clock_now();
    let g = principal
        .grant(
            Principal::Person(demo::person("chen_jianguo").id.to_string()),
            demo::person("zhao_min").id.as_str(),
            "赵敏",
            &["special_equipment_operator"],
            &[],
            t0,
            t0 + 7 * DAY,
        )
        .await
        .unwrap();
    let outcomes = hub
        .together_at_the_write_gate(8, |_| {
            let (principal, id) = (principal.clone(), g.grant_id.clone());
            async move { principal.revoke_grant(&id).await }
        })
        .await;
    exactly_one_won(&outcomes, "already_revoked");
    assert_eq!(hub.audited("grant_revoke").await, 1);
    assert_eq!(hub.audited("grant_revoked").await, 1);
}

#[tokio::test]
async fn concurrent_redemptions_are_batched_and_each_code_is_used_once() {
    let hub = start().await;
    let holder = hub.holder("li_na").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let counter = counter.with_sessions();
    let h = holder.handles(40).await.unwrap();
    let codes: Vec<String> = h
        .iter()
        .map(|x| {
            holder
                .holder_code(hub.region(), *x, Scope::Identity)
                .unwrap()
        })
        .collect();
    let redemptions_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM redemptions")
        .fetch_one(&hub.db.read)
        .await
        .unwrap();
    // Forty codes at once, each sent twice by the same counter: every code is redeemed exactly
    // once, whichever batch its two copies land in.
    let mut tasks = Vec::new();
    for code in codes.iter().chain(codes.iter()) {
        let (counter, code) = (counter.clone(), code.clone());
        tasks.push(tokio::spawn(async move { counter.redeem(&code).await }));
    }
    let mut ok = Vec::new();
    for t in tasks {
        ok.push(t.await.unwrap().unwrap());
    }
    // Both copies of a code answer with its one redemption.
    assert_eq!(ok.len(), 80);
    for (a, b) in ok[..40].iter().zip(&ok[40..]) {
        assert_eq!(a.redemption_id, b.redemption_id);
    }
    assert!(ok
        .iter()
        .all(|r| r.available.iter().any(|a| a.type_code == "id_card")));
    let ids: std::collections::HashSet<_> = ok.iter().map(|r| r.redemption_id.clone()).collect();
    assert_eq!(ids.len(), 40);
    let redemptions_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM redemptions")
        .fetch_one(&hub.db.read)
        .await
        .unwrap();
    assert_eq!(redemptions_after - redemptions_before, 40);
    let redeem_entries: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit WHERE event = 'redeem'")
            .fetch_one(&hub.db.read)
            .await
            .unwrap();
    assert_eq!(redeem_entries, redemptions_after);
    mz_hub::admin::verify_audit(&hub.db, &hub.state.hub_public_key())
        .await
        .unwrap();
    // Each redemption works on: the counter can ask for authorization with any of them.
    counter
        .request_authorization(
            &ok[17].redemption_id,
            "general_counter_service",
            &["id_card"],
            false,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_checkpoint_key_is_not_in_the_database_it_vouches_for() {
    let hub = start().await;
    let private = hub.state.hub_key.pkcs8().to_vec();
    let values: Vec<Vec<u8>> = sqlx::query_scalar("SELECT value FROM hub_meta")
        .fetch_all(&hub.db.read)
        .await
        .unwrap();
    assert!(!values.is_empty());
    assert!(
        values.iter().all(|v| !v
            .windows(private.len().min(v.len()).max(1))
            .any(|w| w == private.as_slice())),
        "the hub's private key is in hub_meta"
    );
    let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM hub_meta")
        .fetch_all(&hub.db.read)
        .await
        .unwrap();
    assert!(keys.iter().any(|k| k == "hub_public_key"));
    assert!(!keys.iter().any(|k| k == "hub_key"));
}
