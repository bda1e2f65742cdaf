//! Kiosk results as real documents (issue 15 item 6): a self-service matter that gives a proof
//! (家庭房查证明, 社会保险参保证明) gets it from the issuing department's own proof desk
//! (`mz-desk`, run here in-process against the real hub), sealed with the department's key; the
//! kiosk reads it, and whoever holds the printed proof checks it by the token in its QR code.

mod common;

use common::{code_of, events_of, next_event, ready, refused_unchanged, start, Hub};
use mz_client::Client;
use mz_core::api::PushEvent;
use mz_core::flow::{ProofState, PROOF_ORDER_SECS};
use mz_desk::register::Register;
use mz_desk::{Answered, Desk};
use mz_softkey::{DepartmentKeys, SoftKey};

/// `person` logged in at the 通山 kiosk by scanning its code and approved the first certificate
/// `matter` asks for (居民身份证, 社会保障卡); the kiosk was released it: (holder, kiosk, request
/// id).
async fn released_at_kiosk(hub: &Hub, person: &str, matter: &str) -> (Client, Client, String) {
    let holder = hub.holder(person).await;
    let (kiosk, request) = released_to_kiosk(hub, &holder, matter).await;
    (holder, kiosk, request)
}

/// [`released_at_kiosk`] for a holder already enrolled: (kiosk, request id).
async fn released_to_kiosk(hub: &Hub, holder: &Client, matter: &str) -> (Client, String) {
    let kiosk = hub.kiosk().await.clone();
    let session = logged_in(hub, &kiosk, holder).await;
    let r = kiosk
        .session_request(&session, matter, false)
        .await
        .unwrap();
    holder
        .decide(&r.request_id, &[&r.cert_types[0]])
        .await
        .unwrap();
    kiosk.release(&r.request_id).await.unwrap();
    (kiosk, r.request_id)
}

/// `holder` logs in at `kiosk` by scanning its code: the session's id.
async fn logged_in(hub: &Hub, kiosk: &Client, holder: &Client) -> String {
    let s = kiosk.open_login().await.unwrap();
    let code = kiosk
        .login_code(hub.region(), &hub.terminals["ts_kiosk"].0, &s.session_id)
        .unwrap();
    let (body, _) = holder.check_login_code(&code).await.unwrap();
    holder.approve_login(&body).await.unwrap();
    s.session_id
}

/// The proof desk of demo department `dept`, with the demo's records, on the hub's clock.
fn desk(hub: &Hub, dept: &str) -> Desk {
    let keys = DepartmentKeys::from_file_text(&hub.depts[dept].to_file_text()).unwrap();
    let register = Register::parse(&mz_hub::demo::proof_register(dept).unwrap()).unwrap();
    Desk::new(hub.department(dept), keys.seal, register)
}

/// The proof of `order` once `desk` has answered its orders.
async fn answered(
    hub: &Hub,
    desk: &Desk,
    kiosk: &Client,
    order: &str,
) -> mz_core::cert::Certificate {
    desk.answer_pending(today(hub)).await.unwrap();
    let view = kiosk.proof_order(order).await.unwrap();
    view.certificate.expect("the proof issued")
}

fn today(hub: &Hub) -> chrono::NaiveDate {
    hub.state.today()
}

