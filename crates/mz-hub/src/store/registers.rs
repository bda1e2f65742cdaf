//! The registers the operator loads (the hub's own identity, people and their reference
//! photos, relations, enterprises, departments, terminals) and the whole audit chain for
//! `audit verify`.

use super::audit::{row_to_entry, WriteTx};
use super::Db;
use crate::error::HubResult;
use mz_core::audit::AuditEntry;
use sqlx::Row;

/// Every `(key, value)` of the hub's own settings.
pub async fn hub_meta(db: &Db) -> HubResult<Vec<(String, Vec<u8>)>> {
    let rows = sqlx::query("SELECT key, value FROM hub_meta")
        .fetch_all(&db.read)
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// One of the hub's own settings.
pub async fn hub_meta_value(db: &Db, key: &str) -> HubResult<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM hub_meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// Set one of the hub's own settings, once.
pub async fn insert_hub_meta(tx: &mut WriteTx, key: &str, value: &[u8]) -> HubResult<()> {
    sqlx::query("INSERT INTO hub_meta (key, value) VALUES ($1, $2)")
        .bind(key)
        .bind(value)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Replace the hub's private key row of an older hub by its public half (the private key
/// now lives in a file).
pub async fn move_out_legacy_key(
    tx: &mut WriteTx,
    public_name: &str,
    public: &[u8],
) -> HubResult<()> {
    sqlx::query("DELETE FROM hub_meta WHERE key = 'hub_key'")
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO hub_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(public_name)
        .bind(public)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A row of the population register.
pub struct PersonRow<'a> {
    pub id_number: &'a str,
    pub name: &'a str,
    pub gender: &'a str,
    pub birth_date: String,
    pub address: &'a str,
    pub region: &'a str,
}

/// Add a person to the population register (one already there is kept as it is).
pub async fn insert_person(db: &Db, p: &PersonRow<'_>) -> HubResult<()> {
    sqlx::query("INSERT INTO people (id_number, name, gender, birth_date, address, region) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT(id_number) DO NOTHING")
        .bind(p.id_number)
        .bind(p.name)
        .bind(p.gender)
        .bind(&p.birth_date)
        .bind(p.address)
        .bind(p.region)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Whether the population register has this ID number.
pub async fn person_known(db: &Db, id_number: &str) -> HubResult<bool> {
    let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM people WHERE id_number = $1")
        .bind(id_number)
        .fetch_optional(&db.read)
        .await?;
    Ok(known.is_some())
}

/// Whether this person has a reference photo.
pub async fn has_photo(db: &Db, id_number: &str) -> HubResult<bool> {
    let have: Option<i64> = sqlx::query_scalar("SELECT 1 FROM person_photos WHERE id_number = $1")
        .bind(id_number)
        .fetch_optional(&db.read)
        .await?;
    Ok(have.is_some())
}

/// Store (or replace) a person's reference photo and, when known, its face embedding.
pub async fn upsert_photo(
    db: &Db,
    id_number: &str,
    photo: &[u8],
    embedding: Option<Vec<u8>>,
    now: i64,
) -> HubResult<()> {
    sqlx::query("INSERT INTO person_photos (id_number, photo, embedding, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT(id_number) DO UPDATE SET photo = excluded.photo, embedding = excluded.embedding, updated_at = excluded.updated_at")
        .bind(id_number)
        .bind(photo)
        .bind(embedding)
        .bind(now)
        .execute(&db.write)
        .await?;
    Ok(())
}

pub async fn insert_relation(db: &Db, a: &str, b: &str, relation: &str) -> HubResult<()> {
    sqlx::query(
        "INSERT INTO relations (a, b, relation) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(a)
    .bind(b)
    .bind(relation)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// The registered parents of `child` (whose 儿子 or 女儿 the child is), in a fixed order.
pub async fn parents_of(db: &Db, child: &str) -> HubResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT a FROM relations WHERE b = $1 AND relation IN ('儿子', '女儿') ORDER BY a",
    )
    .bind(child)
    .fetch_all(&db.read)
    .await?)
}

/// A row of the enterprise register.
pub struct EnterpriseRow<'a> {
    pub uscc: &'a str,
    pub name: &'a str,
    pub legal_rep: &'a str,
    pub region: &'a str,
    pub address: &'a str,
}

/// Add an enterprise (one already there is kept as it is).
pub async fn insert_enterprise(db: &Db, e: &EnterpriseRow<'_>) -> HubResult<()> {
    sqlx::query("INSERT INTO enterprises (uscc, name, legal_rep, region, address) VALUES ($1, $2, $3, $4, $5) ON CONFLICT(uscc) DO NOTHING")
        .bind(e.uscc)
        .bind(e.name)
        .bind(e.legal_rep)
        .bind(e.region)
        .bind(e.address)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The region of a registered department.
pub async fn department_region(db: &Db, code: &str) -> HubResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT region FROM departments WHERE code = $1")
            .bind(code)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// A department as registered, with the public halves of its keys.
pub struct DepartmentRow<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub region: &'a str,
    pub api_key_id: String,
    pub api_public_key: &'a [u8],
    pub seal_key_id: String,
    pub seal_public_key: &'a [u8],
}

/// Register a department and its first seal key; false (and nothing written) when the code is
/// already registered.
pub async fn insert_department(
    tx: &mut WriteTx,
    d: &DepartmentRow<'_>,
    now: i64,
) -> HubResult<bool> {
    let taken = sqlx::query("SELECT 1 FROM departments WHERE code = $1")
        .bind(d.code)
        .fetch_optional(&mut **tx)
        .await?
        .is_some();
    if taken {
        return Ok(false);
    }
    sqlx::query("INSERT INTO departments (code, name, region, api_key_id, api_public_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(d.code)
        .bind(d.name)
        .bind(d.region)
        .bind(&d.api_key_id)
        .bind(d.api_public_key)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO seal_keys (key_id, department, public_key, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&d.seal_key_id)
        .bind(d.code)
        .bind(d.seal_public_key)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// Deactivate a terminal; false if there is no such active terminal.
pub async fn deactivate_terminal(tx: &mut WriteTx, id: &str) -> HubResult<bool> {
    let done = sqlx::query("UPDATE terminals SET active = 0 WHERE id = $1 AND active = 1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    tx.keys_changed();
    Ok(done.rows_affected() == 1)
}

/// Deactivate a department and all its terminals; false if there is no such active one.
pub async fn deactivate_department(tx: &mut WriteTx, code: &str, now: i64) -> HubResult<bool> {
    let done = sqlx::query(
        "UPDATE departments SET deactivated_at = $1 WHERE code = $2 AND deactivated_at IS NULL",
    )
    .bind(now)
    .bind(code)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    tx.keys_changed();
    sqlx::query("UPDATE terminals SET active = 0 WHERE department = $1")
        .bind(code)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// A terminal as the operator registers it, waiting for its key.
pub struct TerminalRow<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub place: &'a str,
    pub region: &'a str,
    pub department: &'a str,
    pub enrol_code_hash: &'a [u8],
    pub enrol_expires_at: i64,
}

pub async fn insert_terminal(tx: &mut WriteTx, t: &TerminalRow<'_>, now: i64) -> HubResult<()> {
    sqlx::query("INSERT INTO terminals (id, kind, name, place, region, department, enrol_code_hash, enrol_expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(t.id)
        .bind(t.kind)
        .bind(t.name)
        .bind(t.place)
        .bind(t.region)
        .bind(t.department)
        .bind(t.enrol_code_hash)
        .bind(t.enrol_expires_at)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The whole audit chain, in order, each entry with its stored hash.
pub async fn audit_chain(db: &Db) -> HubResult<Vec<(AuditEntry, [u8; 32])>> {
    let rows = sqlx::query(
        "SELECT seq, at, prev, event, actor, subject, detail, hash FROM audit ORDER BY seq",
    )
    .fetch_all(&db.read)
    .await?;
    rows.iter().map(row_to_entry).collect()
}

/// Every signed checkpoint: (its sequence number, the head it names, the signed object).
pub async fn checkpoints(db: &Db) -> HubResult<Vec<(i64, Vec<u8>, Vec<u8>)>> {
    let rows = sqlx::query("SELECT seq, head, signed FROM checkpoints ORDER BY seq")
        .fetch_all(&db.read)
        .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}
