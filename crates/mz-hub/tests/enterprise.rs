//! An enterprise presents itself (营业执照亮证, seed 002): its legal representative shows one of
//! the enterprise's certificates from their wallet; the counter's request goes to them, and the
//! release names the enterprise. Someone who does not represent it cannot show it.

mod common;

use common::*;
use mz_core::codes::Scope;

#[tokio::test]
async fn a_legal_representative_shows_the_enterprise_licence() {
    let hub = start().await;
    let rep = hub.holder("wu_fang").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    // Her wallet lists the shop's licence with the number and ordinal its code carries.
    let cards = rep.certificates().await.unwrap();
    let licence = cards
        .iter()
        .find(|c| c.certificate.body.type_code == "trade_operating_licence")
        .unwrap();
    let uscc = licence.certificate.body.holder_code.clone();
    let scope = Scope::Certificate {
        cert_type: licence.type_no,
        ordinal: licence.ordinal,
    };
    let red = counter
        .redeem(&hub.code(&rep, scope.clone()).await)
        .await
        .unwrap();
    assert_eq!(red.subject_name_masked, "通山县吴芳便民超市");
    let shown: Vec<_> = red.available.iter().map(|a| a.type_code.as_str()).collect();
    assert_eq!(shown, ["trade_operating_licence"]);
    let asked = ask(
        &counter,
        &red.redemption_id,
        "startup_guarantee_loan",
        &["trade_operating_licence"],
    )
    .await
    .unwrap();
    // The code shows that one licence only.
    let code = hub.code(&rep, scope).await;
    let again = counter.redeem(&code).await.unwrap();
    let outside = ask(
        &counter,
        &again.redemption_id,
        "startup_guarantee_loan",
        &["business_licence"],
    )
    .await;
    assert_eq!(code_of(outside.unwrap_err()), "outside_code");
    rep.decide(&asked.request_id, &["trade_operating_licence"])
        .await
        .unwrap();
    let released = counter.release(&asked.request_id).await.unwrap();
    assert_eq!(released.subject.code, uscc);
    assert_eq!(released.certificates.len(), 1);
    assert_eq!(released.certificates[0].certificate.body.holder_code, uscc);
}

/// 李娜 represents no enterprise: a code of hers for an enterprise type names nothing, and one
/// past the last of 吴芳's enterprises' licences names nothing either.
#[tokio::test]
async fn nobody_else_shows_an_enterprise_certificate() {
    let hub = start().await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let licence = mz_core::catalogue::Catalogue::demo()
        .cert_type("business_licence")
        .unwrap()
        .no;
    let redemptions = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM redemptions")
            .fetch_one(&hub.db.read)
            .await
            .unwrap()
    };
    let before = redemptions().await;
    for (who, ordinal) in [("li_na", 0), ("wu_fang", 1)] {
        let holder = hub.holder(who).await;
        let scope = Scope::Certificate {
            cert_type: licence,
            ordinal,
        };
        let e = counter
            .redeem(&hub.code(&holder, scope).await)
            .await
            .unwrap_err();
        assert_eq!(code_of(e), "not_found", "{who}");
    }
    assert_eq!(redemptions().await, before, "no redemption was recorded");
}
