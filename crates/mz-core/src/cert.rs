//! Certificates (电子证照) with GB/T 36903 metadata and the issuing department's seal.
//!
//! The seal is a signature over a canonical encoding of the body: the domain tag
//! `MZ-CERT-2\n` followed by the body in the JSON Canonicalization Scheme (RFC 8785, JCS:
//! members sorted by their UTF-16 code units, no whitespace, the shortest escapes), so any JCS
//! library rebuilds the exact bytes from the JSON a client received. Every text field is
//! validated when parsed, and unknown fields are refused, so a changed byte either fails to
//! parse or fails the seal. (`MZ-CERT-1` was the hub's own field order; no longer accepted.)

use crate::crypto::{KeyId, PublicKey, SigAlg, SignError, Signature, Signer};
use crate::error::{CoreError, Result};
use crate::ids::{IdNumber, LicenseId, Uscc};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const CERT_TAG: &[u8] = b"MZ-CERT-2\n";

/// 持证主体代码类型 (GB/T 36903): 111 居民身份证号码, 001 统一社会信用代码.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum HolderIdType {
    #[serde(rename = "111")]
    IdNumber,
    #[serde(rename = "001")]
    Uscc,
}

/// The sealed part of a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CertificateBody {
    /// 电子证照标识
    pub license_id: LicenseId,
    /// 证照名称
    pub name: String,
    /// 证照类型代码 (catalogue code, e.g. `id_card`)
    pub type_code: String,
    /// 证照编号
    pub number: String,
    /// 颁发机构
    pub issuer_name: String,
    /// 颁发机构代码
    pub issuer_code: Uscc,
    /// 颁发日期
    pub issue_date: NaiveDate,
    /// 持证主体
    pub holder_name: String,
    /// 持证主体代码
    pub holder_code: String,
    /// 持证主体代码类型
    pub holder_code_type: HolderIdType,
    /// 有效期起始
    pub valid_from: NaiveDate,
    /// 有效期截止; none = 长期
    pub valid_to: Option<NaiveDate>,
    /// 照面信息, by field name
    pub face: BTreeMap<String, String>,
    /// 是否可公开 (public lookup allowed)
    pub disclosable: bool,
}

/// The issuing department's seal (电子印章 stand-in: a signature, algorithm and key id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Seal {
    pub alg: SigAlg,
    pub key_id: KeyId,
    pub sig: Signature,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Certificate {
    pub body: CertificateBody,
    pub seal: Seal,
}

/// Lifecycle state, kept beside the sealed body (it changes without re-sealing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum CertStatus {
    Valid,
    Revoked,
    Expired,
    Superseded,
}

impl CertStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CertStatus::Valid => "valid",
            CertStatus::Revoked => "revoked",
            CertStatus::Expired => "expired",
            CertStatus::Superseded => "superseded",
        }
    }
    pub fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "valid" => CertStatus::Valid,
            "revoked" => CertStatus::Revoked,
            "expired" => CertStatus::Expired,
            "superseded" => CertStatus::Superseded,
            _ => return Err(CoreError::malformed("certificate status", s.to_string())),
        })
    }
}

impl CertificateBody {
    pub fn canonical(&self) -> Vec<u8> {
        let mut out = CERT_TAG.to_vec();
        out.extend(serde_json_canonicalizer::to_vec(self).expect("plain data serialises"));
        out
    }

    /// Rules a body must satisfy before anyone seals or accepts it.
    pub fn check(&self) -> Result<()> {
        let bad = |why: &str| Err(CoreError::malformed("certificate", why.to_string()));
        match self.holder_code_type {
            HolderIdType::IdNumber => {
                IdNumber::parse(&self.holder_code)?;
            }
            HolderIdType::Uscc => {
                Uscc::parse(&self.holder_code)?;
            }
        }
        if self.license_id.issuer() != self.issuer_code {
            return bad("the licence id names another issuer");
        }
        if let Some(to) = self.valid_to {
            if to < self.valid_from {
                return bad("valid_to is before valid_from");
            }
        }
        for (field, v) in [
            ("name", &self.name),
            ("number", &self.number),
            ("issuer_name", &self.issuer_name),
            ("holder_name", &self.holder_name),
        ] {
            if v.trim().is_empty() || v.len() > 200 {
                return Err(CoreError::malformed(
                    "certificate",
                    format!("{field} must be 1–200 bytes"),
                ));
            }
        }
        if self.face.len() > 64
            || self
                .face
                .iter()
                .any(|(k, v)| k.len() > 64 || v.len() > 1000)
        {
            return bad("too many or too long face fields");
        }
        Ok(())
    }

    pub fn seal(self, signer: &dyn Signer) -> std::result::Result<Certificate, SignError> {
        self.check().map_err(|e| SignError(e.to_string()))?;
        let sig = signer.sign(&self.canonical())?;
        Ok(Certificate {
            seal: Seal {
                alg: signer.public_key().alg(),
                key_id: signer.key_id(),
                sig,
            },
            body: self,
        })
    }

    /// Status on a given day: expiry is computed, revocation and supersession are stored.
    pub fn status_on(&self, stored: CertStatus, today: NaiveDate) -> CertStatus {
        match (stored, self.valid_to) {
            (CertStatus::Valid, Some(to)) if to < today => CertStatus::Expired,
            (s, _) => s,
        }
    }
}

impl Certificate {
    /// Verify the seal with the department key it names.
    pub fn verify(&self, key: &PublicKey) -> Result<()> {
        self.body.check()?;
        // The key named, and the algorithm the seal claims must be that key's.
        if key.key_id() != self.seal.key_id || key.alg() != self.seal.alg {
            return Err(CoreError::BadSignature);
        }
        key.verify(&self.body.canonical(), &self.seal.sig)
    }
}
