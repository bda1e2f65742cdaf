//! The demo province: 湖北省's hub linked to the demo region's and to 武汉市's, with a 武汉 counter.

use crate::admin;
use crate::error::HubResult;
use crate::store::registers;
use crate::Db;
use mz_core::ids::{RegionCode, Uscc};

/// The province around the demo region, for federation: 湖北省's hub (the demo region's
/// parent) and 武汉市's hub (another child) with a counter of a 武汉 medical-insurance office.
pub const PROVINCE: (&str, &str) = ("420000", "湖北省电子证照系统 (demo)");
pub const OTHER_CITY: (&str, &str) = ("420100", "武汉市电子证照系统 (demo)");

/// What [`seed_province`] made the first time: the 武汉 counter's (id, enrolment code).
pub struct ProvinceSummary {
    pub counter: Option<(String, String)>,
}

/// One hub of the demo province: its database and the URL it serves at.
pub struct ProvinceHub<'a> {
    pub db: &'a Db,
    pub url: &'a str,
    /// Its checkpoint key file (made with the hub).
    pub key_file: &'a std::path::Path,
}

/// Link the demo region's hub (`city`, seeded by [`seed`]) to 湖北省's hub and through it to
/// 武汉市's, as the three operators would (each registers the others' keys), and give 武汉 a
/// counter. Idempotent; a run with other URLs moves the links to them.
pub async fn seed_province(
    city: ProvinceHub<'_>,
    province: ProvinceHub<'_>,
    other: ProvinceHub<'_>,
    now: i64,
) -> HubResult<ProvinceSummary> {
    let city_meta = admin::hub_meta(city.db)
        .await?
        .ok_or_else(|| crate::HubError::Internal("seed the demo region first".into()))?;
    let province_region = RegionCode::parse(PROVINCE.0)?;
    let province_meta =
        admin::init_hub(province.db, &province_region, PROVINCE.1, province.key_file).await?;
    let other_region = RegionCode::parse(OTHER_CITY.0)?;
    let other_meta = admin::init_hub(other.db, &other_region, OTHER_CITY.1, other.key_file).await?;
    crate::catalogue::import(province.db, &demo_catalogue_for(&[]), now).await?;
    for (child, child_meta) in [(&city, &city_meta), (&other, &other_meta)] {
        for (db, own, role, peer, peer_meta) in [
            (province.db, &province_meta, "child", child, child_meta),
            (child.db, child_meta, "parent", &province, &province_meta),
        ] {
            let known = crate::service::federation::peers(db)
                .await?
                .into_iter()
                .find(|p| p.region == peer_meta.region);
            match known {
                Some(p) if p.url == peer.url.trim_end_matches('/') => {}
                Some(_) => {
                    crate::service::federation::set_peer_url(db, &peer_meta.region, peer.url, now)
                        .await?
                }
                None => {
                    crate::service::federation::add_peer(
                        db,
                        &own.region,
                        role,
                        &peer_meta.region,
                        &peer_meta.name,
                        peer.url,
                        peer_meta.public_key.as_ref().ok_or_else(|| {
                            crate::HubError::Internal("a demo hub without its public key".into())
                        })?,
                        now,
                    )
                    .await?
                }
            }
        }
    }
    let area = RegionCode::parse("420102")?;
    let dept = Uscc::from_parts("11", &area, "01000099")?;
    if registers::department_region(other.db, dept.as_str())
        .await?
        .is_some()
    {
        return Ok(ProvinceSummary { counter: None });
    }
    admin::add_department(
        other.db,
        &dept,
        "武汉市江岸区医疗保障局",
        &area,
        mz_core::crypto::SigAlg::Es256,
        now,
    )
    .await?;
    let matters = ["pharmacy_settlement", "resident_medical_insurance"];
    crate::catalogue::import(other.db, &demo_catalogue_for(&[(&dept, &matters)]), now).await?;
    let t = admin::add_terminal(
        other.db,
        "counter",
        "江岸区医保服务大厅 2号窗口",
        "湖北省武汉市江岸区",
        &dept,
        now,
    )
    .await?;
    Ok(ProvinceSummary {
        counter: Some((t.id, t.enrolment_code)),
    })
}

/// The demo's catalogue as another hub of the province loads it: the same types and matters
/// (the province's common catalogue), with its own departments handling the matters given and
/// issuing nothing.
pub fn demo_catalogue_for(handlers: &[(&Uscc, &[&str])]) -> String {
    let mut f = mz_core::catalogue::Catalogue::demo().file().clone();
    for t in &mut f.cert_types {
        t.issued_by.clear();
    }
    for m in &mut f.matters {
        // Nobody here issues anything, so no matter here gives a proof.
        m.issues = None;
        m.handled_by = handlers
            .iter()
            .filter(|(_, matters)| matters.contains(&m.code.as_str()))
            .map(|(dept, _)| dept.to_string())
            .collect();
    }
    serde_json::to_string(&f).expect("plain data serialises")
}
