//! The records the demo departments' proof desks (`mz-desk`) answer from: 自然资源和规划局's
//! property register for 家庭房查证明, 人社局's insurance records for 社会保险参保证明. A
//! department keeps these in its own systems; the hub never sees them.

use super::person;
use serde_json::{json, Map, Value};

/// The records of the demo department `dept` (`land`, `hrss`) in `mz-desk`'s register format,
/// or none for a department without a proof desk.
pub fn proof_register(dept: &str) -> Option<String> {
    let proofs = match dept {
        "land" => json!({ "property_record_proof": property_records() }),
        "hrss" => json!({
            "insurance_record_proof": insurance_records(),
            "insurance_rights_record": rights_records(),
        }),
        _ => return None,
    };
    let register = json!({ "format": "mianzheng-register/1", "proofs": proofs });
    Some(serde_json::to_string_pretty(&register).expect("plain JSON"))
}

/// The departments with a proof desk in the demo.
pub const PROOF_DESKS: &[&str] = &["land", "hrss"];

/// 张伟 and 李娜 own their home together; nobody else in the demo owns property here, which is
/// a proof too (登记房产套数 0).
fn property_records() -> Value {
    let owners = ["zhang_wei", "li_na"].map(person);
    let records: Map<String, Value> = owners
        .iter()
        .map(|p| {
            let fields = json!({ "登记房产套数": "1", "房产坐落": p.address });
            (p.id.to_string(), fields)
        })
        .collect();
    json!({
        "valid_days": 30,
        "common": { "查询范围": "咸宁市（含通山县、赤壁市）不动产登记簿" },
        "records": records,
        "when_absent": { "登记房产套数": "0", "房产坐落": "无" },
    })
}

/// The insured among the demo people: (key, insured since, months paid, employer).
const INSURED: [(&str, &str, &str, &str); 6] = [
    ("zhang_wei", "2008年07月", "206", "通山县通羊镇人民政府"),
    ("li_na", "2010年03月", "181", "通山县人民医院"),
    ("wu_fang", "2016年09月", "111", "咸宁市鑫达建筑工程有限公司"),
    (
        "chen_jianguo",
        "2001年01月",
        "287",
        "赤壁市蒲纺集团有限公司",
    ),
    ("zhao_min", "2012年05月", "163", "咸宁市温泉宾馆"),
    ("he_li", "2019年04月", "80", "咸宁市鑫达建筑工程有限公司"),
];

/// 参保证明 for the insured; anyone else is refused (no record to prove).
fn insurance_records() -> Value {
    let records: Map<String, Value> = INSURED
        .iter()
        .map(|(key, from, months, unit)| {
            let fields = json!({ "参保起始": from, "累计缴费月数": months, "参保单位": unit });
            (person(key).id.to_string(), fields)
        })
        .collect();
    json!({
        "valid_days": 90,
        "common": {
            "参保险种": "企业职工基本养老保险、失业保险、工伤保险",
            "参保状态": "正常参保",
        },
        "records": records,
        "absent_reason": "本局无该人员的社会保险参保记录，请到人社窗口咨询",
    })
}

/// 个人权益记录单: each insured person's contributions to the end of last year; anyone else is
/// refused.
fn rights_records() -> Value {
    let records: Map<String, Value> = INSURED
        .iter()
        .map(|(key, _, months, _)| {
            let months: u32 = months.parse().expect("months are a number");
            // 8% of a 4,500 yuan base a month, for the demo.
            let account = format!("{:.2}元", f64::from(months) * 360.0);
            let fields = json!({
                "养老保险累计缴费月数": months.to_string(),
                "个人账户累计储存额": account,
                "医疗保险累计缴费月数": months.to_string(),
            });
            (person(key).id.to_string(), fields)
        })
        .collect();
    json!({
        "valid_days": 90,
        "common": { "记录期间": "参保起至上年末" },
        "records": records,
        "absent_reason": "本局无该人员的社会保险权益记录，请到人社窗口咨询",
    })
}
