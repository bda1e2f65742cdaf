//! Operator actions (the `mz-hub` CLI): set up a hub, register departments and terminals,
//! load registers, verify the audit chain.

use crate::error::{fail, HubError, HubResult};
use crate::store;
use crate::store::registers;
use crate::Db;
use chrono::NaiveDate;
use mz_core::audit::{verify_chain, GENESIS};
use mz_core::codes::{Checkpoint, SignedObject};
use mz_core::crypto::{sha256, PublicKey, SigAlg, Signer};
use mz_core::flow::TerminalKind;
use mz_core::ids::{IdNumber, RegionCode, Uscc};
use mz_core::ErrorCode;
use mz_softkey::{SealKey, SoftKey};
use std::path::Path;

/// The hub's identity as its database keeps it. The checkpoint key's private half is not in
/// the database it vouches for (security review M-7): it lives in a key file the operator
/// names ([`load_hub_key`]); the database keeps only the public half, to check the file.
pub struct HubMeta {
    pub region: RegionCode,
    pub name: String,
    pub public_key: Option<PublicKey>,
    /// A private key stored by an older hub in the database, to be moved out ([`load_hub_key`]).
    legacy_key: Option<Vec<u8>>,
}

pub async fn hub_meta(db: &Db) -> HubResult<Option<HubMeta>> {
    let rows = registers::hub_meta(db).await?;
    let get = |k: &str| {
        rows.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let (Some(region), Some(name)) = (get("region"), get("name")) else {
        return Ok(None);
    };
    let text =
        |v: Vec<u8>| String::from_utf8(v).map_err(|_| HubError::Internal("bad hub meta".into()));
    let public_key = get(HUB_PUBLIC_KEY)
        .map(|k| PublicKey::from_bytes(&k))
        .transpose()?;
    Ok(Some(HubMeta {
        region: RegionCode::parse(&text(region)?)?,
        name: text(name)?,
        public_key,
        legacy_key: get(LEGACY_HUB_KEY),
    }))
}

const HUB_PUBLIC_KEY: &str = "hub_public_key";
const LEGACY_HUB_KEY: &str = "hub_key";

/// Create the hub's identity once: region, name, and the checkpoint key, whose private half
/// goes to `key_file` (0600) and whose public half to the database. Later calls keep it.
pub async fn init_hub(
    db: &Db,
    region: &RegionCode,
    name: &str,
    key_file: &Path,
) -> HubResult<HubMeta> {
    if let Some(m) = hub_meta(db).await? {
        return Ok(m);
    }
    let key = SoftKey::generate();
    write_secret(key_file, &mz_core::crypto::b64(key.pkcs8())).map_err(HubError::Internal)?;
    let public = key.public_key();
    let mut tx = db.begin_write().await?;
    for (k, v) in [
        ("region", region.as_str().as_bytes()),
        ("name", name.as_bytes()),
        (HUB_PUBLIC_KEY, public.as_bytes()),
    ] {
        registers::insert_hub_meta(&mut tx, k, v).await?;
    }
    tx.commit().await?;
    Ok(HubMeta {
        region: region.clone(),
        name: name.into(),
        public_key: Some(public),
        legacy_key: None,
    })
}

/// The hub's checkpoint key from its key file, checked against the public half the database
/// keeps. A key an older hub kept in the database is moved to the file once (and deleted from
/// the database).
pub async fn load_hub_key(db: &Db, key_file: &Path) -> HubResult<SoftKey> {
    let meta = hub_meta(db).await?.ok_or_else(|| {
        HubError::Internal(
            "this database holds no hub: run `mz-hub init` or `mz-hub demo` first".into(),
        )
    })?;
    if let (Some(legacy), false) = (&meta.legacy_key, key_file.exists()) {
        write_secret(key_file, &mz_core::crypto::b64(legacy)).map_err(HubError::Internal)?;
        let key = SoftKey::from_pkcs8(legacy).map_err(HubError::Internal)?;
        let mut tx = db.begin_write().await?;
        registers::move_out_legacy_key(&mut tx, HUB_PUBLIC_KEY, key.public_key().as_bytes())
            .await?;
        tx.commit().await?;
        tracing::warn!(file = %key_file.display(), "hub key moved out of the database");
        return Ok(key);
    }
    let text = std::fs::read_to_string(key_file)
        .map_err(|e| HubError::Internal(format!("hub key file {}: {e}", key_file.display())))?;
    let pkcs8 = mz_core::crypto::unb64("hub key", text.trim())?;
    let key = SoftKey::from_pkcs8(&pkcs8).map_err(HubError::Internal)?;
    if meta.public_key.as_ref() != Some(&key.public_key()) {
        return Err(HubError::Internal(format!(
            "{} is not this hub's key (the database names another)",
            key_file.display()
        )));
    }
    Ok(key)
}

/// Write a private key file readable by its owner only (0600), never over an existing one.
pub fn write_secret(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts
        .open(path)
        .map_err(|err| format!("{}: {err}", path.display()))?;
    f.write_all(text.as_bytes())
        .map_err(|err| format!("{}: {err}", path.display()))
}

pub struct Person<'a> {
    pub id: &'a IdNumber,
    pub name: &'a str,
    pub address: &'a str,
}