#[tokio::test]
async fn a_kiosk_gets_the_property_record_proof_sealed_by_the_department_and_anyone_holding_it_checks_it(
) {
    let hub = start().await;
    let land = hub.department("land");
    let mut orders = Box::pin(land.department_events().await.unwrap());
    ready(&mut orders).await;
    let (holder, kiosk, request) =
        released_at_kiosk(&hub, "zhang_wei", "property_record_query").await;
    let mut kiosk_events = Box::pin(kiosk.terminal_events().await.unwrap());
    ready(&mut kiosk_events).await;

    let ordered = kiosk.order_proof(&request).await.unwrap();
    assert_eq!(
        (ordered.state, ordered.cert_type.as_str()),
        (ProofState::Pending, "property_record_proof")
    );
    let token = ordered
        .check_token
        .clone()
        .expect("the token to print, once");
    let pushed = next_event(&mut orders).await;
    assert_eq!(
        pushed,
        PushEvent::ProofOrdered {
            order_id: ordered.order_id.clone()
        }
    );

    let answered = desk(&hub, "land")
        .answer_pending(today(&hub))
        .await
        .unwrap();
    assert!(
        matches!(&answered[..], [Answered::Issued { order_id, .. }] if *order_id == ordered.order_id)
    );
    let told = next_event(&mut kiosk_events).await;
    assert_eq!(
        told,
        PushEvent::ProofAnswered {
            order_id: ordered.order_id.clone(),
            state: ProofState::Issued
        }
    );

    // The kiosk reads the proof and checks the seal with the department's published key.
    let view = kiosk.proof_order(&ordered.order_id).await.unwrap();
    assert_eq!((view.state, view.check_token), (ProofState::Issued, None));
    let proof = view.certificate.expect("the sealed proof");
    let issuer = view.issuer.expect("the issuer's keys");
    let key = issuer
        .seal_keys
        .iter()
        .find(|k| k.key_id() == proof.seal.key_id)
        .unwrap();
    proof.verify(key).unwrap();
    let zw = mz_hub::demo::person("zhang_wei");
    assert_eq!(
        (
            proof.body.holder_code.as_str(),
            proof.body.face["登记房产套数"].as_str()
        ),
        (zw.id.as_str(), "1")
    );
    assert_eq!(proof.body.face["房产坐落"], zw.address);
    assert_eq!(proof.body.issuer_name, "咸宁市自然资源和规划局");

    // Whoever holds the printed proof checks it by its token; the check is in 张伟's records.
    let checked = hub.public().check_proof(&token).await.unwrap();
    assert_eq!(
        (checked.certificate, checked.status.as_str()),
        (proof.clone(), "valid")
    );
    let events = events_of(&holder).await;
    for e in ["proof_ordered", "issue", "proof_issued", "proof_checked"] {
        assert!(events.contains(&e.to_string()), "{e} not in {events:?}");
    }
    // The proof is 张伟's certificate: his wallet has it.
    let held = holder.certificates().await.unwrap();
    assert!(held.iter().any(|c| c.certificate == proof));
}

#[tokio::test]
async fn no_property_is_a_proof_too_and_no_insurance_record_is_a_refusal_the_kiosk_shows() {
    let hub = start().await;
    let (_, kiosk, request) =
        released_at_kiosk(&hub, "wang_xiuying", "property_record_query").await;
    let order = kiosk.order_proof(&request).await.unwrap();
    let proof = answered(&hub, &desk(&hub, "land"), &kiosk, &order.order_id).await;
    assert_eq!(
        (
            proof.body.face["登记房产套数"].as_str(),
            proof.body.face["房产坐落"].as_str()
        ),
        ("0", "无")
    );

    // 王秀英 has no insurance record at 人社局: refused, with the reason, and nothing issued.
    let (_, kiosk, request) =
        released_at_kiosk(&hub, "wang_xiuying", "social_security_query").await;
    let order = kiosk.order_proof(&request).await.unwrap();
    let issued_before = hub.audited("issue").await;
    let answered = desk(&hub, "hrss")
        .answer_pending(today(&hub))
        .await
        .unwrap();
    assert!(matches!(&answered[..], [Answered::Refused { .. }]));
    let view = kiosk.proof_order(&order.order_id).await.unwrap();
    assert_eq!((view.state, view.certificate), (ProofState::Refused, None));
    assert!(view.reason.unwrap().contains("无该人员"));
    assert_eq!(hub.audited("issue").await, issued_before);
}

