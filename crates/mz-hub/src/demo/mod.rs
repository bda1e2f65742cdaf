//! `mz-hub demo`: a demo region (咸宁市 and its counties 通山, 赤壁…) with the registers,
//! departments, terminals and certificates of every seed scenario. Idempotent.
//!
//! All people and enterprises here are fictional; their identifiers are generated to be valid.

use crate::admin::{self, date, DepartmentKeys, Person};
use crate::auth::DeptCaller;
use crate::error::HubResult;
use crate::service::dept::issue_certificate;
use crate::store::{self, registers};
use crate::{AppState, Db};
use chrono::{Datelike, NaiveDate};
use mz_core::catalogue;
use mz_core::cert::{CertificateBody, HolderIdType};
use mz_core::ids::{IdNumber, LicenseId, RegionCode, Uscc};
use std::collections::BTreeMap;

mod proof_records;
mod province;
mod tables;
pub use proof_records::*;
pub use province::*;
use tables::*;

pub const DEMO_REGION: &str = "421200";
pub const DEMO_NAME: &str = "咸宁市电子证照系统 (demo)";

pub struct DemoPerson {
    pub key: &'static str,
    pub name: &'static str,
    pub id: IdNumber,
    pub address: &'static str,
}

pub fn dept_code(key: &str) -> Uscc {
    let (_, _, region, org) = DEPARTMENTS
        .iter()
        .find(|d| d.0 == key)
        .expect("known department");
    Uscc::from_parts("11", &RegionCode::parse(region).expect("valid"), org)
        .expect("valid demo USCC")
}

pub fn people() -> Vec<DemoPerson> {
    PEOPLE
        .iter()
        .map(|(key, name, area, (y, m, d), seq, address)| DemoPerson {
            key,
            name,
            id: IdNumber::from_parts(
                &RegionCode::parse(area).expect("valid"),
                date(*y, *m, *d),
                *seq,
            )
            .expect("valid demo id"),
            address,
        })
        .collect()
}

pub fn person(key: &str) -> DemoPerson {
    people()
        .into_iter()
        .find(|p| p.key == key)
        .expect("known demo person")
}

pub fn enterprise_code(key: &str) -> Uscc {
    let e = ENTERPRISES
        .iter()
        .find(|e| e.0 == key)
        .expect("known enterprise");
    Uscc::from_parts(e.2, &RegionCode::parse(e.3).expect("valid"), e.4).expect("valid demo USCC")
}

pub struct DemoSummary {
    pub already_seeded: bool,
    pub department_keys: Vec<(String, DepartmentKeys)>,
    /// (terminal key, kind, name, terminal id, enrolment code)
    pub terminals: Vec<(String, String, String, String, String)>,
}

/// The hub setting that says the demo data is in (when, as text).
const DEMO_SEEDED: &str = "demo_seeded";

