//! 预归档: a request made with "archive" is kept, when released, as the asking department's
//! archive record (the certificates released and the holder's signed decision) for the
//! catalogue's retention period; only that department reads it, every read is in the holder's
//! records, and a record past its period is not served.

mod common;

use common::*;
use mz_core::codes::Scope;

const YEAR: i64 = 365 * 86_400;

/// 张伟 shows his identity code at the service centre's counter, which asks for his ID card
/// and marriage certificate (archived or not); he approves; the counter fetches them.
async fn released(hub: &Hub, archive: bool) -> (mz_client::Client, String) {
    let holder = hub.holder("zhang_wei").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let code = hub.code(&holder, Scope::Identity).await;
    let red = counter.redeem(&code).await.unwrap();
    let types = ["id_card", "marriage_cert"];
    let asked = counter
        .request_authorization(
            &red.redemption_id,
            "general_counter_service",
            &types,
            archive,
        )
        .await
        .unwrap();
    holder.decide(&asked.request_id, &types).await.unwrap();
    counter.release(&asked.request_id).await.unwrap();
    (holder, asked.request_id)
}

#[tokio::test]
async fn an_archived_release_is_kept_for_the_department_that_asked() {
    let hub = start().await;
    let (holder, request) = released(&hub, true).await;
    let centre = hub.department("gov_ts");
    let list = centre.archives().await.unwrap();
    assert_eq!(list.len(), 1);
    let s = &list[0];
    assert_eq!(
        (s.request_id.as_str(), s.consent.as_str(), s.certificates),
        (request.as_str(), "device", 2)
    );
    assert_eq!(s.matter_name, "统一受理平台免证办");
    let years = (s.keep_until - s.created_at) as f64 / YEAR as f64;
    assert!((9.9..10.1).contains(&years), "{years}");
    let record = centre.archive(&s.archive_id).await.unwrap();
    let mut types: Vec<_> = record
        .certificates
        .iter()
        .map(|c| c.body.type_code.clone())
        .collect();
    types.sort();
    assert_eq!(types, ["id_card", "marriage_cert"]);
    assert!(
        record.decision.is_some_and(|d| !d.is_empty()),
        "the holder's signed decision is kept"
    );
    assert_eq!(record.subject.name, "张伟");
    let seen = events_of(&holder).await;
    assert!(
        seen.contains(&"archived".to_string()) && seen.contains(&"archive_read".to_string()),
        "{seen:?}"
    );
}

#[tokio::test]
async fn a_request_not_archived_leaves_no_record() {
    let hub = start().await;
    released(&hub, false).await;
    assert!(hub
        .department("gov_ts")
        .archives()
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn only_the_department_that_asked_reads_its_record_and_only_while_it_is_kept() {
    let hub = start().await;
    released(&hub, true).await;
    let id = hub.department("gov_ts").archives().await.unwrap()[0]
        .archive_id
        .clone();
    let police = hub.department("police");
    assert!(police.archives().await.unwrap().is_empty());
    assert_eq!(code_of(police.archive(&id).await.unwrap_err()), "not_found");
    hub.clock.advance(10 * YEAR + 30 * 86_400);
    let centre = hub.department("gov_ts");
    assert!(centre.archives().await.unwrap().is_empty());
    assert_eq!(code_of(centre.archive(&id).await.unwrap_err()), "not_found");
}

#[tokio::test]
async fn the_catalogue_sets_the_retention_period() {
    let hub = start().await;
    hub.import_catalogue(|f| {
        let m = f
            .matters
            .iter_mut()
            .find(|m| m.code == "general_counter_service")
            .unwrap();
        m.retention_years = 30;
    })
    .await
    .unwrap();
    released(&hub, true).await;
    let s = &hub.department("gov_ts").archives().await.unwrap()[0];
    let years = (s.keep_until - s.created_at) as f64 / YEAR as f64;
    assert!((29.9..30.1).contains(&years), "{years}");
}
