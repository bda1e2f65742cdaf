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

pub const DEMO_REGION: &str = "421200";
pub const DEMO_NAME: &str = "咸宁市电子证照系统 (demo)";

pub struct DemoPerson {
    pub key: &'static str,
    pub name: &'static str,
    pub id: IdNumber,
    pub address: &'static str,
}

/// (key, name, area, birth y/m/d, sequence, address)
#[allow(clippy::type_complexity)]
const PEOPLE: &[(&str, &str, &str, (i32, u32, u32), u16, &str)] = &[
    (
        "zhang_wei",
        "张伟",
        "421224",
        (1985, 3, 15),
        17,
        "湖北省通山县通羊镇府前路18号",
    ),
    (
        "li_na",
        "李娜",
        "421224",
        (1987, 6, 2),
        26,
        "湖北省通山县通羊镇府前路18号",
    ),
    (
        "wang_xiuying",
        "王秀英",
        "421224",
        (1940, 5, 12),
        2,
        "湖北省通山县南林桥镇石门村3组",
    ),
    (
        "zhang_xiaoming",
        "张小明",
        "421224",
        (2015, 9, 1),
        31,
        "湖北省通山县通羊镇府前路18号",
    ),
    (
        "liu_guilan",
        "刘桂兰",
        "421281",
        (1943, 9, 30),
        44,
        "湖北省赤壁市蒲圻街道沿河大道7号",
    ),
    (
        "zheng_guoping",
        "郑国平",
        "421224",
        (1944, 2, 29),
        51,
        "湖北省通山县大畈镇西泉村",
    ),
    (
        "chen_jianguo",
        "陈建国",
        "421281",
        (1975, 11, 11),
        13,
        "湖北省赤壁市赤马港街道金三角路2号",
    ),
    (
        "zhao_min",
        "赵敏",
        "421202",
        (1990, 1, 20),
        48,
        "湖北省咸宁市咸安区温泉路66号",
    ),
    (
        "sun_qiang",
        "孙强",
        "421223",
        (1968, 7, 7),
        15,
        "湖北省崇阳县天城镇环城路9号",
    ),
    (
        "zhou_jie",
        "周杰",
        "421281",
        (1982, 12, 1),
        37,
        "湖北省赤壁市陆水湖街道陆水路21号",
    ),
    (
        "wu_fang",
        "吴芳",
        "421224",
        (1995, 4, 18),
        62,
        "湖北省通山县通羊镇九宫大道5号",
    ),
    (
        "he_li",
        "何丽",
        "421202",
        (1979, 3, 3),
        24,
        "湖北省咸宁市咸安区银泉大道100号",
    ),
];

/// (key, name, dept/type chars, region, organisation body, legal rep, address)
const ENTERPRISES: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "xinda",
        "咸宁市鑫达建筑工程有限公司",
        "91",
        "421202",
        "MA4KXD01",
        "sun_qiang",
        "湖北省咸宁市咸安区长江产业园8号",
    ),
    (
        "lvyuan",
        "赤壁市绿源化工有限公司",
        "91",
        "421281",
        "MA4LY002",
        "zhou_jie",
        "湖北省赤壁市赤壁经济开发区化工园2号",
    ),
    (
        "bianmin",
        "通山县吴芳便民超市",
        "92",
        "421224",
        "L3T5N8Q1",
        "wu_fang",
        "湖北省通山县通羊镇九宫大道5号",
    ),
    (
        "repair",
        "通山县张伟家电维修部",
        "92",
        "421224",
        "L3WK7X2P",
        "zhang_wei",
        "湖北省通山县通羊镇府前路20号",
    ),
];

/// The demo department whose seals are SM2/SM3 (business licences and other 市场监管 certificates).
pub const SM2_DEPARTMENT: &str = "market";

/// (key, name, region, organisation body)
const DEPARTMENTS: &[(&str, &str, &str, &str)] = &[
    ("police", "咸宁市公安局", "421200", "01000001"),
    ("civil_ts", "通山县民政局", "421224", "01000002"),
    ("land", "咸宁市自然资源和规划局", "421200", "01000003"),
    ("hrss", "咸宁市人力资源和社会保障局", "421200", "01000004"),
    ("medical", "咸宁市医疗保障局", "421200", "01000005"),
    ("market", "咸宁市市场监督管理局", "421200", "01000006"),
    ("ecology", "咸宁市生态环境局", "421200", "01000007"),
    ("housing", "咸宁市住房和城乡建设局", "421200", "01000008"),
    ("ndrc", "咸宁市发展和改革委员会", "421200", "01000009"),
    ("health", "咸宁市卫生健康委员会", "421200", "01000010"),
    ("transport", "咸宁市交通运输局", "421200", "01000011"),
    (
        "gov_ts",
        "通山县政务服务和大数据管理局",
        "421224",
        "01000012",
    ),
    (
        "gov_cb",
        "赤壁市政务服务和大数据管理局",
        "421281",
        "01000013",
    ),
    ("fund", "咸宁市住房公积金中心", "421200", "01000014"),
];

