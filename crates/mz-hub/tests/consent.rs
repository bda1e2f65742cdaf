//! Seed 001, 场景一 (药店买药): "出示“医保电子凭证”二维码 … 免提交社保卡、免输入密码即可完成支付结算".
//! Showing the show-code of a certificate the catalogue marks so is itself the holder's consent
//! for that certificate to that terminal: no second prompt, audited, in the holder's records.
//! Any other code or certificate still waits for the holder.

mod common;
use common::{ask, start};
use mz_core::catalogue;
use mz_core::codes::Scope;

/// A show-code of the holder's first certificate of `type_code`.
async fn show_code(hub: &common::Hub, holder: &mz_client::Client, type_code: &str) -> String {
    let cert_type = catalogue::Catalogue::demo()
        .cert_type(type_code)
        .unwrap()
        .no;
    let scope = Scope::Certificate {
        cert_type,
        ordinal: 0,
    };
    hub.code(holder, scope).await
}

#[tokio::test]
async fn a_medical_insurance_show_code_at_the_pharmacy_is_the_consent_and_is_on_the_record() {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    let (pharmacy, _) = hub.terminal("ts_counter").await;
    let code = show_code(&hub, &holder, "medical_insurance").await;
    let red = pharmacy.redeem(&code).await.unwrap();
    let asked = ask(
        &pharmacy,
        &red.redemption_id,
        "pharmacy_settlement",
        &["medical_insurance"],
    )
    .await
    .unwrap();
    assert_eq!(asked.state, "approved", "no second prompt");
    assert_eq!(asked.approved, vec!["medical_insurance".to_string()]);
    assert!(
        holder.pending_requests().await.unwrap().is_empty(),
        "nothing waits on the phone"
    );
    let released = pharmacy.release(&asked.request_id).await.unwrap();
    let types: Vec<_> = released
        .certificates
        .iter()
        .map(|c| c.certificate.body.type_code.clone())
        .collect();
    assert_eq!(types, vec!["medical_insurance".to_string()]);
    // On the record: the approval in the audit chain, the request in the holder's records.
    assert_eq!(hub.audited("approve").await, 1);
    let mine = holder.auth_request(&asked.request_id).await.unwrap();
    assert_eq!(mine.state, "approved");
}

#[tokio::test]
async fn other_codes_and_other_certificates_still_wait_for_the_holder() {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    // A show-code of a certificate the catalogue does not mark.
    let code = show_code(&hub, &holder, "id_card").await;
    let red = counter.redeem(&code).await.unwrap();
    let asked = ask(
        &counter,
        &red.redemption_id,
        "general_counter_service",
        &["id_card"],
    )
    .await
    .unwrap();
    assert_eq!(asked.state, "pending");
    // The identity code, asking for the medical insurance voucher.
    let id = hub
        .identity_request(
            &holder,
            &counter,
            "pharmacy_settlement",
            &["medical_insurance"],
        )
        .await;
    assert_eq!(
        counter.terminal_request(&id).await.unwrap().state,
        "pending"
    );
    assert_eq!(holder.pending_requests().await.unwrap().len(), 2);
    assert_eq!(hub.audited("approve").await, 0);
}