/// Seed the demo region into `db` (no-op if it is already there).
pub async fn seed(db: &Db, now: i64, key_file: &std::path::Path) -> HubResult<DemoSummary> {
    let meta = admin::init_hub(db, &RegionCode::parse(DEMO_REGION)?, DEMO_NAME, key_file).await?;
    let seeded = registers::hub_meta_value(db, DEMO_SEEDED).await?;
    if seeded.is_some() {
        seed_photos(db, now).await?;
        return Ok(DemoSummary {
            already_seeded: true,
            department_keys: vec![],
            terminals: vec![],
        });
    }
    drop(meta);
    let people = people();
    for p in &people {
        admin::add_person(
            db,
            &Person {
                id: &p.id,
                name: p.name,
                address: p.address,
            },
        )
        .await?;
    }
    let id = |k: &str| {
        people
            .iter()
            .find(|p| p.key == k)
            .expect("person")
            .id
            .clone()
    };
    admin::add_relation(db, &id("zhang_wei"), &id("li_na"), "配偶").await?;
    admin::add_relation(db, &id("zhang_wei"), &id("wang_xiuying"), "母亲").await?;
    admin::add_relation(db, &id("zhang_wei"), &id("zhang_xiaoming"), "儿子").await?;
    admin::add_relation(db, &id("li_na"), &id("zhang_xiaoming"), "儿子").await?;
    for e in ENTERPRISES {
        admin::add_enterprise(db, &enterprise_code(e.0), e.1, &id(e.5), e.6).await?;
    }
    let mut department_keys = Vec::new();
    for (key, name, region, _) in DEPARTMENTS {
        // 市场监管 seals with SM2/SM3 (国密), the others with P-256: the demo shows both.
        let alg = if *key == SM2_DEPARTMENT {
            mz_core::crypto::SigAlg::Sm2Sm3
        } else {
            mz_core::crypto::SigAlg::Es256
        };
        let keys = admin::add_department(
            db,
            &dept_code(key),
            name,
            &RegionCode::parse(region)?,
            alg,
            now,
        )
        .await?;
        department_keys.push((key.to_string(), keys));
    }
    // The demo's catalogue names these departments: which matters they handle, which types
    // they issue (catalogue/demo.json).
    crate::catalogue::import(db, catalogue::DEMO_JSON, now).await?;
    let mut terminals = Vec::new();
    for (key, kind, name, place, dept) in TERMINALS {
        let t = admin::add_terminal(db, kind, name, place, &dept_code(dept), now).await?;
        terminals.push((
            key.to_string(),
            kind.to_string(),
            name.to_string(),
            t.id,
            t.enrolment_code,
        ));
    }
    let hub_key = admin::load_hub_key(db, key_file).await?;
    let state =
        AppState::load(db.clone(), std::sync::Arc::new(crate::SystemClock), hub_key).await?;
    let today = today_in(now);
    let mut serial = 0u32;
    let mut issue = |dept: &'static str,
                     type_code: &'static str,
                     holder: String,
                     holder_name: String,
                     face: Vec<(&str, String)>,
                     years: Option<i32>| {
        serial += 1;
        let keys = &department_keys
            .iter()
            .find(|(k, _)| k == dept)
            .expect("dept keys")
            .1;
        let t = catalogue::Catalogue::demo()
            .cert_type(type_code)
            .expect("catalogue type");
        let issuer = dept_code(dept);
        let number = format!("{}{:06}", &issuer.as_str()[2..8], serial);
        let from = today - chrono::Duration::days(400 + i64::from(serial) * 17);
        let body = CertificateBody {
            license_id: LicenseId::new(&t.type_code(), &issuer, &format!("{serial:08}"), 1)
                .expect("valid"),
            name: t.name.clone(),
            type_code: t.code.clone(),
            number,
            issuer_name: DEPARTMENTS
                .iter()
                .find(|d| d.0 == dept)
                .expect("dept")
                .1
                .into(),
            issuer_code: issuer.clone(),
            issue_date: from,
            holder_code_type: if holder.len() == 18 && IdNumber::parse(&holder).is_ok() {
                HolderIdType::IdNumber
            } else {
                HolderIdType::Uscc
            },
            holder_code: holder,
            holder_name,
            valid_from: from,
            valid_to: years.map(|y| {
                from.with_year(from.year() + y)
                    .unwrap_or(from + chrono::Duration::days(365 * y as i64))
            }),
            face: face
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<BTreeMap<_, _>>(),
            disclosable: t.disclosable,
        };
        let cert = body.seal(&keys.seal).expect("seal");
        (
            DeptCaller {
                code: issuer.to_string(),
                name: String::new(),
                region: String::new(),
                console: None,
            },
            cert,
        )
    };
    let mut certs = Vec::new();
    for p in &people {
        let birth = p.id.birth_date().format("%Y年%m月%d日").to_string();
        let gender = if p.id.is_male() { "男" } else { "女" };
        certs.push(issue(
            "police",
            "id_card",
            p.id.to_string(),
            p.name.into(),
            vec![
                ("姓名", p.name.into()),
                ("性别", gender.into()),
                ("民族", "汉".into()),
                ("出生", birth),
                ("住址", p.address.into()),
                ("公民身份号码", p.id.to_string()),
                ("签发机关", "咸宁市公安局".into()),
            ],
            Some(20),
        ));
        certs.push(issue(
            "police",
            "household_register",
            p.id.to_string(),
            p.name.into(),
            vec![
                ("姓名", p.name.into()),
                ("住址", p.address.into()),
                ("公民身份号码", p.id.to_string()),
                (
                    "户号",
                    format!(
                        "{}",
                        420_000 + p.id.as_str()[14..17].parse::<u32>().unwrap_or(0)
                    ),
                ),
            ],
            None,
        ));
    }
    let (zw, ln) = (person("zhang_wei"), person("li_na"));
    let marriage = |a: &DemoPerson, b: &DemoPerson| {
        vec![
            ("持证人", a.name.to_string()),
            ("登记日期", "2012年10月01日".into()),
            ("姓名", a.name.into()),
            ("公民身份号码", a.id.to_string()),
            ("配偶姓名", b.name.into()),
            ("配偶公民身份号码", b.id.to_string()),
        ]
    };
    certs.push(issue(
        "civil_ts",
        "marriage_cert",
        zw.id.to_string(),
        zw.name.into(),
        marriage(&zw, &ln),
        None,
    ));
    certs.push(issue(
        "civil_ts",
        "marriage_cert",
        ln.id.to_string(),
        ln.name.into(),
        marriage(&ln, &zw),
        None,
    ));
    certs.push(issue(
        "land",
        "property_cert",
        zw.id.to_string(),
        zw.name.into(),
        vec![
            ("权利人", "张伟、李娜".into()),
            ("坐落", zw.address.into()),
            ("不动产单元号", "421224001001GB00018F00010001".into()),
            ("用途", "住宅".into()),
            ("面积", "118.6㎡".into()),
            ("共有情况", "共同共有".into()),
        ],
        None,
    ));
    for k in [
        "zhang_wei",
        "li_na",
        "wang_xiuying",
        "liu_guilan",
        "chen_jianguo",
        "zhao_min",
        "wu_fang",
        "he_li",
    ] {
        let p = person(k);
        certs.push(issue(
            "hrss",
            "social_security_card",
            p.id.to_string(),
            p.name.into(),
            vec![
                ("姓名", p.name.into()),
                ("社会保障号码", p.id.to_string()),
                ("卡号", format!("H{}", &p.id.as_str()[10..18])),
            ],
            Some(10),
        ));
        certs.push(issue(
            "medical",
            "medical_insurance",
            p.id.to_string(),
            p.name.into(),
            vec![
                ("姓名", p.name.into()),
                ("参保地", "咸宁市".into()),
                ("险种类型", "职工基本医疗保险".into()),
            ],
            None,
        ));
    }
    certs.push(issue(
        "police",
        "driving_licence",
        zw.id.to_string(),
        zw.name.into(),
        vec![
            ("姓名", zw.name.into()),
            ("性别", "男".into()),
            ("准驾车型", "C1".into()),
            ("初次领证日期", "2008-05-20".into()),
        ],
        Some(6),
    ));
    certs.push(issue(
        "police",
        "vehicle_licence",
        zw.id.to_string(),
        zw.name.into(),
        vec![
            ("号牌号码", "鄂L·A2B36".into()),
            ("车辆类型", "小型轿车".into()),
            ("所有人", zw.name.into()),
            ("品牌型号", "东风日产".into()),
        ],
        None,
    ));
    let cj = person("chen_jianguo");
    certs.push(issue(
        "market",
        "special_equipment_operator",
        cj.id.to_string(),
        cj.name.into(),
        vec![
            ("姓名", cj.name.into()),
            ("作业项目", "Q2 起重机司机".into()),
            ("发证机关", "咸宁市市场监督管理局".into()),
        ],
        Some(4),
    ));
    let hl = person("he_li");
    certs.push(issue(
        "housing",
        "construction_special_operator",
        hl.id.to_string(),
        hl.name.into(),
        vec![
            ("姓名", hl.name.into()),
            ("操作类别", "建筑起重信号司索工".into()),
        ],
        Some(6),
    ));
    let wf = person("wu_fang");
    certs.push(issue(
        "hrss",
        "employment_cert",
        wf.id.to_string(),
        wf.name.into(),
        vec![("姓名", wf.name.into()), ("就业状态", "自主创业".into())],
        None,
    ));
    let xm = person("zhang_xiaoming");
    certs.push(issue(
        "health",
        "birth_medical_cert",
        xm.id.to_string(),
        xm.name.into(),
        vec![
            ("新生儿姓名", xm.name.into()),
            ("出生日期", xm.id.birth_date().to_string()),
            ("母亲姓名", ln.name.into()),
            ("父亲姓名", zw.name.into()),
        ],
        None,
    ));
    for e in ENTERPRISES {
        let code = enterprise_code(e.0);
        let rep = person(e.5);
        certs.push(issue(
            "market",
            "business_licence",
            code.to_string(),
            e.1.into(),
            vec![
                ("名称", e.1.into()),
                ("统一社会信用代码", code.to_string()),
                (
                    "类型",
                    if e.2 == "92" {
                        "个体工商户"
                    } else {
                        "有限责任公司"
                    }
                    .into(),
                ),
                ("法定代表人", rep.name.into()),
                ("住所", e.6.into()),
                ("成立日期", "2016-04-23".into()),
            ],
            None,
        ));
    }
    let (xd, ly, bm) = (
        enterprise_code("xinda"),
        enterprise_code("lvyuan"),
        enterprise_code("bianmin"),
    );
    certs.push(issue(
        "ecology",
        "pollutant_permit",
        ly.to_string(),
        "赤壁市绿源化工有限公司".into(),
        vec![
            ("单位名称", "赤壁市绿源化工有限公司".into()),
            ("行业类别", "化学原料和化学制品制造业".into()),
            (
                "生产经营场所地址",
                "湖北省赤壁市赤壁经济开发区化工园2号".into(),
            ),
        ],
        Some(5),
    ));
    certs.push(issue(
        "housing",
        "construction_permit",
        xd.to_string(),
        "咸宁市鑫达建筑工程有限公司".into(),
        vec![
            ("建设单位", "咸宁市鑫达建筑工程有限公司".into()),
            ("工程名称", "温泉花园二期".into()),
            ("建设地址", "咸安区温泉路".into()),
        ],
        Some(3),
    ));
    certs.push(issue(
        "land",
        "land_use_planning_permit",
        xd.to_string(),
        "咸宁市鑫达建筑工程有限公司".into(),
        vec![
            ("用地单位", "咸宁市鑫达建筑工程有限公司".into()),
            ("用地项目名称", "温泉花园二期".into()),
            ("用地面积", "23000㎡".into()),
        ],
        None,
    ));
    certs.push(issue(
        "ndrc",
        "project_approval",
        xd.to_string(),
        "咸宁市鑫达建筑工程有限公司".into(),
        vec![
            ("项目名称", "温泉花园二期".into()),
            ("批准文号", "咸发改审批〔2025〕88号".into()),
        ],
        None,
    ));
    certs.push(issue(
        "transport",
        "trade_operating_licence",
        bm.to_string(),
        "通山县吴芳便民超市".into(),
        vec![
            ("名称", "通山县吴芳便民超市".into()),
            ("许可范围", "预包装食品销售".into()),
        ],
        Some(5),
    ));
    for (dept, cert) in certs {
        issue_certificate(&state, &dept, cert, None).await?;
    }
    seed_photos(db, now).await?;
    // 郑国平 already receives the old-age allowance: a second application is refused.
    let zg = person("zheng_guoping");
    let civil = dept_code("civil_ts");
    let (id, at) = (crate::store::new_id(), now - 200 * 86_400);
    store::face::record_filed(
        db,
        &id,
        "elderly_allowance",
        zg.id.as_str(),
        civil.as_str(),
        at,
    )
    .await?;
    let mut tx = db.begin_write().await?;
    registers::insert_hub_meta(&mut tx, DEMO_SEEDED, now.to_string().as_bytes()).await?;
    tx.commit().await?;
    Ok(DemoSummary {
        already_seeded: false,
        department_keys,
        terminals,
    })
}

