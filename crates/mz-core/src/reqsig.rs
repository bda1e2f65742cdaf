//! Signed HTTP requests: HTTP Message Signatures (RFC 9421) with a Content-Digest (RFC 9530).
//!
//! Devices, terminals, departments and peer hubs sign each request with their registered key:
//!
//! ```text
//! Content-Digest: sha-256=:<base64 of SHA-256(body)>:
//! Signature-Input: mz=("@method" "@path" "@query" "content-digest");created=1767000000;keyid="<key id>";nonce="<nonce>";alg="ecdsa-p256-sha256"
//! Signature: mz=:<base64 signature>:
//! ```
//!
//! - The covered components must include `@method`, `@path`, `@query` and `content-digest`
//!   (in any order; other request header fields may be added). The body is covered through
//!   the digest, which the hub checks against the bytes it received (an empty body too).
//! - Parameters: `created` (unix seconds, within [`MAX_REQUEST_SKEW_SECS`] of the hub's
//!   clock), `keyid` (the key id: 32 hex digits), `nonce` (16–64 of `A–Z a–z 0–9 - _`, never
//!   reused by a key), `alg` (optional; if present, the key's: [`ALG_ES256`], or [`ALG_SM2`],
//!   a private name for SM2 with SM3 and the GM/T 0009 default identifier), `expires`
//!   (optional; refused once past). Other parameters are covered but not interpreted.
//! - The signature is over the signature base of RFC 9421 § 2.5; an ES256 signature is
//!   `r || s` (64 bytes), as § 3.3.4 requires; an SM2 signature is `r || s` too.
//! - The hub verifies the first signature in `Signature-Input`.
//!
//! The structured fields are parsed and serialized with the `sfv` crate (RFC 8941/9651), so
//! the `@signature-params` line is the canonical serialization a verifier rebuilds.

use crate::crypto::{sha256, KeyId, SigAlg, SignError, Signer};
use crate::error_code::ErrorCode;
use base64::Engine;
use sfv::{BareItem, Dictionary, FieldType, InnerList, Item, KeyRef, ListEntry, Parser};

pub const H_SIGNATURE_INPUT: &str = "signature-input";
pub const H_SIGNATURE: &str = "signature";
pub const H_CONTENT_DIGEST: &str = "content-digest";
/// The label this project's clients give their signature (any label is accepted).
pub const LABEL: &str = "mz";
/// The components every request signature must cover.
pub const REQUIRED: [&str; 4] = ["@method", "@path", "@query", "content-digest"];
/// RFC 9421 § 3.3.4: ECDSA using curve P-256 and SHA-256.
pub const ALG_ES256: &str = "ecdsa-p256-sha256";
/// SM2 with SM3 (GB/T 32918, GM/T 0009 default identifier): a private algorithm name.
pub const ALG_SM2: &str = "mz-sm2-sm3";
/// How far a request's `created` time may be from the hub's.
pub const MAX_REQUEST_SKEW_SECS: i64 = 120;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Why a request's signature headers were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{why}")]
pub struct SigError {
    pub code: ErrorCode,
    pub why: String,
}

fn refuse(why: impl Into<String>) -> SigError {
    SigError {
        code: ErrorCode::Unauthenticated,
        why: why.into(),
    }
}

/// The RFC 9421 name of a key's algorithm.
pub fn alg_name(alg: SigAlg) -> &'static str {
    match alg {
        SigAlg::Es256 => ALG_ES256,
        SigAlg::Sm2Sm3 => ALG_SM2,
    }
}

/// `Content-Digest` of a body (RFC 9530, sha-256).
pub fn content_digest(body: &[u8]) -> String {
    format!("sha-256=:{}:", B64.encode(sha256(body)))
}

/// Check a received `Content-Digest` against the body: its sha-256 member must match.
pub fn check_content_digest(header: &str, body: &[u8]) -> Result<(), SigError> {
    let dict: Dictionary = Parser::new(header)
        .parse()
        .map_err(|e| refuse(format!("content-digest is not a dictionary: {e}")))?;
    let Some(ListEntry::Item(item)) = dict.get(KeyRef::constant("sha-256")) else {
        return Err(refuse("content-digest has no sha-256 member"));
    };
    match item.bare_item.as_byte_sequence() {
        Some(d) if d == sha256(body) => Ok(()),
        Some(_) => Err(SigError {
            code: ErrorCode::BadRequestSignature,
            why: "the content-digest does not match the body".into(),
        }),
        None => Err(refuse("content-digest sha-256 is not a byte sequence")),
    }
}

