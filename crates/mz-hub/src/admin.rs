//! Operator actions (the `mz-hub` CLI): set up a hub, register departments and terminals,
//! load registers, verify the audit chain.

use crate::error::{fail, HubError, HubResult};
use crate::store;
use crate::Db;
use chrono::NaiveDate;
use mz_core::audit::{verify_chain, GENESIS};
use mz_core::codes::{Checkpoint, SignedObject};
use mz_core::crypto::{sha256, PublicKey, SigAlg, Signer};
use mz_core::flow::TerminalKind;
use mz_core::ids::{IdNumber, RegionCode, Uscc};
use mz_core::ErrorCode;
use mz_softkey::{SealKey, SoftKey};
use sqlx::Row;

pub struct HubMeta {
    pub region: RegionCode,
    pub name: String,
    pub key: SoftKey,
}

pub async fn hub_meta(db: &Db) -> HubResult<Option<HubMeta>> {
    let rows = sqlx::query("SELECT key, value FROM hub_meta")
        .fetch_all(&db.read)
        .await?;
    let get = |k: &str| {
        rows.iter()
            .find(|r| r.get::<&str, _>(0) == k)
            .map(|r| r.get::<Vec<u8>, _>(1))
    };
    let (Some(region), Some(name), Some(key)) = (get("region"), get("name"), get("hub_key")) else {
        return Ok(None);
    };
    let text =
        |v: Vec<u8>| String::from_utf8(v).map_err(|_| HubError::Internal("bad hub meta".into()));
    Ok(Some(HubMeta {
        region: RegionCode::parse(&text(region)?)?,
        name: text(name)?,
        key: SoftKey::from_pkcs8(&key).map_err(HubError::Internal)?,
    }))
}

/// Create the hub's identity (region, name, checkpoint key) once; later calls keep it.
pub async fn init_hub(db: &Db, region: &RegionCode, name: &str) -> HubResult<HubMeta> {
    if let Some(m) = hub_meta(db).await? {
        return Ok(m);
    }
    let key = SoftKey::generate();
    let mut tx = db.begin_write().await?;
    for (k, v) in [
        ("region", region.as_str().as_bytes()),
        ("name", name.as_bytes()),
        ("hub_key", key.pkcs8()),
    ] {
        sqlx::query("INSERT INTO hub_meta (key, value) VALUES ($1, $2)")
            .bind(k)
            .bind(v)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(HubMeta {
        region: region.clone(),
        name: name.into(),
        key,
    })
}

pub struct Person<'a> {
    pub id: &'a IdNumber,
    pub name: &'a str,
    pub address: &'a str,
}

/// Add (or keep) a person in the population register.
pub async fn add_person(db: &Db, p: &Person<'_>) -> HubResult<()> {
    sqlx::query("INSERT INTO people (id_number, name, gender, birth_date, address, region) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT(id_number) DO NOTHING")
        .bind(p.id.as_str())
        .bind(p.name)
        .bind(if p.id.is_male() { "男" } else { "女" })
        .bind(p.id.birth_date().to_string())
        .bind(p.address)
        .bind(p.id.area().as_str())
        .execute(&db.write)
        .await?;
    Ok(())
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
    let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM people WHERE id_number = $1")
        .bind(id.as_str())
        .fetch_optional(&db.read)
        .await?;
    if known.is_none() {
        return Err(HubError::NotFound("person"));
    }
    sqlx::query("INSERT INTO person_photos (id_number, photo, embedding, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT(id_number) DO UPDATE SET photo = excluded.photo, embedding = excluded.embedding, updated_at = excluded.updated_at")
        .bind(id.as_str())
        .bind(photo)
        .bind(embedding.map(|e| e.to_bytes()))
        .bind(now)
        .execute(&db.write)
        .await?;
    Ok(())
}