/// Reference photos for the demo register, from the offline test photos fetched by
/// scripts/fetch-face-data.sh (`MZ_FACE_PHOTOS`); skipped when they are not there. The
/// people are fictional; the photos are public test photos of real people, used only so the
/// face check has something to compare with.
pub const DEMO_PHOTOS: &[(&str, &str)] =
    &[("wang_xiuying", "obama3.jpg"), ("liu_guilan", "biden.jpg")];

pub fn photos_dir() -> std::path::PathBuf {
    std::env::var_os("MZ_FACE_PHOTOS")
        .map(Into::into)
        .unwrap_or_else(|| {
            std::path::Path::new(&std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/mianzheng/face/photos")
        })
}

async fn seed_photos(db: &Db, now: i64) -> HubResult<()> {
    let dir = photos_dir();
    for (key, file) in DEMO_PHOTOS {
        let p = person(key);
        if registers::has_photo(db, p.id.as_str()).await? {
            continue;
        }
        if let Ok(bytes) = std::fs::read(dir.join(file)) {
            admin::set_person_photo(db, &p.id, &bytes, None, now).await?;
        }
    }
    Ok(())
}

/// Fictional demo identities, for the demo's README page (never logged).
pub fn identities_text() -> String {
    let mut out = String::from("# Demo population register (fictional people; valid identifiers)\n# key\tname\tID number\tbirth date\n");
    for p in people() {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            p.key,
            p.name,
            p.id,
            p.id.birth_date()
        ));
    }
    out
}