/// Add (or keep) a person in the population register.
pub async fn add_person(db: &Db, p: &Person<'_>) -> HubResult<()> {
    let area = p.id.area();
    let row = registers::PersonRow {
        id_number: p.id.as_str(),
        name: p.name,
        gender: if p.id.is_male() { "男" } else { "女" },
        birth_date: p.id.birth_date().to_string(),
        address: p.address,
        region: area.as_str(),
    };
    registers::insert_person(db, &row).await
}

/// Store (or replace) a person's reference photo in the population register. `embedding` is
/// the photo's face embedding when the caller computed it; otherwise it is computed on first use.
pub async fn set_person_photo(
    db: &Db,
    id: &IdNumber,
    photo: &[u8],
    embedding: Option<&mz_face::Embedding>,
    now: i64,
) -> HubResult<()> {
    if photo.len() > mz_face::MAX_IMAGE_BYTES
        || !(photo.starts_with(&[0xFF, 0xD8]) || photo.starts_with(b"\x89PNG"))
    {
        return Err(crate::error::fail(
            ErrorCode::BadPhoto,
            "a reference photo is a JPEG or PNG of at most 6 MB",
        ));
    }
    if !registers::person_known(db, id.as_str()).await? {
        return Err(HubError::NotFound("person"));
    }
    let embedding = embedding.map(|e| e.to_bytes());
    registers::upsert_photo(db, id.as_str(), photo, embedding, now).await
}

pub async fn add_relation(db: &Db, a: &IdNumber, b: &IdNumber, relation: &str) -> HubResult<()> {
    registers::insert_relation(db, a.as_str(), b.as_str(), relation).await
}

pub async fn add_enterprise(
    db: &Db,
    uscc: &Uscc,
    name: &str,
    legal_rep: &IdNumber,
    address: &str,
) -> HubResult<()> {
    let region = uscc.region();
    let row = registers::EnterpriseRow {
        uscc: uscc.as_str(),
        name,
        legal_rep: legal_rep.as_str(),
        region: region.as_str(),
        address,
    };
    registers::insert_enterprise(db, &row).await
}

pub use mz_softkey::DepartmentKeys;

/// Register an issuing department with new keys; its seals use `seal_alg`.
pub async fn add_department(
    db: &Db,
    code: &Uscc,
    name: &str,
    region: &RegionCode,
    seal_alg: SigAlg,
    now: i64,
) -> HubResult<DepartmentKeys> {
    let keys = DepartmentKeys {
        api: SoftKey::generate(),
        seal: SealKey::generate(seal_alg),
    };
    let (api, seal) = (keys.api.public_key(), keys.seal.public_key());
    let row = registers::DepartmentRow {
        code: code.as_str(),
        name,
        region: region.as_str(),
        api_key_id: api.key_id().to_string(),
        api_public_key: api.as_bytes(),
        seal_key_id: seal.key_id().to_string(),
        seal_public_key: seal.as_bytes(),
    };
    let mut tx = db.begin_write().await?;
    if !registers::insert_department(&mut tx, &row, now).await? {
        return Err(fail(
            ErrorCode::DepartmentExists,
            "this department is already registered",
        ));
    }
    store::audit(
        &mut tx,
        now,
        "department_add",
        "operator",
        None,
        serde_json::json!({ "department": code.as_str(), "name": name }),
    )
    .await?;
    tx.commit().await?;
    Ok(keys)
}

