//! Holders, their devices and their codes' one-time handles, in storage; and what a holder
//! reads of their own: enterprises they represent, certificates, records.

use super::audit::{row_to_entry, WriteTx};
use super::{new_id, Db};
use crate::error::HubResult;
use mz_core::audit::AuditEntry;
use mz_core::flow::Assurance;

/// Whether a device key is enrolled already.
pub async fn device_enrolled(tx: &mut WriteTx, key_id: &str) -> HubResult<bool> {
    Ok(sqlx::query("SELECT 1 FROM devices WHERE key_id = $1")
        .bind(key_id)
        .fetch_optional(&mut **tx)
        .await?
        .is_some())
}

/// The holder record of a person, made with `assurance` if there is none yet.
pub async fn find_or_create(
    tx: &mut WriteTx,
    id_number: &str,
    assurance: Assurance,
    now: i64,
) -> HubResult<String> {
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM holders WHERE id_number = $1")
        .bind(id_number)
        .fetch_optional(&mut **tx)
        .await?;
    if let Some(h) = found {
        return Ok(h);
    }
    let h = new_id();
    sqlx::query(
        "INSERT INTO holders (id, id_number, assurance, enrolled_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&h)
    .bind(id_number)
    .bind(assurance.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(h)
}

/// Set a holder's assurance (only from `from`, when given).
pub async fn set_assurance(
    tx: &mut WriteTx,
    holder_id: &str,
    to: Assurance,
    from: Option<Assurance>,
) -> HubResult<()> {
    let q = match from {
        Some(from) => {
            sqlx::query("UPDATE holders SET assurance = $1 WHERE id = $2 AND assurance = $3")
                .bind(to.as_str())
                .bind(holder_id)
                .bind(from.as_str())
        }
        None => sqlx::query("UPDATE holders SET assurance = $1 WHERE id = $2")
            .bind(to.as_str())
            .bind(holder_id),
    };
    q.execute(&mut **tx).await?;
    Ok(())
}

fn assurance_of(row: Option<String>) -> HubResult<Assurance> {
    Ok(Assurance::parse(row.as_deref().unwrap_or_default())?)
}

/// A holder's assurance, inside a write transaction.
pub async fn assurance_in(tx: &mut WriteTx, holder_id: &str) -> HubResult<Assurance> {
    let a = sqlx::query_scalar("SELECT assurance FROM holders WHERE id = $1")
        .bind(holder_id)
        .fetch_optional(&mut **tx)
        .await?;
    assurance_of(a)
}

/// A holder's assurance.
pub async fn assurance(db: &Db, holder_id: &str) -> HubResult<Assurance> {
    let a = sqlx::query_scalar("SELECT assurance FROM holders WHERE id = $1")
        .bind(holder_id)
        .fetch_optional(&db.read)
        .await?;
    assurance_of(a)
}

/// The enterprises a person is the legal representative of: (统一社会信用代码, name).
pub async fn represented(db: &Db, id_number: &str) -> HubResult<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT uscc, name FROM enterprises WHERE legal_rep = $1 ORDER BY name")
            .bind(id_number)
            .fetch_all(&db.read)
            .await?,
    )
}

/// A subject's certificates as stored: (body as JSON, stored status, type code), by type,
/// then in the order issued.
pub async fn certificates(db: &Db, holder_code: &str) -> HubResult<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT body, status, type_code FROM certificates WHERE holder_code = $1 ORDER BY type_code, issued_at, license_id",
    )
    .bind(holder_code)
    .fetch_all(&db.read)
    .await?)
}

/// The audit entries about a subject, in order, with their hashes.
pub async fn records(db: &Db, subject: &str) -> HubResult<Vec<(AuditEntry, [u8; 32])>> {
    let rows = sqlx::query(
        "SELECT seq, at, prev, event, actor, subject, detail, hash FROM audit WHERE subject = $1 ORDER BY seq",
    )
    .bind(subject)
    .fetch_all(&db.read)
    .await?;
    rows.iter().map(row_to_entry).collect()
}

/// How many unused handles a device holds.
pub async fn unused_handles(tx: &mut WriteTx, device: &str) -> HubResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM handles WHERE device = $1 AND used_at IS NULL")
            .bind(device)
            .fetch_one(&mut **tx)
            .await?,
    )
}

/// Issue handles to a device.
pub async fn add_handles(
    tx: &mut WriteTx,
    device: &str,
    handles: &[[u8; 16]],
    now: i64,
) -> HubResult<()> {
    for h in handles {
        sqlx::query("INSERT INTO handles (handle, device, issued_at) VALUES ($1, $2, $3)")
            .bind(&h[..])
            .bind(device)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A person's name in the population register, inside a write transaction.
pub async fn person_name_in(tx: &mut WriteTx, id_number: &str) -> HubResult<String> {
    Ok(
        sqlx::query_scalar("SELECT name FROM people WHERE id_number = $1")
            .bind(id_number)
            .fetch_one(&mut **tx)
            .await?,
    )
}

/// The holder record of a person who has a confirmed (active) device to approve on.
pub async fn with_active_device(db: &Db, id_number: &str) -> HubResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT h.id FROM holders h WHERE h.id_number = $1 \
         AND EXISTS (SELECT 1 FROM devices d WHERE d.holder = h.id AND d.state = $2)",
    )
    .bind(id_number)
    .bind(mz_core::flow::DeviceState::Active.as_str())
    .fetch_optional(&db.read)
    .await?)
}
