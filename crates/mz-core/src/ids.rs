//! Identifiers, validated wherever they enter (parsing is the only way to build them).
//!
//! - [`IdNumber`]: 居民身份证号码 (GB 11643-1999): 6-digit area code, birth date, sequence,
//!   ISO 7064 MOD 11-2 check character.
//! - [`Uscc`]: 统一社会信用代码 (GB 32100-2015): 31-character set, weights 3^(i-1) mod 31, with
//!   the GB 11714 organisation code (and its own check) at positions 9–17.
//! - [`RegionCode`]: 行政区划代码 (GB/T 2260): six digits; the first two name a province-level
//!   division that exists.
//! - [`LicenseId`]: 电子证照标识 (GB/T 36904): `1.2.156.3005.2.<type 21>.<issuer 18>.<serial>.
//!   <version 3>.<check>`, check character ISO 7064 MOD 37,36.

use crate::error::{CoreError, Result};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Province-level codes of GB/T 2260 (plus 83 used by Taiwan residents' residence permits).
const PROVINCES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

fn province_ok(two: &str) -> bool {
    two.parse::<u8>()
        .map(|p| PROVINCES.contains(&p))
        .unwrap_or(false)
}

macro_rules! string_id {
    ($t:ident, $what:literal) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl std::str::FromStr for $t {
            type Err = CoreError;
            fn from_str(s: &str) -> Result<Self> {
                $t::parse(s)
            }
        }
        impl TryFrom<String> for $t {
            type Error = CoreError;
            fn try_from(s: String) -> Result<Self> {
                $t::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl $t {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

/// 行政区划代码.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "421224"))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct RegionCode(String);
string_id!(RegionCode, "region code");

impl RegionCode {
    pub fn parse(s: &str) -> Result<Self> {
        const W: &str = "行政区划代码";
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CoreError::id(W, "must be exactly 6 digits"));
        }
        if !province_ok(&s[..2]) {
            return Err(CoreError::id(
                W,
                format!("{} is not a province-level code", &s[..2]),
            ));
        }
        Ok(RegionCode(s.to_string()))
    }
    /// The province-level code this region belongs to (e.g. `420000`).
    pub fn province(&self) -> RegionCode {
        RegionCode(format!("{}0000", &self.0[..2]))
    }
    /// The prefecture-level code (e.g. `421200`).
    pub fn prefecture(&self) -> RegionCode {
        RegionCode(format!("{}00", &self.0[..4]))
    }
    pub fn as_u32(&self) -> u32 {
        self.0.parse().expect("validated digits")
    }
    pub fn from_u32(v: u32) -> Result<Self> {
        Self::parse(&format!("{v:06}"))
    }
    /// Whether `other` lies inside this region (a province contains its cities' codes).
    pub fn contains(&self, other: &RegionCode) -> bool {
        let mine = self.0.trim_end_matches("00");
        other.0.starts_with(mine)
    }
}

/// 居民身份证号码 (18 characters).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "11010519491231002X"))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct IdNumber(String);
string_id!(IdNumber, "ID number");

/// Never print a whole ID number by accident (logs, panics): Debug masks the middle.
impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

/// ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number.
pub fn id_check_char(first17: &[u8]) -> char {
    let mut sum: u32 = 0;
    for (i, d) in first17.iter().enumerate() {
        let w = (1u32 << (17 - i)) % 11;
        sum += w * u32::from(d - b'0');
    }
    let c = (12 - (sum % 11)) % 11;
    if c == 10 {
        'X'
    } else {
        char::from(b'0' + c as u8)
    }
}

impl IdNumber {
    pub fn parse(s: &str) -> Result<Self> {
        const W: &str = "居民身份证号码";
        let s = s.trim();
        if s.chars().count() != 18 {
            return Err(CoreError::id(
                W,
                format!("must be 18 characters, got {}", s.chars().count()),
            ));
        }
        let b = s.as_bytes();
        if !b[..17].iter().all(u8::is_ascii_digit) {
            return Err(CoreError::id(W, "the first 17 characters must be digits"));
        }
        let last = b[17].to_ascii_uppercase();
        if !(last.is_ascii_digit() || last == b'X') {
            return Err(CoreError::id(W, "the last character must be a digit or X"));
        }
        RegionCode::parse(&s[..6]).map_err(|e| CoreError::id(W, format!("area code: {e}")))?;
        let y: i32 = s[6..10].parse().expect("digits");
        let m: u32 = s[10..12].parse().expect("digits");
        let d: u32 = s[12..14].parse().expect("digits");
        if y < 1900 {
            return Err(CoreError::id(W, format!("birth year {y} is before 1900")));
        }
        if NaiveDate::from_ymd_opt(y, m, d).is_none() {
            return Err(CoreError::id(
                W,
                format!("{y:04}-{m:02}-{d:02} is not a real date"),
            ));
        }
        let want = id_check_char(&b[..17]);
        if char::from(last) != want {
            return Err(CoreError::id(W, "check digit does not match"));
        }
        let mut v = s[..17].to_string();
        v.push(want);
        Ok(IdNumber(v))
    }
    pub fn area(&self) -> RegionCode {
        RegionCode(self.0[..6].to_string())
    }
    pub fn birth_date(&self) -> NaiveDate {
        let y = self.0[6..10].parse().expect("validated");
        let m = self.0[10..12].parse().expect("validated");
        let d = self.0[12..14].parse().expect("validated");
        NaiveDate::from_ymd_opt(y, m, d).expect("validated")
    }
    /// Full years of age on `on` (the caller's clock).
    pub fn age_on(&self, on: NaiveDate) -> i32 {
        let b = self.birth_date();
        let mut age = on.year() - b.year();
        if (on.month(), on.day()) < (b.month(), b.day()) {
            age -= 1;
        }
        age
    }
    pub fn is_male(&self) -> bool {
        (self.0.as_bytes()[16] - b'0') % 2 == 1
    }
    /// `110105********002X`: safe to show on a screen or in a log.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }
    /// Build a valid ID number from its parts (demo data and tests).
    pub fn from_parts(area: &RegionCode, birth: NaiveDate, seq: u16) -> Result<Self> {
        let body = format!("{}{}{:03}", area, birth.format("%Y%m%d"), seq % 1000);
        let c = id_check_char(body.as_bytes());
        Self::parse(&format!("{body}{c}"))
    }
}

const USCC_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_REG_DEPTS: &[u8] = b"123456789ANY";

fn uscc_val(c: u8) -> Option<u32> {
    USCC_CHARS.iter().position(|&x| x == c).map(|p| p as u32)
}

/// Check character of a USCC over its first 17 characters (weights 3^(i-1) mod 31).
pub fn uscc_check_char(first17: &[u8]) -> Option<char> {
    let mut sum = 0u32;
    let mut w = 1u32;
    for &c in first17 {
        sum += uscc_val(c)? * w;
        w = (w * 3) % 31;
    }
    let c = (31 - sum % 31) % 31;
    Some(char::from(USCC_CHARS[c as usize]))
}

/// GB 11714 check character over the 8 body characters of an organisation code.
pub fn org_code_check_char(body8: &[u8]) -> Option<char> {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let mut sum = 0;
    for (i, &c) in body8.iter().enumerate() {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return None,
        };
        sum += v * W[i];
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from(b'0' + n as u8),
    })
}

/// 统一社会信用代码.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "91110000802100433B"))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct Uscc(String);
string_id!(Uscc, "USCC");

impl Uscc {
    pub fn parse(s: &str) -> Result<Self> {
        const W: &str = "统一社会信用代码";
        let s = s.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        if b.len() != 18 {
            return Err(CoreError::id(
                W,
                format!("must be 18 characters, got {}", s.chars().count()),
            ));
        }
        if let Some(bad) = b.iter().find(|c| uscc_val(**c).is_none()) {
            return Err(CoreError::id(
                W,
                format!(
                    "character {:?} is not allowed (I, O, S, V, Z never occur)",
                    char::from(*bad)
                ),
            ));
        }
        if !USCC_REG_DEPTS.contains(&b[0]) {
            return Err(CoreError::id(
                W,
                format!(
                    "{:?} is not a registration department code",
                    char::from(b[0])
                ),
            ));
        }
        RegionCode::parse(&s[2..8]).map_err(|e| CoreError::id(W, format!("region: {e}")))?;
        let org_check = org_code_check_char(&b[8..16])
            .ok_or_else(|| CoreError::id(W, "organisation code has a bad character"))?;
        if char::from(b[16]) != org_check {
            return Err(CoreError::id(
                W,
                "the organisation code inside it has a wrong check character",
            ));
        }
        if uscc_check_char(&b[..17]) != Some(char::from(b[17])) {
            return Err(CoreError::id(W, "check character does not match"));
        }
        Ok(Uscc(s))
    }
    pub fn region(&self) -> RegionCode {
        RegionCode(self.0[2..8].to_string())
    }
    pub fn org_code(&self) -> &str {
        &self.0[8..17]
    }
    /// Build a valid USCC from a registration department and type character, a region and an
    /// 8-character organisation body (demo data and tests).
    pub fn from_parts(dept_and_type: &str, region: &RegionCode, org8: &str) -> Result<Self> {
        let oc = org_code_check_char(org8.as_bytes())
            .ok_or_else(|| CoreError::id("统一社会信用代码", "bad organisation body"))?;
        let body = format!("{dept_and_type}{region}{org8}{oc}");
        let c = uscc_check_char(body.as_bytes())
            .ok_or_else(|| CoreError::id("统一社会信用代码", "bad character"))?;
        Self::parse(&format!("{body}{c}"))
    }
}

const MOD36: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn mod36_val(c: u8) -> Option<u32> {
    MOD36.iter().position(|&x| x == c).map(|p| p as u32)
}

/// ISO 7064 MOD 37,36 (hybrid system) check character.
pub fn mod37_36_check_char(data: &[u8]) -> Option<char> {
    const M: u32 = 36;
    let mut p = M;
    for &c in data {
        let mut s = (p + mod36_val(c)?) % M;
        if s == 0 {
            s = M;
        }
        p = (s * 2) % (M + 1);
    }
    let v = (M + 1 - p) % M;
    Some(char::from(MOD36[v as usize]))
}

pub const LICENSE_ROOT: &str = "1.2.156.3005.2";

/// 电子证照标识 (GB/T 36904).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F"))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct LicenseId(String);
string_id!(LicenseId, "license id");

impl LicenseId {
    pub fn parse(s: &str) -> Result<Self> {
        const W: &str = "电子证照标识";
        let s = s.trim();
        let rest = s
            .strip_prefix(LICENSE_ROOT)
            .and_then(|r| r.strip_prefix('.'))
            .ok_or_else(|| CoreError::id(W, format!("must start with {LICENSE_ROOT}.")))?;
        let parts: Vec<&str> = rest.split('.').collect();
        if parts.len() != 5 {
            return Err(CoreError::id(
                W,
                format!("expected 5 parts after the root, got {}", parts.len()),
            ));
        }
        let (ty, issuer, serial, version, check) =
            (parts[0], parts[1], parts[2], parts[3], parts[4]);
        let alnum = |p: &str| {
            p.bytes()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        };
        if ty.len() != 21 || !alnum(ty) {
            return Err(CoreError::id(
                W,
                "certificate type code must be 21 characters 0-9A-Z",
            ));
        }
        Uscc::parse(issuer).map_err(|e| CoreError::id(W, format!("issuer: {e}")))?;
        if serial.is_empty() || serial.len() > 64 || !alnum(serial) {
            return Err(CoreError::id(W, "serial must be 1–64 characters 0-9A-Z"));
        }
        if version.len() != 3 || !version.bytes().all(|c| c.is_ascii_digit()) {
            return Err(CoreError::id(W, "version must be 3 digits"));
        }
        let joined = format!("{ty}{issuer}{serial}{version}");
        let want = mod37_36_check_char(joined.as_bytes()).expect("validated alphabet");
        if check.len() != 1 || !check.starts_with(want) {
            return Err(CoreError::id(W, "check character does not match"));
        }
        Ok(LicenseId(s.to_string()))
    }
    pub fn new(type_code: &str, issuer: &Uscc, serial: &str, version: u16) -> Result<Self> {
        let v = format!("{version:03}");
        let joined = format!("{type_code}{issuer}{serial}{v}");
        let c = mod37_36_check_char(joined.as_bytes())
            .ok_or_else(|| CoreError::id("电子证照标识", "bad character"))?;
        Self::parse(&format!(
            "{LICENSE_ROOT}.{type_code}.{issuer}.{serial}.{v}.{c}"
        ))
    }
    fn part(&self, i: usize) -> &str {
        self.0[LICENSE_ROOT.len() + 1..]
            .split('.')
            .nth(i)
            .expect("validated")
    }
    pub fn type_code(&self) -> &str {
        self.part(0)
    }
    pub fn issuer(&self) -> Uscc {
        Uscc(self.part(1).to_string())
    }
    pub fn serial(&self) -> &str {
        self.part(2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn design_vectors_pass() {
        IdNumber::parse("11010519491231002X").unwrap();
        Uscc::parse("91110000802100433B").unwrap();
        let l = LicenseId::parse(
            "1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F",
        )
        .unwrap();
        assert_eq!(l.type_code(), "11100000000013338W032");
        assert_eq!(l.issuer().as_str(), "11220000013544541J");
        assert_eq!(l.serial(), "2430599");
        RegionCode::parse("421224").unwrap();
    }

    #[test]
    fn id_number_rejections() {
        let e = |s: &str| IdNumber::parse(s).unwrap_err().to_string();
        assert!(e("110105194912310021").contains("check digit"));
        assert!(e("11010519491231002").contains("18 characters"));
        assert!(
            e("110105194902300020").contains("not a real date"),
            "Feb 30"
        );
        assert!(e("990105194912310028").contains("area code"));
        assert!(
            e("11010518991231002X").contains("before 1900")
                || e("11010518991231002X").contains("check")
        );
        assert!(e("1101051949123100AX").contains("digits"));
        // lower-case x is accepted and normalised.
        assert_eq!(
            IdNumber::parse("11010519491231002x").unwrap().as_str(),
            "11010519491231002X"
        );
    }

    #[test]
    fn id_number_helpers() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(
            id.age_on(NaiveDate::from_ymd_opt(2029, 12, 30).unwrap()),
            79
        );
        assert_eq!(
            id.age_on(NaiveDate::from_ymd_opt(2029, 12, 31).unwrap()),
            80
        );
        assert!(!id.is_male());
        assert_eq!(id.masked(), "110105********002X");
        assert!(!format!("{id:?}").contains("19491231"));
    }

    #[test]
    fn uscc_rejections() {
        let e = |s: &str| Uscc::parse(s).unwrap_err().to_string();
        assert!(e("91110000802100433C").contains("check character"));
        assert!(e("91110000802100443B").contains("organisation code"));
        assert!(e("9111000080210043OB").contains("not allowed"));
        assert!(e("Z1110000802100433B").contains("not allowed"));
        assert!(e("C1110000802100433B").contains("registration department"));
        assert!(e("91990000802100433B").contains("region"));
        assert!(e("9111000080210043").contains("18 characters"));
    }

    #[test]
    fn license_id_rejections() {
        let good = "1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F";
        let e = |s: &str| LicenseId::parse(s).unwrap_err().to_string();
        assert!(e(&good.replace(".F", ".G")).contains("check character"));
        assert!(e(&good.replace("2430599", "2430598")).contains("check character"));
        assert!(e(&good.replace("1.2.156.3005.2.", "1.2.156.3005.3.")).contains("must start"));
        assert!(e(&good.replace(".001.", ".01.")).contains("version"));
        assert!(e(&good.replace("11220000013544541J", "11220000013544541K")).contains("issuer"));
        assert!(e(&good.replace(".2430599", "")).contains("5 parts"));
    }

    #[test]
    fn region_rules() {
        assert!(RegionCode::parse("991224").is_err());
        assert!(RegionCode::parse("42122").is_err());
        let r = RegionCode::parse("421224").unwrap();
        assert_eq!(r.province().as_str(), "420000");
        assert_eq!(r.prefecture().as_str(), "421200");
        assert!(r.province().contains(&r));
        assert!(!r.contains(&r.province()));
    }

    fn arb_region() -> impl Strategy<Value = RegionCode> {
        (prop::sample::select(PROVINCES.to_vec()), 0u32..10000)
            .prop_map(|(p, r)| RegionCode::parse(&format!("{p:02}{r:04}")).unwrap())
    }

    proptest! {
        #[test]
        fn id_numbers_roundtrip_and_detect_single_digit_errors(
            region in arb_region(), days in 0i64..45000, seq in 0u16..1000, pos in 0usize..17, delta in 1u8..10
        ) {
            let birth = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            let id = IdNumber::from_parts(&region, birth, seq).unwrap();
            prop_assert_eq!(IdNumber::parse(id.as_str()).unwrap(), id.clone());
            prop_assert_eq!(id.birth_date(), birth);
            // MOD 11-2 detects every single-digit substitution.
            let mut b = id.as_str().as_bytes().to_vec();
            b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            prop_assert!(IdNumber::parse(std::str::from_utf8(&b).unwrap()).is_err());
        }

        #[test]
        fn uscc_roundtrip_and_detect_substitution(
            region in arb_region(), org in "[0-9A-HJ-NP-RTUW-Y]{8}", pos in 0usize..18, delta in 1u32..31
        ) {
            let u = Uscc::from_parts("91", &region, &org).unwrap();
            prop_assert_eq!(Uscc::parse(u.as_str()).unwrap(), u.clone());
            let mut b = u.as_str().as_bytes().to_vec();
            let v = uscc_val(b[pos]).unwrap();
            b[pos] = USCC_CHARS[((v + delta) % 31) as usize];
            prop_assert!(Uscc::parse(std::str::from_utf8(&b).unwrap()).is_err());
        }

        #[test]
        fn license_ids_roundtrip_and_detect_substitution(
            ty in "[0-9A-Z]{21}", serial in "[0-9A-Z]{1,20}", version in 0u16..1000, delta in 1u32..36
        ) {
            let issuer = Uscc::parse("11220000013544541J").unwrap();
            let l = LicenseId::new(&ty, &issuer, &serial, version).unwrap();
            prop_assert_eq!(LicenseId::parse(l.as_str()).unwrap(), l.clone());
            // change one character of the serial: the check must catch it.
            let mut s = serial.as_bytes().to_vec();
            s[0] = MOD36[((mod36_val(s[0]).unwrap() + delta) % 36) as usize];
            let changed = l.as_str().replacen(&format!(".{serial}."), &format!(".{}.", std::str::from_utf8(&s).unwrap()), 1);
            prop_assert!(LicenseId::parse(&changed).is_err());
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            let _ = IdNumber::parse(&s);
            let _ = Uscc::parse(&s);
            let _ = LicenseId::parse(&s);
            let _ = RegionCode::parse(&s);
        }
    }
}
