//! The catalogue: certificate types (证照目录) and matters (事项) with their materials. Each
//! material names the certificate type that can replace it (免提交), if any; each matter names
//! the departments that handle it, each type the departments that may issue it.
//!
//! The catalogue is data the region's operators load (`mz-hub catalogue import FILE`), in the
//! format of `docs/catalogue.md`. The demo's file, `catalogue/demo.json`, covers every scenario
//! in the seed documents (通山 000, 赤壁 001, 佛山 002, 昌乐 003, 漯河 004); each matter's `seed`
//! says where it comes from.

mod check;

pub use check::{check_succession, TypeNumber};

use crate::error::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The format name a catalogue file declares.
pub const FORMAT: &str = "mianzheng-catalogue/1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SubjectKind {
    Person,
    Enterprise,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CertType {
    /// Small number used inside codes and signed decisions: never reassigned to another type.
    pub no: u16,
    /// Stable catalogue code.
    pub code: String,
    /// 证照名称
    pub name: String,
    pub name_en: String,
    pub subject: SubjectKind,
    /// Face fields (照面信息) in display order.
    pub fields: Vec<String>,
    /// May be disclosed publicly (e.g. 排污许可证, 营业执照).
    #[serde(default)]
    pub disclosable: bool,
    /// Showing its show-code is itself the holder's consent to release it to the terminal
    /// that redeems the code (医保电子凭证 at a pharmacy: "免提交社保卡、免输入密码", seed 001):
    /// no second prompt; still audited and in the holder's records.
    #[serde(default)]
    pub shown_is_consent: bool,
    /// The departments (统一社会信用代码) that may issue it; they issue no other type.
    #[serde(default)]
    pub issued_by: Vec<String>,
}

impl CertType {
    /// The 21-character GB/T 36904 type code: the catalogue authority's code plus the number.
    pub fn type_code(&self) -> String {
        format!("{CATALOGUE_AUTHORITY}{:03}", self.no)
    }
}

/// 统一社会信用代码-shaped code of the national catalogue authority used in type codes.
pub const CATALOGUE_AUTHORITY: &str = "11100000000013338W";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Material {
    pub name: String,
    pub required: bool,
    /// The certificate type that replaces this material (免提交), by catalogue code.
    #[serde(default)]
    pub replaced_by: Option<String>,
}

/// A matter that may be applied for on someone else's behalf (代办), after that person's live
/// face check, and who is eligible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProxyRule {
    /// Eligible from this age (by the ID's birth date) on the day of application.
    pub min_age: i32,
    /// The kind of department that receives the application (matched on its name's ending).
    pub received_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Matter {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub subject: SubjectKind,
    /// Offered on 24-hour self-service kiosks.
    #[serde(default)]
    pub self_service: bool,
    /// Where it comes from (a seed document, a 事项清单 entry).
    #[serde(default)]
    pub seed: String,
    pub materials: Vec<Material>,
    /// The departments (统一社会信用代码) whose terminals may ask for it.
    #[serde(default)]
    pub handled_by: Vec<String>,
    /// Who may apply on someone else's behalf, if anyone.
    #[serde(default)]
    pub proxy: Option<ProxyRule>,
    /// How long a department keeps the archive record (预归档) of a request made with
    /// "archive": the released certificates and the holder's signed decision.
    #[serde(default = "default_retention_years")]
    pub retention_years: u16,
    /// The proof the matter gives at a kiosk, if it gives one: a certificate type (房查证明,
    /// 社保参保证明) that its issuing department's own service composes and seals.
    #[serde(default)]
    pub issues: Option<String>,
}

/// Archive records are kept 10 years unless the catalogue says otherwise.
pub const DEFAULT_RETENTION_YEARS: u16 = 10;

fn default_retention_years() -> u16 {
    DEFAULT_RETENTION_YEARS
}

impl Matter {
    /// Certificate types this matter may ask for.
    pub fn replaceable_types(&self) -> impl Iterator<Item = &str> + '_ {
        self.materials
            .iter()
            .filter_map(|m| m.replaced_by.as_deref())
    }
    /// Refuse a request for any certificate the matter does not need.
    pub fn check_request(&self, wanted: &[&str]) -> Result<()> {
        for w in wanted {
            if !self.replaceable_types().any(|t| t == *w) {
                return Err(CoreError::NotNeededByMatter {
                    matter: self.code.clone(),
                    cert_type: (*w).into(),
                });
            }
        }
        Ok(())
    }
    pub fn handled_by(&self, department: &str) -> bool {
        self.handled_by.iter().any(|d| d == department)
    }
}

