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

/// 吴芳 represents two enterprises, each with its 营业执照: her wallet lists both, and the code
/// of each card (type and ordinal) names that card's enterprise, not the other's.
#[tokio::test]
async fn a_representative_of_two_enterprises_shows_each_by_its_own_code() {
    let hub = start().await;
    let rep_id = mz_hub::demo::person("wu_fang").id;
    let region = mz_core::ids::RegionCode::parse("421224").unwrap();
    let second = mz_core::ids::Uscc::from_parts("92", &region, "L3T5N8Q2").unwrap();
    let name = "通山县吴芳农家乐";
    mz_hub::admin::add_enterprise(&hub.db, &second, name, &rep_id, "湖北省通山县九宫山镇")
        .await
        .unwrap();
    let licence = business_licence(&hub, &second, name);
    hub.department("market").issue(licence).await.unwrap();

    let rep = hub.holder("wu_fang").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let cards: Vec<_> = rep
        .certificates()
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.certificate.body.type_code == "business_licence")
        .collect();
    let mut ordinals: Vec<u8> = cards.iter().map(|c| c.ordinal).collect();
    ordinals.sort();
    assert_eq!(ordinals, [0, 1], "one ordinal each");
    for card in &cards {
        let scope = Scope::Certificate {
            cert_type: card.type_no,
            ordinal: card.ordinal,
        };
        let red = counter.redeem(&hub.code(&rep, scope).await).await.unwrap();
        assert_eq!(red.subject_name_masked, card.certificate.body.holder_name);
    }
    let names: Vec<&str> = cards
        .iter()
        .map(|c| c.certificate.body.holder_name.as_str())
        .collect();
    assert!(
        names.contains(&name) && names.contains(&"通山县吴芳便民超市"),
        "{names:?}"
    );
}

/// A 营业执照 for `uscc`, sealed by the demo's 市场监管局 (SM2/SM3).
fn business_licence(
    hub: &Hub,
    uscc: &mz_core::ids::Uscc,
    name: &str,
) -> mz_core::cert::Certificate {
    let catalogue = mz_core::catalogue::Catalogue::demo();
    let t = catalogue.cert_type("business_licence").unwrap();
    let issuer = mz_hub::demo::dept_code("market");
    let day = hub.state.today();
    let face = [
        ("名称", name),
        ("统一社会信用代码", uscc.as_str()),
        ("类型", "个体工商户"),
        ("法定代表人", "吴芳"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    mz_core::cert::CertificateBody {
        license_id: mz_core::ids::LicenseId::new(&t.type_code(), &issuer, "SECOND0001", 1).unwrap(),
        name: t.name.clone(),
        type_code: t.code.clone(),
        number: "421224600123456".into(),
        issuer_name: "咸宁市市场监督管理局".into(),
        issuer_code: issuer,
        issue_date: day,
        holder_code_type: mz_core::cert::HolderIdType::Uscc,
        holder_code: uscc.to_string(),
        holder_name: name.into(),
        valid_from: day,
        valid_to: None,
        face,
        disclosable: t.disclosable,
    }
    .seal(&hub.depts["market"].seal)
    .unwrap()
}