/// Which demo departments handle which matters (the operator's data, M-2): a government
/// service centre's counters (综合窗口) take every matter; a specialised office takes its own.
const MATTER_HANDLERS: &[(&str, &[&str])] = &[
    (
        "fund",
        &[
            "housing_fund_withdrawal",
            "fund_withdrawal_second_hand_home",
        ],
    ),
    (
        "housing",
        &[
            "crane_use_registration",
            "constructor_registration",
            "construction_permit_application",
            "construction_worker_inspection",
        ],
    ),
    (
        "land",
        &["property_record_query", "property_transaction_check"],
    ),
    (
        "medical",
        &["pharmacy_settlement", "resident_medical_insurance"],
    ),
    (
        "hrss",
        &[
            "social_insurance_registration",
            "social_security_query",
            "job_expansion_subsidy",
        ],
    ),
    ("civil_ts", &["elderly_allowance"]),
];

/// The demo's government service centres: their counters and kiosks take every matter.
const SERVICE_CENTRES: &[&str] = &["gov_ts", "gov_cb"];

async fn seed_matter_handlers(db: &Db, now: i64) -> HubResult<()> {
    for centre in SERVICE_CENTRES {
        for m in catalogue::MATTERS {
            admin::allow_matter(db, &dept_code(centre), m.code, now).await?;
        }
    }
    for (dept, matters) in MATTER_HANDLERS {
        for m in *matters {
            admin::allow_matter(db, &dept_code(dept), m, now).await?;
        }
    }
    Ok(())
}

/// (key, kind, name, place, department)
const TERMINALS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "ts_counter",
        "counter",
        "通山县政务服务中心 综合受理3号窗口",
        "湖北省通山县通羊镇政务服务中心一楼",
        "gov_ts",
    ),
    (
        "ts_identity_desk",
        "counter",
        "通山县政务服务中心 身份核验窗口",
        "湖北省通山县通羊镇政务服务中心一楼",
        "gov_ts",
    ),
    (
        "ts_kiosk",
        "kiosk",
        "通山县24小时自助服务区 1号自助终端",
        "湖北省通山县政务服务中心24小时自助服务区",
        "gov_ts",
    ),
    (
        "ts_property_kiosk",
        "kiosk",
        "通山县不动产自助查询机",
        "湖北省通山县不动产登记中心大厅",
        "land",
    ),
    (
        "cb_counter",
        "counter",
        "赤壁市政务服务中心 5号窗口",
        "湖北省赤壁市政务服务中心二楼",
        "gov_cb",
    ),
    (
        "fund_counter",
        "counter",
        "咸宁市住房公积金中心 2号窗口",
        "湖北省咸宁市住房公积金中心营业大厅",
        "fund",
    ),
    (
        "housing_counter",
        "counter",
        "咸宁市住建局 建筑起重机械登记窗口",
        "湖北省咸宁市市民之家三楼",
        "housing",
    ),
];

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
    seed_matter_handlers(db, now).await?;
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
        let t = catalogue::cert_type(type_code).expect("catalogue type");
        let issuer = dept_code(dept);
        let number = format!("{}{:06}", &issuer.as_str()[2..8], serial);
        let from = today - chrono::Duration::days(400 + i64::from(serial) * 17);
        let body = CertificateBody {
            license_id: LicenseId::new(&t.type_code(), &issuer, &format!("{serial:08}"), 1)
                .expect("valid"),
            name: t.name.into(),
            type_code: t.code.into(),
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
        // Issuer authority: each demo department may issue the types it issues here.
        let code = Uscc::parse(&dept.code)?;
        admin::allow_issue(db, &code, &cert.body.type_code, now).await?;
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
    for m in ["pharmacy_settlement", "resident_medical_insurance"] {
        admin::allow_matter(other.db, &dept, m, now).await?;
    }
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