/// A catalogue file as written (`docs/catalogue.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueFile {
    /// [`FORMAT`].
    pub format: String,
    /// What the operators call this catalogue (e.g. the region and its date).
    pub name: String,
    pub cert_types: Vec<CertType>,
    pub matters: Vec<Matter>,
}

/// A checked catalogue with its lookups.
#[derive(Debug, Clone)]
pub struct Catalogue {
    file: CatalogueFile,
    type_by_code: HashMap<String, usize>,
    type_by_no: HashMap<u16, usize>,
    matter_by_code: HashMap<String, usize>,
}

impl Catalogue {
    /// Read and check a catalogue file: every problem found is named in the error.
    pub fn parse(json: &str) -> Result<Catalogue> {
        let file: CatalogueFile = serde_json::from_str(json).map_err(|e| CoreError::Malformed {
            what: "catalogue",
            why: e.to_string(),
        })?;
        Catalogue::new(file)
    }

    /// Check a catalogue and index it.
    pub fn new(file: CatalogueFile) -> Result<Catalogue> {
        check::check(&file)?;
        let index = |codes: Vec<&str>| {
            codes
                .into_iter()
                .enumerate()
                .map(|(i, c)| (c.to_string(), i))
                .collect()
        };
        Ok(Catalogue {
            type_by_code: index(file.cert_types.iter().map(|t| t.code.as_str()).collect()),
            type_by_no: file
                .cert_types
                .iter()
                .enumerate()
                .map(|(i, t)| (t.no, i))
                .collect(),
            matter_by_code: index(file.matters.iter().map(|m| m.code.as_str()).collect()),
            file,
        })
    }

    /// A catalogue with nothing in it: a hub before its operators load one.
    pub fn empty() -> Catalogue {
        Catalogue::new(CatalogueFile {
            format: FORMAT.into(),
            name: String::new(),
            cert_types: vec![],
            matters: vec![],
        })
        .expect("the empty catalogue is valid")
    }

    /// The demo region's catalogue (`catalogue/demo.json`).
    pub fn demo() -> &'static Catalogue {
        static DEMO: OnceLock<Catalogue> = OnceLock::new();
        DEMO.get_or_init(|| Catalogue::parse(DEMO_JSON).expect("catalogue/demo.json is valid"))
    }

    /// SHA-256 (hex) of the file in RFC 8785 canonical form: the same catalogue however it
    /// was laid out.
    pub fn digest(&self) -> String {
        let canonical =
            serde_json_canonicalizer::to_vec(&self.file).expect("plain data serialises");
        hex::encode(crate::crypto::sha256(&canonical))
    }

    /// The numbers this catalogue gives its types.
    pub fn type_numbers_given(&self) -> Vec<TypeNumber> {
        self.cert_types()
            .iter()
            .map(|t| TypeNumber {
                no: t.no,
                code: t.code.clone(),
            })
            .collect()
    }

    pub fn file(&self) -> &CatalogueFile {
        &self.file
    }
    pub fn cert_types(&self) -> &[CertType] {
        &self.file.cert_types
    }
    pub fn matters(&self) -> &[Matter] {
        &self.file.matters
    }

    pub fn cert_type(&self, code: &str) -> Result<&CertType> {
        self.type_by_code
            .get(code)
            .map(|&i| &self.file.cert_types[i])
            .ok_or_else(|| unknown("certificate type", code))
    }

    pub fn cert_type_by_no(&self, no: u16) -> Result<&CertType> {
        self.type_by_no
            .get(&no)
            .map(|&i| &self.file.cert_types[i])
            .ok_or_else(|| unknown("certificate type", &no.to_string()))
    }

    pub fn matter(&self, code: &str) -> Result<&Matter> {
        self.matter_by_code
            .get(code)
            .map(|&i| &self.file.matters[i])
            .ok_or_else(|| unknown("matter", code))
    }

    /// The numbers of certificate types given by catalogue code.
    pub fn type_numbers(&self, codes: &[&str]) -> Result<Vec<u16>> {
        codes
            .iter()
            .map(|c| self.cert_type(c).map(|t| t.no))
            .collect()
    }

    /// Whether a department may issue a certificate type.
    pub fn may_issue(&self, department: &str, type_code: &str) -> bool {
        self.cert_type(type_code)
            .is_ok_and(|t| t.issued_by.iter().any(|d| d == department))
    }
}

fn unknown(what: &'static str, id: &str) -> CoreError {
    CoreError::Unknown {
        what,
        id: id.into(),
    }
}

/// The demo region's catalogue file.
pub const DEMO_JSON: &str = include_str!("../../../../catalogue/demo.json");

#[cfg(test)]
mod tests;
