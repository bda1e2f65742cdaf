//! The department's own records a proof is composed from (format `mianzheng-register/1`): per
//! proof type, how long a proof is valid, the fields every proof of it carries, each person's
//! fields, and what to answer for a person the records do not hold.

use serde::Deserialize;
use std::collections::BTreeMap;

pub const FORMAT: &str = "mianzheng-register/1";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    pub format: String,
    /// By certificate type code (the catalogue's `issues` of a matter).
    pub proofs: BTreeMap<String, ProofRecords>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProofRecords {
    /// Days a proof stays valid from the day it is issued.
    pub valid_days: u16,
    /// Fields every proof of this type carries (the scope of the search, say).
    #[serde(default)]
    pub common: BTreeMap<String, String>,
    /// Each subject's fields, by ID number or 统一社会信用代码.
    #[serde(default)]
    pub records: BTreeMap<String, BTreeMap<String, String>>,
    /// The fields for a subject the records do not hold (房查: no property is a proof too);
    /// without it, such an order is refused with `absent_reason`.
    #[serde(default)]
    pub when_absent: Option<BTreeMap<String, String>>,
    #[serde(default = "default_absent_reason")]
    pub absent_reason: String,
}

fn default_absent_reason() -> String {
    "本单位无该主体的相关记录".into()
}

/// What the records say for one order: the proof's fields, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    Fields(BTreeMap<String, String>),
    Refuse(String),
}

impl Register {
    pub fn parse(text: &str) -> Result<Register, String> {
        let r: Register = serde_json::from_str(text).map_err(|e| format!("register: {e}"))?;
        if r.format != FORMAT {
            return Err(format!(
                "register: format is {:?}, not {FORMAT:?}",
                r.format
            ));
        }
        if let Some((t, _)) = r.proofs.iter().find(|(_, p)| p.valid_days == 0) {
            return Err(format!("register: {t}: valid_days must be at least 1"));
        }
        Ok(r)
    }

    /// The fields of a proof of `cert_type` about `subject`, whose face has `fields`;
    /// `given` are the fields the desk fills itself (name, ID number, time of the search).
    pub fn find(
        &self,
        cert_type: &str,
        subject: &str,
        fields: &[String],
        given: &BTreeMap<String, String>,
    ) -> Finding {
        let Some(p) = self.proofs.get(cert_type) else {
            return Finding::Refuse("本单位不出具此类证明".into());
        };
        let own = match (p.records.get(subject), &p.when_absent) {
            (Some(r), _) | (None, Some(r)) => r,
            (None, None) => return Finding::Refuse(p.absent_reason.clone()),
        };
        let mut out = BTreeMap::new();
        for f in fields {
            let value = own
                .get(f)
                .or_else(|| p.common.get(f))
                .or_else(|| given.get(f));
            match value {
                Some(v) => out.insert(f.clone(), v.clone()),
                None => return Finding::Refuse(format!("记录不全（缺少{f}），请到窗口办理")),
            };
        }
        Finding::Fields(out)
    }

    pub fn valid_days(&self, cert_type: &str) -> u16 {
        self.proofs.get(cert_type).map_or(1, |p| p.valid_days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register() -> Register {
        Register::parse(
            r#"{"format":"mianzheng-register/1","proofs":{"p":{"valid_days":30,
            "common":{"范围":"咸宁市"},"records":{"A":{"套数":"1"}},"when_absent":{"套数":"0"}},
            "q":{"valid_days":30,"records":{"A":{"状态":"参保"}},"absent_reason":"无参保记录"}}}"#,
        )
        .unwrap()
    }

    fn fields(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_held_subject_gets_their_fields_with_the_common_and_given_ones() {
        let given = BTreeMap::from([("姓名".to_string(), "张三".to_string())]);
        let found = register().find("p", "A", &fields(&["姓名", "范围", "套数"]), &given);
        let Finding::Fields(f) = found else {
            panic!("{found:?}")
        };
        assert_eq!(
            (f["姓名"].as_str(), f["范围"].as_str(), f["套数"].as_str()),
            ("张三", "咸宁市", "1")
        );
    }

    #[test]
    fn an_absent_subject_gets_the_absent_fields_or_the_refusal() {
        let none = BTreeMap::new();
        let Finding::Fields(f) = register().find("p", "B", &fields(&["套数"]), &none) else {
            panic!()
        };
        assert_eq!(f["套数"], "0");
        let refused = register().find("q", "B", &fields(&["状态"]), &none);
        assert_eq!(refused, Finding::Refuse("无参保记录".into()));
    }

    #[test]
    fn a_field_nobody_gives_refuses_rather_than_printing_a_blank() {
        let found = register().find("q", "A", &fields(&["状态", "单位"]), &BTreeMap::new());
        assert!(matches!(found, Finding::Refuse(r) if r.contains("单位")));
        assert!(matches!(
            register().find("x", "A", &[], &BTreeMap::new()),
            Finding::Refuse(_)
        ));
    }

    #[test]
    fn a_register_of_another_format_or_no_validity_is_refused() {
        assert!(Register::parse(r#"{"format":"x","proofs":{}}"#).is_err());
        let zero = r#"{"format":"mianzheng-register/1","proofs":{"p":{"valid_days":0}}}"#;
        assert!(Register::parse(zero).is_err());
        assert!(Register::parse(r#"{"format":"mianzheng-register/1","proofs":{},"x":1}"#).is_err());
    }
}
