//! Enrolment of a holder's device (实名), and the holder's profile.
use super::holder::enterprises_of;
use crate::auth::{Asker, EnrollingDevice};
use crate::error::{fail, HubResult};
use crate::push::holder_key;
use crate::store;
use crate::store::{devices, holders};
use crate::AppState;
use mz_core::api::*;
use mz_core::crypto::sha256;
use mz_core::flow::{Assurance, DeviceConfirmation, DeviceState};
use mz_core::ids::IdNumber;
use mz_core::ErrorCode;

/// A counter code is valid this long after enrolment (a day to get to a counter).
pub const COUNTER_CODE_SECS: i64 = 86_400;

/// Enrol a new device for the person whose ID number and name match the register (实名).
/// The device is pending: it acts for no one until a face check bound to its key, an active
/// device of the same holder, or a counter's staff confirm it (see [`super::devices`]).
pub async fn enrol_holder(
    s: &AppState,
    body: EnrolRequest,
    asker: &Asker,
) -> HubResult<EnrolResponse> {
    let id = IdNumber::parse(&body.id_number)?;
    let label = body.device_label.trim();
    if label.is_empty() || label.chars().count() > 60 {
        return Err(fail(
            ErrorCode::BadLabel,
            "device label must be 1–60 characters",
        ));
    }
    check_register_identity(s, &id, &body.name, asker).await?;
    let now = s.now();
    let key_id = body.device_public_key.key_id().to_string();
    // Random, in the same readable form as a terminal's enrolment code; it names no one.
    let counter_code = crate::admin::enrolment_code();
    let mut tx = s.db.begin_write().await?;
    if holders::device_enrolled(&mut tx, &key_id).await? {
        return Err(fail(
            ErrorCode::DeviceAlreadyEnrolled,
            "this device key is already enrolled",
        ));
    }
    let holder_id = holders::find_or_create(&mut tx, id.as_str(), Assurance::None, now).await?;
    let assurance = holders::assurance_in(&mut tx, &holder_id).await?;
    let device = devices::NewDevice {
        key_id: &key_id,
        holder_id: &holder_id,
        public_key: body.device_public_key.as_bytes(),
        label,
        counter_code_hash: &sha256(counter_code.as_bytes())[..],
        counter_code_expires_at: now + COUNTER_CODE_SECS,
        now,
    };
    devices::add_pending(&mut tx, device).await?;
    store::audit(
        &mut tx,
        now,
        "device_enrolled",
        &format!("device:{key_id}"),
        Some(id.as_str()),
        serde_json::json!({ "device": key_id, "label": label, "state": DeviceState::Pending.as_str() }),
    )
    .await?;
    tx.commit().await?;
    let confirm_by = ways_to_confirm(s, id.as_str(), &holder_id).await?;
    if confirm_by.contains(&DeviceConfirmation::OtherDevice) {
        let added = PushEvent::DeviceAdded {
            key_id: body.device_public_key.key_id(),
            label: label.to_string(),
            at: now,
        };
        s.push.send(&holder_key(&holder_id), &added);
    }
    Ok(EnrolResponse {
        holder_id,
        device_key_id: body.device_public_key.key_id(),
        device_state: DeviceState::Pending,
        assurance,
        assurance_note: "实名: the ID number and name match the register. The device acts for no one until it is confirmed: a live face check (实人), another of your devices, or a counter".into(),
        confirm_by,
        counter_code,
        counter_code_expires_at: now + COUNTER_CODE_SECS,
    })
}

/// How a new device of this holder can be confirmed now.
async fn ways_to_confirm(
    s: &AppState,
    id_number: &str,
    holder_id: &str,
) -> HubResult<Vec<DeviceConfirmation>> {
    let mut ways = Vec::new();
    if crate::face::ready_for(s, id_number).await.is_ok() {
        ways.push(DeviceConfirmation::Face);
    }
    if devices::has_active(&s.db, holder_id).await? {
        ways.push(DeviceConfirmation::OtherDevice);
    }
    ways.push(DeviceConfirmation::Counter);
    Ok(ways)
}

/// 实名: the ID number and name must match the population register. One answer for "no such
/// person" and "the name does not match", so it tells nothing about the register; failures
/// count against the asker's key and address (5 an hour), never against the ID number, so
/// a stranger's guesses do not lock the real person out.
pub async fn check_register_identity(
    s: &AppState,
    id: &IdNumber,
    name: &str,
    asker: &Asker,
) -> HubResult<()> {
    s.auth.check_identity_allowed(asker, s.now())?;
    if store::person_name(&s.db, id.as_str()).await?.as_deref() != Some(name.trim()) {
        s.auth.identity_failed(asker, s.now());
        return Err(fail(
            ErrorCode::IdentityMismatch,
            "the ID number and name do not match the population register",
        ));
    }
    Ok(())
}

/// The holder's profile as the asking device may see it (a pending device: its own state).
pub async fn me(s: &AppState, who: EnrollingDevice) -> HubResult<Profile> {
    let d = who.0;
    let assurance = holders::assurance(&s.db, &d.holder_id).await?;
    Ok(Profile {
        holder_id: d.holder_id.clone(),
        name: d.name.clone(),
        id_number_masked: d.id_number.masked(),
        assurance,
        device_state: d.state,
        region: d.id_number.area().to_string(),
        enterprises: enterprises_of(s, d.id_number.as_str()).await?,
    })
}