pub fn today_in(now: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp(now, 0)
        .expect("in range")
        .with_timezone(&crate::chrono_tz_offset())
        .date_naive()
}

/// A demo hub serving on a loopback port chosen by the OS, with a manual clock: what the
/// integration tests and the benchmark run against.
pub struct Running {
    pub state: AppState,
    pub base: String,
    pub clock: std::sync::Arc<crate::ManualClock>,
    pub summary: DemoSummary,
}

pub async fn serve_on_loopback(db: Db, now: i64) -> HubResult<Running> {
    // The hub's key file, apart from its database (tests: one per hub, in the temp directory).
    let key_file = std::env::temp_dir().join(format!("mz-hub-{}.key", crate::store::new_id()));
    let summary = seed(&db, now, &key_file).await?;
    let hub_key = admin::load_hub_key(&db, &key_file).await?;
    let _ = std::fs::remove_file(&key_file);
    let clock = crate::ManualClock::new(now);
    let state = AppState::load(db, clock.clone(), hub_key).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| crate::HubError::Internal(e.to_string()))?;
    let base = format!(
        "http://{}",
        listener
            .local_addr()
            .map_err(|e| crate::HubError::Internal(e.to_string()))?
    );
    tokio::spawn(crate::serve(listener, state.clone()));
    Ok(Running {
        state,
        base,
        clock,
        summary,
    })
}
