//! The catalogue: certificate types (证照目录) and matters (事项) with their materials. Each
//! material names the certificate type that can replace it (免提交), if any.
//!
//! Covers every scenario in the seed documents (通山 000, 赤壁 001, 佛山 002, 昌乐 003,
//! 漯河 004); the `seed` field says where each matter comes from.

use crate::error::{CoreError, Result};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SubjectKind {
    Person,
    Enterprise,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CertType {
    /// Small number used inside codes.
    pub no: u16,
    /// Stable catalogue code.
    pub code: &'static str,
    /// 证照名称
    pub name: &'static str,
    pub name_en: &'static str,
    pub subject: SubjectKind,
    /// Face fields (照面信息) in display order.
    pub fields: &'static [&'static str],
    /// May be disclosed publicly (e.g. 排污许可证, 营业执照).
    pub disclosable: bool,
    /// Showing its show-code is itself the holder's consent to release it to the terminal
    /// that redeems the code (医保电子凭证 at a pharmacy: "免提交社保卡、免输入密码", seed 001):
    /// no second prompt; still audited and in the holder's records.
    pub shown_is_consent: bool,
}

impl CertType {
    /// The 21-character GB/T 36904 type code: the catalogue authority's code plus the number.
    pub fn type_code(&self) -> String {
        format!("{CATALOGUE_AUTHORITY}{:03}", self.no)
    }
}

