//! A holder's devices: the list, and the three ways a pending device becomes active (a face
//! check bound to its key, an active device of the same holder, a counter that checked the ID
//! card), and removal, which ends the device's sessions and unused handles at once.

use crate::auth::{DeviceCaller, TerminalCaller};
use crate::error::{fail, HubError, HubResult};
use crate::store::{self, devices, WriteTx};
use crate::AppState;
use mz_core::api::*;
use mz_core::crypto::sha256;
use mz_core::flow::{Assurance, DeviceConfirmation, TerminalKind};
use mz_core::ids::IdNumber;
use mz_core::ErrorCode;

/// The holder's devices, the asking one marked.
pub async fn list(s: &AppState, who: &DeviceCaller) -> HubResult<DeviceList> {
    let me = who.key_id.to_string();
    let devices = devices::of_holder(&s.db, &who.holder_id)
        .await?
        .into_iter()
        .map(|d| {
            Ok(DeviceView {
                this_device: d.key_id == me,
                key_id: mz_core::crypto::KeyId::parse(&d.key_id)?,
                label: d.label,
                state: d.state,
                created_at: d.created_at,
                last_used_at: d.last_used_at,
                confirmed_by: d.confirmed_by,
            })
        })
        .collect::<HubResult<Vec<_>>>()?;
    Ok(DeviceList { devices })
}

/// A device of the caller's own holder, inside the transaction (another holder's is not found).
async fn own_device(
    tx: &mut WriteTx,
    who: &DeviceCaller,
    key_id: &str,
) -> HubResult<store::devices::StoredDevice> {
    match devices::get_in(tx, key_id).await? {
        Some(d) if d.holder_id == who.holder_id => Ok(d),
        _ => Err(HubError::NotFound("device")),
    }
}

/// An active device approves a pending device of the same holder.
pub async fn approve(s: &AppState, who: &DeviceCaller, key_id: &str) -> HubResult<DeviceList> {
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    own_device(&mut tx, who, key_id).await?;
    super::pin::require_fresh(&mut tx, &who.key_id.to_string(), now).await?;
    confirm_in(&mut tx, key_id, DeviceConfirmation::OtherDevice, now).await?;
    store::audit(
        &mut tx,
        now,
        "device_confirmed",
        &format!("device:{}", who.key_id),
        Some(who.id_number.as_str()),
        serde_json::json!({ "device": key_id, "by": DeviceConfirmation::OtherDevice.as_str() }),
    )
    .await?;
    tx.commit().await?;
    list(s, who).await
}

/// Make a pending device active (once: a second confirmation, or one of a removed device, is
/// refused and changes nothing).
pub async fn confirm_in(
    tx: &mut WriteTx,
    key_id: &str,
    by: DeviceConfirmation,
    now: i64,
) -> HubResult<()> {
    if !devices::confirm(tx, key_id, by, now).await? {
        return Err(fail(
            ErrorCode::DeviceNotPending,
            "this device is not waiting for confirmation",
        ));
    }
    Ok(())
}

/// Any active device of the holder removes one of the holder's devices (itself too): from
/// then on its key is refused, signed or by session, and its unused handles are void.
pub async fn remove(s: &AppState, who: &DeviceCaller, key_id: &str) -> HubResult<DeviceList> {
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    own_device(&mut tx, who, key_id).await?;
    super::pin::require_fresh(&mut tx, &who.key_id.to_string(), now).await?;
    if !devices::remove(&mut tx, key_id, now).await? {
        return Err(fail(
            ErrorCode::DeviceRemoved,
            "this device was already removed",
        ));
    }
    store::audit(
        &mut tx,
        now,
        "device_removed",
        &format!("device:{}", who.key_id),
        Some(who.id_number.as_str()),
        serde_json::json!({ "device": key_id }),
    )
    .await?;
    tx.commit().await?;
    list(s, who).await
}

/// A counter removes every device of a person who lost their phone (staff checked the ID card
/// in person): each key is refused from its next request; the person enrols a new device.
pub async fn remove_at_counter(
    s: &AppState,
    t: &TerminalCaller,
    req: DeviceRemovalRequest,
) -> HubResult<DevicesRemoved> {
    super::terminal::require_counter(t)?;
    let id = IdNumber::parse(req.id_number.trim())?;
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let Some(holder) = devices::holder_of(&mut tx, id.as_str()).await? else {
        return Err(HubError::NotFound("holder"));
    };
    let removed = devices::remove_all(&mut tx, &holder, now).await?;
    if !removed.is_empty() {
        let detail = serde_json::json!({ "devices": removed, "by": "counter" });
        let actor = format!("terminal:{}", t.id);
        store::audit(
            &mut tx,
            now,
            "device_removed",
            &actor,
            Some(id.as_str()),
            detail,
        )
        .await?;
    }
    let name = store::holders::person_name_in(&mut tx, id.as_str()).await?;
    tx.commit().await?;
    Ok(DevicesRemoved {
        removed: removed.len() as u32,
        holder_name_masked: mz_core::api::mask_name(&name),
    })
}

/// A counter confirms a pending device: its staff checked the person's ID card in person
/// (`id_number` as on the card) and scanned the code the new device shows. The code must
/// belong to a pending device of that very person; any mismatch is one answer, and changes
/// nothing. The holder's assurance becomes 实名 + 实人 (the staff saw the person and the card).
pub async fn confirm_at_counter(
    s: &AppState,
    t: &TerminalCaller,
    req: DeviceConfirmRequest,
) -> HubResult<DeviceConfirmed> {
    if t.kind != TerminalKind::Counter {
        return Err(fail(
            ErrorCode::WrongRole,
            "only a staffed counter can confirm a device",
        ));
    }
    let id = IdNumber::parse(&req.id_number)?;
    let now = s.now();
    let code_hash = sha256(req.counter_code.trim().to_ascii_uppercase().as_bytes());
    let mut tx = s.db.begin_write().await?;
    let found = devices::pending_by_counter_code(&mut tx, &code_hash[..], now).await?;
    let Some((key_id, holder_id, id_number, label)) = found.filter(|f| f.2 == id.as_str()) else {
        return Err(fail(
            ErrorCode::BadEnrolmentCode,
            "no device waits for this code with this ID number (unknown, used, expired, or another person's)",
        ));
    };
    confirm_in(&mut tx, &key_id, DeviceConfirmation::Counter, now).await?;
    store::holders::set_assurance(&mut tx, &holder_id, Assurance::RealNamePerson, None).await?;
    store::audit(
        &mut tx,
        now,
        "device_confirmed",
        &format!("terminal:{}", t.id),
        Some(&id_number),
        serde_json::json!({ "device": key_id, "by": DeviceConfirmation::Counter.as_str() }),
    )
    .await?;
    let name = store::holders::person_name_in(&mut tx, &id_number).await?;
    tx.commit().await?;
    Ok(DeviceConfirmed {
        device_label: label,
        holder_name_masked: mz_core::api::mask_name(&name),
    })
}