/// Deactivate a terminal (a stolen kiosk, a closed counter): its key is refused from its next
/// request, signed or by session.
pub async fn deactivate_terminal(db: &Db, id: &str, now: i64) -> HubResult<()> {
    let mut tx = db.begin_write().await?;
    if !registers::deactivate_terminal(&mut tx, id).await? {
        return Err(HubError::NotFound("active terminal"));
    }
    let detail = serde_json::json!({ "terminal": id });
    store::audit(
        &mut tx,
        now,
        "terminal_deactivated",
        "operator",
        None,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deactivate a department and its terminals: their keys are refused from their next request.
/// Certificates it issued stay as they are (revoke them one by one if they must go).
pub async fn deactivate_department(db: &Db, code: &Uscc, now: i64) -> HubResult<()> {
    let mut tx = db.begin_write().await?;
    if !registers::deactivate_department(&mut tx, code.as_str(), now).await? {
        return Err(HubError::NotFound("active department"));
    }
    let detail = serde_json::json!({ "department": code.as_str() });
    store::audit(
        &mut tx,
        now,
        "department_deactivated",
        "operator",
        None,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub struct NewTerminal {
    pub id: String,
    /// Shown once to the operator; the terminal registers its own key with it.
    pub enrolment_code: String,
}

/// Enrolment codes are valid this long.
pub const ENROLMENT_CODE_SECS: i64 = 7 * 86_400;

/// Register a counter or kiosk; returns its id and a one-time enrolment code.
pub async fn add_terminal(
    db: &Db,
    kind: &str,
    name: &str,
    place: &str,
    department: &Uscc,
    now: i64,
) -> HubResult<NewTerminal> {
    let kind = TerminalKind::parse(kind)
        .map_err(|_| fail(ErrorCode::BadKind, "terminal kind is counter or kiosk"))?;
    let region = registers::department_region(db, department.as_str())
        .await?
        .ok_or(HubError::NotFound("department"))?;
    let id = store::new_id();
    let enrolment_code = enrolment_code();
    let mut tx = db.begin_write().await?;
    let row = registers::TerminalRow {
        id: &id,
        kind: kind.as_str(),
        name,
        place,
        region: &region,
        department: department.as_str(),
        enrol_code_hash: &sha256(enrolment_code.as_bytes())[..],
        enrol_expires_at: now + ENROLMENT_CODE_SECS,
    };
    registers::insert_terminal(&mut tx, &row, now).await?;
    store::audit(
        &mut tx,
        now,
        "terminal_add",
        "operator",
        None,
        serde_json::json!({ "terminal": id, "kind": kind.as_str(), "name": name }),
    )
    .await?;
    tx.commit().await?;
    Ok(NewTerminal { id, enrolment_code })
}

/// A one-time code (a terminal's enrolment, a new device's counter code): 16 characters
/// from an unambiguous alphabet, grouped for reading aloud: `K7QM-2HXP-…`.
pub fn enrolment_code() -> String {
    const A: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut raw = [0u8; 16];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut raw).expect("randomness");
    let chars: Vec<char> = raw
        .iter()
        .map(|b| A[(*b as usize) % A.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

pub struct AuditReport {
    pub entries: u64,
    pub checkpoints: u64,
    pub head: [u8; 32],
}

/// Recompute the whole chain and check every checkpoint's signature and head.
/// Checkpoints are checked with `hub_key`: the hub's published key (its `/v1/hub` answer, or
/// its key file), never a key the database itself names.
pub async fn verify_audit(db: &Db, hub_key: &PublicKey) -> HubResult<AuditReport> {
    let entries = registers::audit_chain(db).await?;
    let head = verify_chain(GENESIS, 1, entries.iter().map(|(e, h)| (e, *h)))?;
    let cps = registers::checkpoints(db).await?;
    for (seq, stored, signed) in &cps {
        let seq = *seq;
        let cp = Checkpoint::open(signed)?.verify(hub_key)?;
        let entry = entries
            .get((seq - 1) as usize)
            .ok_or(mz_core::CoreError::ChainBroken {
                seq: seq as u64,
                why: "checkpoint beyond the chain".into(),
            })?;
        if cp.seq != seq as u64 || cp.head[..] != stored[..] || cp.head != entry.1 {
            return Err(mz_core::CoreError::ChainBroken {
                seq: seq as u64,
                why: "checkpoint does not match the chain".into(),
            }
            .into());
        }
    }
    Ok(AuditReport {
        entries: entries.len() as u64,
        checkpoints: cps.len() as u64,
        head,
    })
}

/// Birth date helper for registers.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}
