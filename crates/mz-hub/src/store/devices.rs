//! A holder's devices in storage: a new one is pending, one confirmation makes it active, and a
//! removal ends it with its unused handles. Every change is guarded by the state it leaves, so
//! two racing decisions cannot both win.

use super::audit::WriteTx;
use super::Db;
use crate::error::HubResult;
use mz_core::flow::{DeviceConfirmation, DeviceState, LoginState, RequestState};
use sqlx::Row;

/// A new, pending device of a holder, with the hash of the code it shows at a counter.
pub struct NewDevice<'a> {
    pub key_id: &'a str,
    pub holder_id: &'a str,
    pub public_key: &'a [u8],
    pub label: &'a str,
    pub counter_code_hash: &'a [u8],
    pub counter_code_expires_at: i64,
    pub now: i64,
}

pub async fn add_pending(tx: &mut WriteTx, d: NewDevice<'_>) -> HubResult<()> {
    sqlx::query(
        "INSERT INTO devices (key_id, holder, public_key, label, created_at, state, counter_code_hash, counter_code_expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(d.key_id)
    .bind(d.holder_id)
    .bind(d.public_key)
    .bind(d.label)
    .bind(d.now)
    .bind(DeviceState::Pending.as_str())
    .bind(d.counter_code_hash)
    .bind(d.counter_code_expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A device as the holder sees it.
pub struct StoredDevice {
    pub key_id: String,
    pub holder_id: String,
    pub label: String,
    pub state: DeviceState,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub confirmed_by: Option<DeviceConfirmation>,
}

const DEVICE_COLUMNS: &str =
    "key_id, holder, label, state, created_at, last_used_at, confirmed_by FROM devices";

fn device_of(r: &sqlx::any::AnyRow) -> HubResult<StoredDevice> {
    let confirmed: Option<String> = r.get(6);
    Ok(StoredDevice {
        key_id: r.get(0),
        holder_id: r.get(1),
        label: r.get(2),
        state: DeviceState::parse(r.get(3))?,
        created_at: r.get(4),
        last_used_at: r.get(5),
        confirmed_by: confirmed
            .as_deref()
            .map(DeviceConfirmation::parse)
            .transpose()?,
    })
}

/// A holder's devices, oldest first.
pub async fn of_holder(db: &Db, holder_id: &str) -> HubResult<Vec<StoredDevice>> {
    let rows = sqlx::query(&format!(
        "SELECT {DEVICE_COLUMNS} WHERE holder = $1 ORDER BY created_at, key_id"
    ))
    .bind(holder_id)
    .fetch_all(&db.read)
    .await?;
    rows.iter().map(device_of).collect()
}

/// One device, inside a write transaction.
pub async fn get_in(tx: &mut WriteTx, key_id: &str) -> HubResult<Option<StoredDevice>> {
    let r = sqlx::query(&format!("SELECT {DEVICE_COLUMNS} WHERE key_id = $1"))
        .bind(key_id)
        .fetch_optional(&mut **tx)
        .await?;
    r.as_ref().map(device_of).transpose()
}

/// The pending device whose counter code has this hash and has not expired: (key id, holder
/// id, the holder's ID number, label).
pub async fn pending_by_counter_code(
    tx: &mut WriteTx,
    code_hash: &[u8],
    now: i64,
) -> HubResult<Option<(String, String, String, String)>> {
    let r = sqlx::query(
        "SELECT d.key_id, d.holder, h.id_number, d.label FROM devices d JOIN holders h ON h.id = d.holder \
         WHERE d.counter_code_hash = $1 AND d.state = $2 AND d.counter_code_expires_at > $3",
    )
    .bind(code_hash)
    .bind(DeviceState::Pending.as_str())
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))))
}

/// Make a pending device active; false if it was not pending (someone else decided first).
pub async fn confirm(
    tx: &mut WriteTx,
    key_id: &str,
    by: DeviceConfirmation,
    now: i64,
) -> HubResult<bool> {
    let done = sqlx::query(
        "UPDATE devices SET state = $1, confirmed_by = $2, last_used_at = $3, counter_code_hash = NULL, counter_code_expires_at = NULL \
         WHERE key_id = $4 AND state = $5",
    )
    .bind(DeviceState::Active.as_str())
    .bind(by.as_str())
    .bind(now)
    .bind(key_id)
    .bind(DeviceState::Pending.as_str())
    .execute(&mut **tx)
    .await?;
    let confirmed = done.rows_affected() == 1;
    if confirmed {
        tx.keys_changed();
    }
    Ok(confirmed)
}