pub async fn add_relation(db: &Db, a: &IdNumber, b: &IdNumber, relation: &str) -> HubResult<()> {
    sqlx::query(
        "INSERT INTO relations (a, b, relation) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(a.as_str())
    .bind(b.as_str())
    .bind(relation)
    .execute(&db.write)
    .await?;
    Ok(())
}

pub async fn add_enterprise(
    db: &Db,
    uscc: &Uscc,
    name: &str,
    legal_rep: &IdNumber,
    address: &str,
) -> HubResult<()> {
    sqlx::query("INSERT INTO enterprises (uscc, name, legal_rep, region, address) VALUES ($1, $2, $3, $4, $5) ON CONFLICT(uscc) DO NOTHING")
        .bind(uscc.as_str())
        .bind(name)
        .bind(legal_rep.as_str())
        .bind(uscc.region().as_str())
        .bind(address)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// A department's private keys: the API key signs requests, the seal key seals certificates.
pub struct DepartmentKeys {
    pub api: SoftKey,
    /// P-256, or SM2 for a department that seals with the 国密 algorithm.
    pub seal: SealKey,
}

impl DepartmentKeys {
    /// Key file written by the CLI, one key per line: `api <base64url PKCS#8>` and
    /// `seal <algorithm> <base64url private key>` (an older file's `seal <PKCS#8>` is P-256).
    pub fn to_file_text(&self) -> String {
        format!(
            "api {}\nseal {}\n",
            mz_core::crypto::b64(self.api.pkcs8()),
            self.seal.to_text()
        )
    }
    pub fn from_file_text(text: &str) -> Result<Self, String> {
        let get = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(k)?.strip_prefix(' '))
                .ok_or(format!("no {k} key in file"))
        };
        let api = SoftKey::from_pkcs8(
            &mz_core::crypto::unb64("key", get("api")?.trim()).map_err(|e| e.to_string())?,
        )?;
        Ok(DepartmentKeys {
            api,
            seal: SealKey::from_text(get("seal")?)?,
        })
    }
}

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
    let mut tx = db.begin_write().await?;
    if sqlx::query("SELECT 1 FROM departments WHERE code = $1")
        .bind(code.as_str())
        .fetch_optional(&mut *tx)
        .await?
        .is_some()
    {
        return Err(fail(
            ErrorCode::DepartmentExists,
            "this department is already registered",
        ));
    }
    sqlx::query("INSERT INTO departments (code, name, region, api_key_id, api_public_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(code.as_str())
        .bind(name)
        .bind(region.as_str())
        .bind(keys.api.key_id().to_string())
        .bind(keys.api.public_key().as_bytes())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    add_seal_key_tx(&mut tx, code, &keys.seal.public_key(), now).await?;
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

async fn add_seal_key_tx(
    conn: &mut sqlx::AnyConnection,
    dept: &Uscc,
    key: &PublicKey,
    now: i64,
) -> HubResult<()> {
    sqlx::query("INSERT INTO seal_keys (key_id, department, public_key, created_at) VALUES ($1, $2, $3, $4)").bind(key.key_id().to_string()).bind(dept.as_str()).bind(key.as_bytes()).bind(now).execute(conn).await?;
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
    let region: Option<String> =
        sqlx::query_scalar("SELECT region FROM departments WHERE code = $1")
            .bind(department.as_str())
            .fetch_optional(&db.read)
            .await?;
    let region = region.ok_or(HubError::NotFound("department"))?;
    let id = store::new_id();
    let enrolment_code = enrolment_code();
    let mut tx = db.begin_write().await?;
    sqlx::query("INSERT INTO terminals (id, kind, name, place, region, department, enrol_code_hash, enrol_expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(&id)
        .bind(kind.as_str())
        .bind(name)
        .bind(place)
        .bind(&region)
        .bind(department.as_str())
        .bind(&sha256(enrolment_code.as_bytes())[..])
        .bind(now + ENROLMENT_CODE_SECS)
        .bind(now)
        .execute(&mut *tx)
        .await?;
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

/// 16 characters from an unambiguous alphabet, grouped for reading aloud: `K7QM-2HXP-…`.
fn enrolment_code() -> String {
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
pub async fn verify_audit(db: &Db) -> HubResult<AuditReport> {
    let meta = hub_meta(db)
        .await?
        .ok_or_else(|| HubError::Internal("no hub in this database".into()))?;
    let rows = sqlx::query(
        "SELECT seq, at, prev, event, actor, subject, detail, hash FROM audit ORDER BY seq",
    )
    .fetch_all(&db.read)
    .await?;
    let entries = rows
        .iter()
        .map(store::row_to_entry)
        .collect::<HubResult<Vec<_>>>()?;
    let head = verify_chain(GENESIS, 1, entries.iter().map(|(e, h)| (e, *h)))?;
    let cps = sqlx::query("SELECT seq, head, signed FROM checkpoints ORDER BY seq")
        .fetch_all(&db.read)
        .await?;
    let hub_key = meta.key.public_key();
    for r in &cps {
        let seq: i64 = r.get(0);
        let cp = Checkpoint::open(&r.get::<Vec<u8>, _>(2))?.verify(&hub_key)?;
        let stored: Vec<u8> = r.get(1);
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