/// The signature parameters this project's clients send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigParams {
    pub created: i64,
    pub key_id: KeyId,
    pub nonce: String,
    pub alg: Option<SigAlg>,
    pub expires: Option<i64>,
}

/// A request as the signature base sees it.
pub struct Request<'a> {
    pub method: &'a str,
    /// The path and query as sent (`/v1/x?a=b`).
    pub target: &'a str,
    /// A header field's value by lowercase name (several values joined with `", "`).
    pub header: &'a dyn Fn(&str) -> Option<String>,
}

/// The value of one covered component (RFC 9421 § 2.1, § 2.2).
fn component(req: &Request, name: &str) -> Result<String, SigError> {
    let (path, query) = match req.target.split_once('?') {
        Some((p, q)) => (p, q),
        None => (req.target, ""),
    };
    match name {
        "@method" => Ok(req.method.to_ascii_uppercase()),
        "@path" => Ok(if path.is_empty() { "/" } else { path }.to_string()),
        "@query" => Ok(format!("?{query}")),
        "@request-target" => Ok(req.target.to_string()),
        n if n.starts_with('@') => Err(refuse(format!("component {n} is not supported"))),
        n => (req.header)(n)
            .map(|v| v.trim().to_string())
            .ok_or_else(|| refuse(format!("covered header {n} is missing"))),
    }
}

/// The signature base (RFC 9421 § 2.5) for the covered components and the serialized
/// parameters (the `@signature-params` value).
pub fn signature_base(
    req: &Request,
    covered: &[String],
    params_value: &str,
) -> Result<String, SigError> {
    let mut base = String::new();
    for name in covered {
        base.push_str(&format!("\"{name}\": {}\n", component(req, name)?));
    }
    base.push_str(&format!("\"@signature-params\": {params_value}"));
    Ok(base)
}

/// The serialized inner list of covered components and parameters (`@signature-params`).
pub fn params_value(covered: &[String], params: &SigParams) -> String {
    let items = covered
        .iter()
        .map(|c| Item::new(sfv::String::from_string(c.clone()).expect("component names are ASCII")))
        .collect();
    let mut p = sfv::Parameters::new();
    let put = |p: &mut sfv::Parameters, k: &str, v: BareItem| {
        p.insert(sfv::Key::from_string(k.into()).expect("key"), v);
    };
    put(&mut p, "created", BareItem::Integer(int(params.created)));
    put(&mut p, "keyid", text(&params.key_id.to_string()));
    put(&mut p, "nonce", text(&params.nonce));
    if let Some(alg) = params.alg {
        put(&mut p, "alg", text(alg_name(alg)));
    }
    if let Some(exp) = params.expires {
        put(&mut p, "expires", BareItem::Integer(int(exp)));
    }
    let list: sfv::List = vec![ListEntry::InnerList(InnerList { items, params: p })];
    list.serialize().expect("one member")
}

fn int(v: i64) -> sfv::Integer {
    // Structured-field integers hold 15 digits: unix seconds for millions of years.
    sfv::Integer::try_from(v).expect("unix seconds fit a structured-field integer")
}

fn text(s: &str) -> BareItem {
    BareItem::String(sfv::String::from_string(s.into()).expect("printable ASCII"))
}