/// Remove a device (pending or active) and void its unused handles; false if it was removed
/// already.
pub async fn remove(tx: &mut WriteTx, key_id: &str, now: i64) -> HubResult<bool> {
    let done = sqlx::query(
        "UPDATE devices SET state = $1, revoked_at = $2, counter_code_hash = NULL, counter_code_expires_at = NULL \
         WHERE key_id = $3 AND state <> $1",
    )
    .bind(DeviceState::Removed.as_str())
    .bind(now)
    .bind(key_id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    tx.keys_changed();
    sqlx::query("DELETE FROM handles WHERE device = $1 AND used_at IS NULL")
        .bind(key_id)
        .execute(&mut **tx)
        .await?;
    end_what_it_approved(tx, key_id).await?;
    Ok(true)
}

/// Withdraw the device's approvals not released yet, and end the kiosk sessions it logged in.
async fn end_what_it_approved(tx: &mut WriteTx, key_id: &str) -> HubResult<()> {
    sqlx::query(
        "UPDATE auth_requests SET state = $1 WHERE decided_by = $2 AND state IN ($3, $4) AND released_at IS NULL",
    )
    .bind(RequestState::Withdrawn.as_str())
    .bind(key_id)
    .bind(RequestState::Approved.as_str())
    .bind(RequestState::PartlyApproved.as_str())
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE login_sessions SET state = $1 WHERE device = $2 AND state = $3")
        .bind(LoginState::Ended.as_str())
        .bind(key_id)
        .bind(LoginState::LoggedIn.as_str())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Remove every device of a holder that is not removed yet, voiding their unused handles;
/// returns their key ids.
pub async fn remove_all(tx: &mut WriteTx, holder_id: &str, now: i64) -> HubResult<Vec<String>> {
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT key_id FROM devices WHERE holder = $1 AND state <> $2")
            .bind(holder_id)
            .bind(DeviceState::Removed.as_str())
            .fetch_all(&mut **tx)
            .await?;
    for k in &keys {
        remove(tx, k, now).await?;
    }
    Ok(keys)
}

/// The holder record of a person, if they have one.
pub async fn holder_of(tx: &mut WriteTx, id_number: &str) -> HubResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM holders WHERE id_number = $1")
            .bind(id_number)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// Whether the holder has an active device.
pub async fn has_active(db: &Db, holder_id: &str) -> HubResult<bool> {
    Ok(
        sqlx::query("SELECT 1 FROM devices WHERE holder = $1 AND state = $2")
            .bind(holder_id)
            .bind(DeviceState::Active.as_str())
            .fetch_optional(&db.read)
            .await?
            .is_some(),
    )
}

/// Note that a device was used (it took handles or decided a request).
pub async fn touch(tx: &mut WriteTx, key_id: &str, now: i64) -> HubResult<()> {
    sqlx::query("UPDATE devices SET last_used_at = $1 WHERE key_id = $2")
        .bind(now)
        .bind(key_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A device's PIN as the hub keeps it.
pub struct StoredPin {
    pub hash: Option<String>,
    pub failures: i64,
    pub locked_until: i64,
    pub ok_until: i64,
}

pub async fn pin(tx: &mut WriteTx, key_id: &str) -> HubResult<StoredPin> {
    let r = sqlx::query(
        "SELECT pin_hash, pin_failures, pin_locked_until, pin_ok_until FROM devices WHERE key_id = $1",
    )
    .bind(key_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(StoredPin {
        hash: r.get(0),
        failures: r.get(1),
        locked_until: r.get(2),
        ok_until: r.get(3),
    })
}

/// Record a PIN's state (and its hash, when set or changed).
pub async fn save_pin(tx: &mut WriteTx, key_id: &str, p: &StoredPin) -> HubResult<()> {
    sqlx::query(
        "UPDATE devices SET pin_hash = $1, pin_failures = $2, pin_locked_until = $3, pin_ok_until = $4 WHERE key_id = $5",
    )
    .bind(&p.hash)
    .bind(p.failures)
    .bind(p.locked_until)
    .bind(p.ok_until)
    .bind(key_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