#[tokio::test]
async fn only_the_kiosk_released_the_request_orders_its_proof_and_only_for_a_matter_that_gives_one()
{
    let hub = start().await;
    let (holder, kiosk, request) =
        released_at_kiosk(&hub, "wu_fang", "property_record_query").await;
    let session = logged_in(&hub, &kiosk, &holder).await;
    let no_proof = kiosk
        .session_request(&session, "locker_pickup", false)
        .await
        .unwrap();
    let undecided = kiosk
        .session_request(&session, "social_security_query", false)
        .await
        .unwrap();
    let (counter, _) = hub.terminal("cb_counter").await;
    // Another terminal (the 赤壁 counter) that knows the request's id: nothing.
    refused_unchanged(&hub, "not_found", counter.order_proof(&request)).await;
    // A matter that gives no proof (综合收发件) at the same kiosk.
    refused_unchanged(&hub, "no_proof", kiosk.order_proof(&no_proof.request_id)).await;
    // Not released (the holder has not even decided): nothing to build on.
    refused_unchanged(
        &hub,
        "not_released",
        kiosk.order_proof(&undecided.request_id),
    )
    .await;

    // The kiosk's own order, made twice, is one order, and the token is given once.
    let first = kiosk.order_proof(&request).await.unwrap();
    let again = kiosk.order_proof(&request).await.unwrap();
    assert_eq!(
        (again.order_id, again.check_token),
        (first.order_id.clone(), None)
    );
    // Another terminal cannot read it either.
    assert_eq!(
        code_of(counter.proof_order(&first.order_id).await.unwrap_err()),
        "not_found"
    );
}

#[tokio::test]
async fn a_department_answers_only_its_own_orders_with_a_proof_of_the_subject_and_type_ordered() {
    let hub = start().await;
    let (_, kiosk, request) = released_at_kiosk(&hub, "zhang_wei", "property_record_query").await;
    let order = kiosk.order_proof(&request).await.unwrap().order_id;
    let land = hub.department("land");
    let hrss = hub.department("hrss");

    // 人社局 neither sees nor answers 自然资源局's order.
    assert!(hrss.proof_orders().await.unwrap().is_empty());
    refused_unchanged(&hub, "not_found", hrss.refuse_proof(&order, "no")).await;
    // 自然资源局 answering with a proof about someone else, or of another type: refused.
    let pending = &land.proof_orders().await.unwrap()[0];
    let keys = DepartmentKeys::from_file_text(&hub.depts["land"].to_file_text()).unwrap();
    let mut other = pending.clone();
    other.subject.code = mz_hub::demo::person("li_na").id.to_string();
    other.subject.name = "李娜".into();
    let about_li_na = sealed_proof(&hub, &other, "property_record_proof", &keys).await;
    refused_unchanged(
        &hub,
        "holder_mismatch",
        land.issue_proof(&order, about_li_na),
    )
    .await;
    let title = sealed_proof(&hub, pending, "property_cert", &keys).await;
    refused_unchanged(&hub, "type_mismatch", land.issue_proof(&order, title)).await;
    // A proof sealed by a key the department never registered.
    let forged = DepartmentKeys {
        api: SoftKey::generate(),
        seal: mz_softkey::SealKey::generate(mz_core::crypto::SigAlg::Es256),
    };
    let forged = sealed_proof(&hub, pending, "property_record_proof", &forged).await;
    refused_unchanged(&hub, "unknown_seal_key", land.issue_proof(&order, forged)).await;

    // Answered once; a second answer, or one after the order's time, is refused.
    desk(&hub, "land")
        .answer_pending(today(&hub))
        .await
        .unwrap();
    refused_unchanged(&hub, "proof_closed", land.refuse_proof(&order, "late")).await;
    let (_, kiosk, request) = released_at_kiosk(&hub, "li_na", "property_record_query").await;
    let late = kiosk.order_proof(&request).await.unwrap().order_id;
    hub.clock.advance(PROOF_ORDER_SECS);
    assert!(land.proof_orders().await.unwrap().is_empty());
    assert_eq!(
        code_of(land.refuse_proof(&late, "late").await.unwrap_err()),
        "proof_closed"
    );
    assert_eq!(
        kiosk.proof_order(&late).await.unwrap().state,
        ProofState::Expired
    );
}