/// The three headers of a signed request, given a signature made over [`signature_base`].
pub fn headers(params_value: &str, signature: &[u8]) -> [(&'static str, String); 2] {
    [
        (H_SIGNATURE_INPUT, format!("{LABEL}={params_value}")),
        (H_SIGNATURE, format!("{LABEL}=:{}:", B64.encode(signature))),
    ]
}

/// Sign a request as this project's clients do: the required components, `created`, `keyid`,
/// `nonce` and `alg`. Returns the `Content-Digest`, `Signature-Input` and `Signature` headers.
pub fn sign(
    signer: &dyn Signer,
    method: &str,
    target: &str,
    body: &[u8],
    created: i64,
    nonce: &str,
) -> Result<Vec<(&'static str, String)>, SignError> {
    let digest = content_digest(body);
    let key = signer.public_key();
    let params = SigParams {
        created,
        key_id: key.key_id(),
        nonce: nonce.to_string(),
        alg: Some(key.alg()),
        expires: None,
    };
    let covered = default_covered();
    let value = params_value(&covered, &params);
    let lookup = |name: &str| (name == H_CONTENT_DIGEST).then(|| digest.clone());
    let request = Request {
        method,
        target,
        header: &lookup,
    };
    let base = signature_base(&request, &covered, &value).map_err(|e| SignError(e.why))?;
    let sig = signer.sign(base.as_bytes())?;
    let mut out = vec![(H_CONTENT_DIGEST, digest)];
    out.extend(headers(&value, &sig.0));
    Ok(out)
}

/// The covered components this project's clients send.
pub fn default_covered() -> Vec<String> {
    REQUIRED.iter().map(|s| s.to_string()).collect()
}

/// A request's signature, as read from its `Signature-Input` and `Signature` headers.
#[derive(Debug, Clone)]
pub struct Received {
    pub covered: Vec<String>,
    pub params: SigParams,
    /// The `@signature-params` value, serialized again canonically.
    pub params_value: String,
    pub signature: Vec<u8>,
}

impl Received {
    /// Parse the first signature of `Signature-Input` and its `Signature`.
    pub fn parse(signature_input: &str, signature: &str) -> Result<Received, SigError> {
        let inputs: Dictionary = Parser::new(signature_input)
            .parse()
            .map_err(|e| refuse(format!("signature-input is not a dictionary: {e}")))?;
        let Some((label, ListEntry::InnerList(list))) = inputs.first() else {
            return Err(refuse("signature-input has no inner list"));
        };
        let sigs: Dictionary = Parser::new(signature)
            .parse()
            .map_err(|e| refuse(format!("signature is not a dictionary: {e}")))?;
        let Some(ListEntry::Item(sig)) = sigs.get(label.as_str()) else {
            return Err(refuse(format!(
                "signature has no member {}",
                label.as_str()
            )));
        };
        let signature = sig
            .bare_item
            .as_byte_sequence()
            .ok_or_else(|| refuse("signature is not a byte sequence"))?
            .to_vec();
        let covered = covered_components(list)?;
        let params = sig_params(&list.params)?;
        let params_value =
            sfv::List::serialize(&vec![ListEntry::InnerList(list.clone())]).expect("one member");
        Ok(Received {
            covered,
            params,
            params_value,
            signature,
        })
    }
}

fn covered_components(list: &InnerList) -> Result<Vec<String>, SigError> {
    let mut covered = Vec::new();
    for item in &list.items {
        if !item.params.is_empty() {
            return Err(refuse("component parameters are not supported"));
        }
        let name = item
            .bare_item
            .as_string()
            .ok_or_else(|| refuse("a covered component is not a string"))?
            .as_str()
            .to_string();
        if covered.contains(&name) {
            return Err(refuse(format!("component {name} is covered twice")));
        }
        covered.push(name);
    }
    if let Some(missing) = REQUIRED.iter().find(|r| !covered.iter().any(|c| c == *r)) {
        return Err(refuse(format!("the signature must cover {missing}")));
    }
    Ok(covered)
}

fn sig_params(p: &sfv::Parameters) -> Result<SigParams, SigError> {
    let int_param = |k: &str| p.get(k).map(|v| v.as_integer().map(i64::from));
    let str_param = |k: &str| {
        p.get(k)
            .map(|v| v.as_string().map(|s| s.as_str().to_string()))
    };
    let created = int_param("created")
        .flatten()
        .ok_or_else(|| refuse("signature parameter created (integer) is required"))?;
    let key_id = str_param("keyid")
        .flatten()
        .and_then(|k| KeyId::parse(&k).ok())
        .ok_or_else(|| refuse("signature parameter keyid (32 hex digits) is required"))?;
    let nonce = str_param("nonce")
        .flatten()
        .filter(|n| {
            (16..=64).contains(&n.len())
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .ok_or_else(|| {
            refuse("signature parameter nonce (16–64 of A–Z a–z 0–9 - _) is required")
        })?;
    let alg = match str_param("alg") {
        None => None,
        Some(Some(a)) if a == ALG_ES256 => Some(SigAlg::Es256),
        Some(Some(a)) if a == ALG_SM2 => Some(SigAlg::Sm2Sm3),
        Some(_) => {
            return Err(refuse(
                "signature parameter alg names no algorithm the hub knows",
            ))
        }
    };
    let expires = match int_param("expires") {
        None => None,
        Some(Some(e)) => Some(e),
        Some(None) => return Err(refuse("signature parameter expires must be an integer")),
    };
    Ok(SigParams {
        created,
        key_id,
        nonce,
        alg,
        expires,
    })
}