/// 统一社会信用代码-shaped code of the national catalogue authority used in type codes.
pub const CATALOGUE_AUTHORITY: &str = "11100000000013338W";

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Material {
    pub name: &'static str,
    pub required: bool,
    /// The certificate type that replaces this material (免提交), by catalogue code.
    pub replaced_by: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Matter {
    pub code: &'static str,
    pub name: &'static str,
    pub name_en: &'static str,
    pub subject: SubjectKind,
    /// Offered on 24-hour self-service kiosks.
    pub self_service: bool,
    pub materials: &'static [Material],
    /// Which seed document it comes from.
    pub seed: &'static str,
}

impl Matter {
    /// Certificate types this matter may ask for.
    pub fn replaceable_types(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.materials.iter().filter_map(|m| m.replaced_by)
    }
    /// Refuse a request for any certificate the matter does not need.
    pub fn check_request(&self, wanted: &[&str]) -> Result<()> {
        for w in wanted {
            if !self.replaceable_types().any(|t| t == *w) {
                return Err(CoreError::NotNeededByMatter {
                    matter: self.code.into(),
                    cert_type: (*w).into(),
                });
            }
        }
        Ok(())
    }
}

macro_rules! ty {
    ($no:expr, $code:expr, $name:expr, $en:expr, $subj:ident, $disc:expr, [$($f:expr),*]) => {
        ty!($no, $code, $name, $en, $subj, $disc, [$($f),*], false)
    };
    ($no:expr, $code:expr, $name:expr, $en:expr, $subj:ident, $disc:expr, [$($f:expr),*], $consent:expr) => {
        CertType { no: $no, code: $code, name: $name, name_en: $en, subject: SubjectKind::$subj, fields: &[$($f),*], disclosable: $disc, shown_is_consent: $consent }
    };
}

pub static CERT_TYPES: &[CertType] = &[
    ty!(
        1,
        "id_card",
        "居民身份证",
        "Resident identity card",
        Person,
        false,
        [
            "姓名",
            "性别",
            "民族",
            "出生",
            "住址",
            "公民身份号码",
            "签发机关"
        ]
    ),
    ty!(
        2,
        "household_register",
        "居民户口簿",
        "Household register",
        Person,
        false,
        [
            "户主姓名",
            "户号",
            "住址",
            "姓名",
            "与户主关系",
            "公民身份号码"
        ]
    ),
    ty!(
        3,
        "marriage_cert",
        "结婚证",
        "Marriage certificate",
        Person,
        false,
        [
            "持证人",
            "登记日期",
            "结婚证字号",
            "姓名",
            "公民身份号码",
            "配偶姓名",
            "配偶公民身份号码"
        ]
    ),
    ty!(
        4,
        "driving_licence",
        "机动车驾驶证",
        "Driving licence",
        Person,
        false,
        ["姓名", "性别", "住址", "准驾车型", "初次领证日期"]
    ),
    ty!(
        5,
        "vehicle_licence",
        "机动车行驶证",
        "Vehicle licence",
        Person,
        false,
        ["号牌号码", "车辆类型", "所有人", "品牌型号", "注册日期"]
    ),
    ty!(
        6,
        "property_cert",
        "不动产权证书",
        "Real-estate title certificate",
        Person,
        false,
        ["权利人", "坐落", "不动产单元号", "用途", "面积", "共有情况"]
    ),
    ty!(
        7,
        "social_security_card",
        "社会保障卡",
        "Social security card",
        Person,
        false,
        ["姓名", "社会保障号码", "卡号", "发卡日期"]
    ),
    ty!(
        8,
        "medical_insurance",
        "医保电子凭证",
        "Medical insurance e-voucher",
        Person,
        false,
        ["姓名", "参保地", "险种类型"],
        true
    ),
    ty!(
        9,
        "business_licence",
        "营业执照",
        "Business licence",
        Enterprise,
        true,
        [
            "名称",
            "统一社会信用代码",
            "类型",
            "法定代表人",
            "注册资本",
            "成立日期",
            "住所",
            "经营范围"
        ]
    ),
    ty!(
        10,
        "special_equipment_operator",
        "特种设备作业人员证",
        "Special equipment operator certificate",
        Person,
        false,
        ["姓名", "作业项目", "证书编号", "发证机关"]
    ),
    ty!(
        11,
        "employment_cert",
        "就业创业证",
        "Employment and entrepreneurship certificate",
        Person,
        false,
        ["姓名", "就业状态", "证号"]
    ),
    ty!(
        12,
        "pollutant_permit",
        "排污许可证",
        "Pollutant discharge permit",
        Enterprise,
        true,
        [
            "单位名称",
            "注册地址",
            "行业类别",
            "生产经营场所地址",
            "有效期限"
        ]
    ),
    ty!(
        13,
        "construction_permit",
        "建筑工程施工许可证",
        "Construction permit",
        Enterprise,
        true,
        ["建设单位", "工程名称", "建设地址", "建设规模", "合同工期"]
    ),
    ty!(
        14,
        "land_use_planning_permit",
        "建设用地规划许可证",
        "Land-use planning permit",
        Enterprise,
        true,
        ["用地单位", "用地项目名称", "用地位置", "用地面积"]
    ),
    ty!(
        15,
        "project_approval",
        "立项批文",
        "Project approval",
        Enterprise,
        false,
        ["项目名称", "项目单位", "批准文号", "总投资"]
    ),
    ty!(
        16,
        "completion_filing",
        "竣工验收备案证",
        "Completion acceptance filing",
        Enterprise,
        false,
        ["工程名称", "建设单位", "备案编号"]
    ),
    ty!(
        17,
        "oversize_transport_permit",
        "超限运输车辆通行证",
        "Oversize transport permit",
        Person,
        false,
        ["车牌号", "通行路线", "通行期限"]
    ),
    ty!(
        18,
        "construction_special_operator",
        "建筑施工特种作业人员操作资格证书",
        "Construction special-operation qualification",
        Person,
        false,
        ["姓名", "操作类别", "证书编号"]
    ),
    ty!(
        19,
        "residence_permit",
        "居住证",
        "Residence permit",
        Person,
        false,
        ["姓名", "公民身份号码", "居住地址"]
    ),
    ty!(
        20,
        "birth_medical_cert",
        "出生医学证明",
        "Birth medical certificate",
        Person,
        false,
        ["新生儿姓名", "出生日期", "母亲姓名", "父亲姓名"]
    ),
    ty!(
        21,
        "trade_operating_licence",
        "行业经营许可证",
        "Trade operating licence",
        Enterprise,
        false,
        ["名称", "许可范围", "许可证编号"]
    ),
];

const fn m(name: &'static str, replaced_by: Option<&'static str>) -> Material {
    Material {
        name,
        required: true,
        replaced_by,
    }
}
const fn opt(name: &'static str, replaced_by: Option<&'static str>) -> Material {
    Material {
        name,
        required: false,
        replaced_by,
    }
}

pub static MATTERS: &[Matter] = &[
    Matter {
        code: "property_record_query",
        name: "家庭房查证明开具",
        name_en: "Household property record certificate",
        subject: SubjectKind::Person,
        self_service: true,
        seed: "000 通山 自助房查",
        materials: &[
            m("身份证", Some("id_card")),
            opt("结婚证", Some("marriage_cert")),
            opt("户口簿", Some("household_register")),
        ],
    },
    Matter {
        code: "housing_fund_withdrawal",
        name: "住房公积金提取",
        name_en: "Housing provident fund withdrawal",
        subject: SubjectKind::Person,
        self_service: true,
        seed: "000 通山 公积金自助提取; 001 赤壁 场景十",
        materials: &[
            m("身份证", Some("id_card")),
            opt("结婚证", Some("marriage_cert")),
            opt("不动产权证书", Some("property_cert")),
        ],
    },
    Matter {
        code: "elderly_allowance",
        name: "高龄津贴申请",
        name_en: "Old-age allowance application",
        subject: SubjectKind::Person,
        self_service: false,
        seed: "000 通山 高龄津贴",
        materials: &[
            m("身份证", Some("id_card")),
            m("户口簿", Some("household_register")),
        ],
    },
    Matter {
        code: "social_insurance_registration",
        name: "社会保险登记",
        name_en: "Social insurance registration",
        subject: SubjectKind::Person,
        self_service: true,
        seed: "001 赤壁 场景三 电子填单",
        materials: &[m("身份证", Some("id_card")), m("社会保险登记表", None)],
    },
    Matter {
        code: "resident_medical_insurance",
        name: "城乡居民基本医疗保险参保登记",
        name_en: "Resident medical insurance enrolment",
        subject: SubjectKind::Person,
        self_service: true,
        seed: "001 赤壁 场景三/七",
        materials: &[
            m("身份证", Some("id_card")),
            m("户口簿", Some("household_register")),
        ],
    },
    Matter {
        code: "locker_pickup",
        name: "综合收发件政务柜存取件",
        name_en: "Government locker drop-off and pick-up",
        subject: SubjectKind::Person,
        self_service: true,
        seed: "001 赤壁 场景四",
        materials: &[m("身份证", Some("id_card"))],
    },
    Matter {
        code: "pharmacy_settlement",
        name: "药店购药医保结算",
        name_en: "Pharmacy medical insurance settlement",
        subject: SubjectKind::Person,
        self_service: false,
        seed: "001 赤壁 场景一; 003 昌乐 跨市就医",
        materials: &[m("社会保障卡", Some("medical_insurance"))],
    },
    Matter {
        code: "social_security_query",
        name: "社保参保证明查询打印",
        name_en: "Social insurance record printout",
        subject: SubjectKind::Person,
        self_service: true,
        seed: "001 赤壁 场景六",
        materials: &[m("社会保障卡", Some("social_security_card"))],
    },
    Matter {
        code: "crane_use_registration",
        name: "建筑起重机械设备使用登记",
        name_en: "Construction crane use registration",
        subject: SubjectKind::Enterprise,
        self_service: false,
        seed: "004 漯河 场景一",
        materials: &[
            m("建筑起重机械设备使用登记表", None),
            m("生产安全事故应急救援预案", None),
            m("使用、维护保养等管理制度", None),
            m("建筑起重机械设备备案证", None),
            m("定期检验及安装后检验检测报告和安装验收资料", None),
            opt("建筑起重机械设备租赁合同", None),
            m("特种设备作业人员证", Some("special_equipment_operator")),
            m("营业执照", Some("business_licence")),
        ],
    },
    Matter {
        code: "fund_withdrawal_second_hand_home",
        name: "购买二手自住住房提取住房公积金",
        name_en: "Provident fund withdrawal for a second-hand home",
        subject: SubjectKind::Person,
        self_service: false,
        seed: "004 漯河 场景二",
        materials: &[
            m("身份证", Some("id_card")),
            m("I类借记卡", None),
            m("不动产权证书", Some("property_cert")),
            m("购房发票及契税完税凭证", None),
            opt("结婚证（配偶参与提取时）", Some("marriage_cert")),
        ],
    },
    Matter {
        code: "startup_guarantee_loan",
        name: "创业担保贷款（小微企业）",
        name_en: "Start-up guaranteed loan (small business)",
        subject: SubjectKind::Enterprise,
        self_service: false,
        seed: "004 漯河 场景三",
        materials: &[
            m("创业担保贷款企业申请书", None),
            m("法定代表人身份证", Some("id_card")),
            m("就业创业证", Some("employment_cert")),
            m("劳动合同和工资表", None),
            m("营业执照", Some("business_licence")),
            m("行业经营许可证", Some("trade_operating_licence")),
        ],
    },
    Matter {
        code: "constructor_registration",
        name: "二级建造师执业资格注册",
        name_en: "Grade-2 constructor registration",
        subject: SubjectKind::Person,
        self_service: false,
        seed: "004 漯河 场景四",
        materials: &[
            m("身份证", Some("id_card")),
            m("聘用企业营业执照", Some("business_licence")),
            m("资格证书", None),
        ],
    },
    Matter {
        code: "branch_registration",
        name: "外省公司设立省内分公司登记",
        name_en: "Branch registration of an out-of-province company",
        subject: SubjectKind::Enterprise,
        self_service: false,
        seed: "003 昌乐 (一)",
        materials: &[
            m("分公司登记申请书", None),
            m("隶属公司营业执照", Some("business_licence")),
            m("负责人身份证", Some("id_card")),
        ],
    },
    Matter {
        code: "construction_permit_application",
        name: "建筑工程施工许可办理",
        name_en: "Construction permit application",
        subject: SubjectKind::Enterprise,
        self_service: false,
        seed: "003 昌乐 (三)",
        materials: &[
            m("立项批文", Some("project_approval")),
            m("建设用地规划许可证", Some("land_use_planning_permit")),
            m("营业执照", Some("business_licence")),
            m("施工图审查合格书", None),
        ],
    },
    Matter {
        code: "traffic_inspection",
        name: "道路交通执法现场核查",
        name_en: "Roadside traffic inspection",
        subject: SubjectKind::Person,
        self_service: false,
        seed: "003 昌乐 (四)",
        materials: &[
            m("驾驶证", Some("driving_licence")),
            m("行驶证", Some("vehicle_licence")),
            opt("超限运输车辆通行证", Some("oversize_transport_permit")),
        ],
    },
    Matter {
        code: "school_enrolment",
        name: "义务教育阶段子女入学转学",
        name_en: "School enrolment or transfer",
        subject: SubjectKind::Person,
        self_service: false,
        seed: "003 昌乐 (五)",
        materials: &[
            m("户口簿", Some("household_register")),
            opt("不动产权证书", Some("property_cert")),
            opt("居住证", Some("residence_permit")),
            m("出生医学证明", Some("birth_medical_cert")),
            opt("社会保障卡", Some("social_security_card")),
            opt("营业执照", Some("business_licence")),
        ],
    },
    Matter {
        code: "property_transaction_check",
        name: "房产交易不动产权证核验",
        name_en: "Property transaction title check",
        subject: SubjectKind::Person,
        self_service: false,
        seed: "003 昌乐 (六)",
        materials: &[m("不动产权证书", Some("property_cert"))],
    },
    Matter {
        code: "construction_worker_inspection",
        name: "建筑从业人员资格执法检查",
        name_en: "Construction worker qualification inspection",
        subject: SubjectKind::Person,
        self_service: false,
        seed: "003 昌乐 (七)",
        materials: &[m(
            "建筑施工特种作业人员操作资格证书",
            Some("construction_special_operator"),
        )],
    },
    Matter {
        code: "gas_connection",
        name: "燃气报装",
        name_en: "Gas connection",
        subject: SubjectKind::Person,
        self_service: false,
        seed: "001 赤壁 场景十二",
        materials: &[
            m("身份证", Some("id_card")),
            m("不动产权证书", Some("property_cert")),
        ],
    },
    Matter {
        code: "water_connection",
        name: "用水报装",
        name_en: "Water connection",
        subject: SubjectKind::Person,
        self_service: false,
        seed: "001 赤壁 场景十三",
        materials: &[
            m("业主身份证", Some("id_card")),
            m("不动产权证书", Some("property_cert")),
            opt("营业执照（企业用水）", Some("business_licence")),
        ],
    },
    Matter {
        code: "job_expansion_subsidy",
        name: "一次性扩岗补助申领",
        name_en: "One-off job expansion subsidy",
        subject: SubjectKind::Enterprise,
        self_service: false,
        seed: "001 赤壁 场景十一",
        materials: &[m("营业执照", Some("business_licence")), m("劳动合同", None)],
    },
    Matter {
        code: "bidder_registration",
        name: "公共资源交易主体信息登记",
        name_en: "Public-resource trading party registration",
        subject: SubjectKind::Enterprise,
        self_service: false,
        seed: "001 赤壁 场景九",
        materials: &[m("营业执照", Some("business_licence"))],
    },
    Matter {
        code: "general_counter_service",
        name: "统一受理平台免证办",
        name_en: "Unified counter service",
        subject: SubjectKind::Person,
        self_service: false,
        seed: "000 通山 一; 001 赤壁 场景二; 002 佛山",
        materials: &[
            m("身份证", Some("id_card")),
            opt("户口簿", Some("household_register")),
            opt("结婚证", Some("marriage_cert")),
            opt("不动产权证书", Some("property_cert")),
        ],
    },
];

pub fn cert_type(code: &str) -> Result<&'static CertType> {
    CERT_TYPES
        .iter()
        .find(|t| t.code == code)
        .ok_or_else(|| CoreError::Unknown {
            what: "certificate type",
            id: code.into(),
        })
}