#[tokio::test]
async fn a_check_token_that_was_never_given_finds_nothing() {
    let hub = start().await;
    let public = hub.public();
    let made_up = mz_core::crypto::b64(&[7u8; 32]);
    assert_eq!(
        code_of(public.check_proof(&made_up).await.unwrap_err()),
        "not_found"
    );
    assert_eq!(
        code_of(public.check_proof("short").await.unwrap_err()),
        "malformed"
    );
    // The token of an order not answered yet checks nothing either.
    let (_, kiosk, request) = released_at_kiosk(&hub, "zhang_wei", "property_record_query").await;
    let token = kiosk
        .order_proof(&request)
        .await
        .unwrap()
        .check_token
        .unwrap();
    assert_eq!(
        code_of(public.check_proof(&token).await.unwrap_err()),
        "not_found"
    );
}

/// A proof of `cert_type` composed for `order`, sealed with `keys`' seal key (the desk's own
/// composing, bypassed, so the hub's checks are what refuses).
async fn sealed_proof(
    hub: &Hub,
    order: &mz_core::api::DeptProofOrder,
    cert_type: &str,
    keys: &DepartmentKeys,
) -> mz_core::cert::Certificate {
    let catalogue = hub.public().catalogue().await.unwrap();
    let t = catalogue
        .cert_types
        .iter()
        .find(|t| t.code == cert_type)
        .unwrap();
    let face = t
        .fields
        .iter()
        .map(|f| (f.clone(), "x".to_string()))
        .collect();
    let issuer = mz_core::ids::Uscc::parse(&order.department_code).unwrap();
    let serial = format!("T{}", order.order_id.replace('-', "").to_ascii_uppercase());
    let day = hub.state.today();
    mz_core::cert::CertificateBody {
        license_id: mz_core::ids::LicenseId::new(&t.type_code(), &issuer, &serial, 1).unwrap(),
        name: t.name.clone(),
        type_code: t.code.clone(),
        number: serial.clone(),
        issuer_name: order.department_name.clone(),
        issuer_code: issuer,
        issue_date: day,
        holder_code_type: order.subject.code_type,
        holder_code: order.subject.code.clone(),
        holder_name: order.subject.name.clone(),
        valid_from: day,
        valid_to: None,
        face,
        disclosable: false,
    }
    .seal(&keys.seal)
    .unwrap()
}

#[tokio::test]
async fn the_insurance_bureau_issues_both_of_its_proofs_to_an_insured_person() {
    let hub = start().await;
    let hrss = desk(&hub, "hrss");
    let holder = hub.holder("zhang_wei").await;
    let mut faces = Vec::new();
    for matter in ["social_security_query", "insurance_rights_record_print"] {
        let (kiosk, request) = released_to_kiosk(&hub, &holder, matter).await;
        let order = kiosk.order_proof(&request).await.unwrap();
        let proof = answered(&hub, &hrss, &kiosk, &order.order_id).await;
        assert_eq!(proof.body.issuer_name, "咸宁市人力资源和社会保障局");
        faces.push((proof.body.type_code, proof.body.face));
    }
    assert_eq!(faces[0].0, "insurance_record_proof");
    assert_eq!(
        (
            faces[0].1["累计缴费月数"].as_str(),
            faces[0].1["参保状态"].as_str()
        ),
        ("206", "正常参保")
    );
    assert_eq!(faces[1].0, "insurance_rights_record");
    assert_eq!(faces[1].1["个人账户累计储存额"], "74160.00元");
}