pub fn cert_type_by_no(no: u16) -> Result<&'static CertType> {
    CERT_TYPES
        .iter()
        .find(|t| t.no == no)
        .ok_or_else(|| CoreError::Unknown {
            what: "certificate type",
            id: no.to_string(),
        })
}

/// A matter that may be applied for on someone else's behalf (代办), after that person's live
/// face check, and who is eligible.
#[derive(Debug)]
pub struct ProxyRule {
    pub matter: &'static str,
    /// Eligible from this age (by the ID's birth date) on the day of application.
    pub min_age: i32,
    /// The kind of department that receives the application (matched on its name's ending).
    pub received_by: &'static str,
}

/// 000 通山: 高龄津贴 for people 80 or over, applied for by a relative or a village worker.
pub const PROXY_RULES: &[ProxyRule] = &[ProxyRule {
    matter: "elderly_allowance",
    min_age: 80,
    received_by: "民政局",
}];

pub fn proxy_rule(code: &str) -> Option<&'static ProxyRule> {
    PROXY_RULES.iter().find(|r| r.matter == code)
}

pub fn matter(code: &str) -> Result<&'static Matter> {
    MATTERS
        .iter()
        .find(|m| m.code == code)
        .ok_or_else(|| CoreError::Unknown {
            what: "matter",
            id: code.into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_rules_name_person_matters() {
        for r in PROXY_RULES {
            assert_eq!(matter(r.matter).unwrap().subject, SubjectKind::Person);
        }
        assert!(proxy_rule("elderly_allowance").is_some());
        assert!(proxy_rule("housing_fund_withdrawal").is_none());
    }

    #[test]
    fn catalogue_is_consistent() {
        let mut nos: Vec<u16> = CERT_TYPES.iter().map(|t| t.no).collect();
        nos.dedup();
        assert_eq!(nos.len(), CERT_TYPES.len());
        for t in CERT_TYPES {
            assert_eq!(t.type_code().len(), 21);
            assert_eq!(cert_type_by_no(t.no).unwrap().code, t.code);
        }
        for mt in MATTERS {
            assert!(
                mt.replaceable_types().count() > 0,
                "{} has nothing 免提交",
                mt.code
            );
            for t in mt.replaceable_types() {
                cert_type(t).unwrap_or_else(|_| panic!("{} names unknown type {t}", mt.code));
            }
        }
        assert!(MATTERS.len() >= 20 && CERT_TYPES.len() >= 20);
    }

    #[test]
    fn matters_refuse_unneeded_certificates() {
        let m = matter("elderly_allowance").unwrap();
        m.check_request(&["id_card", "household_register"]).unwrap();
        let e = m.check_request(&["id_card", "marriage_cert"]).unwrap_err();
        assert_eq!(e.code(), "not_needed_by_matter");
        assert!(matter("no_such").is_err());
    }
}
