//! Enrolment of a holder's device (实名), and the holder's profile.
use super::holder::enterprises_of;
use crate::auth::DeviceCaller;
use crate::error::{fail, HubResult};
use crate::store;
use crate::store::holders;
use crate::AppState;
use mz_core::api::*;
use mz_core::flow::Assurance;
use mz_core::ids::IdNumber;
use mz_core::ErrorCode;

pub async fn enrol_holder(s: &AppState, body: EnrolRequest) -> HubResult<EnrolResponse> {
    let id = IdNumber::parse(&body.id_number)?;
    let label = body.device_label.trim();
    if label.is_empty() || label.chars().count() > 60 {
        return Err(fail(
            ErrorCode::BadLabel,
            "device label must be 1–60 characters",
        ));
    }
    check_register_identity(s, &id, &body.name).await?;
    let now = s.now();
    let key_id = body.device_public_key.key_id();
    let mut tx = s.db.begin_write().await?;
    if holders::device_enrolled(&mut tx, &key_id.to_string()).await? {
        return Err(fail(
            ErrorCode::DeviceAlreadyEnrolled,
            "this device key is already enrolled",
        ));
    }
    let holder_id = holders::find_or_create(&mut tx, id.as_str(), Assurance::RealName, now).await?;
    // A person first served at a counter after a face check has a holder record without any
    // device (assurance none); their first device makes it real-name.
    let from = Some(Assurance::None);
    holders::set_assurance(&mut tx, &holder_id, Assurance::RealName, from).await?;
    let assurance = holders::assurance_in(&mut tx, &holder_id).await?;
    let device = holders::NewDevice {
        key_id: &key_id.to_string(),
        holder_id: &holder_id,
        public_key: body.device_public_key.as_bytes(),
        label,
        now,
    };
    holders::add_device(&mut tx, device).await?;
    store::audit(
        &mut tx,
        now,
        "enrol",
        &format!("device:{key_id}"),
        Some(id.as_str()),
        serde_json::json!({ "assurance": assurance.as_str(), "device": key_id.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(EnrolResponse {
        holder_id,
        device_key_id: key_id,
        assurance_note: if assurance == Assurance::RealName {
            "实名 only: ID number and name checked against the population register; the face check (实人) is not done yet".into()
        } else {
            "实名 + 实人".into()
        },
        assurance,
    })
}

/// 实名: the ID number and name must match the population register. Failures count towards
/// a per-ID-number limit (5 an hour), so names cannot be guessed; the error does not say which
/// half was wrong.
pub async fn check_register_identity(s: &AppState, id: &IdNumber, name: &str) -> HubResult<()> {
    s.auth.check_enrol_allowed(id.as_str(), s.now())?;
    if store::person_name(&s.db, id.as_str()).await?.as_deref() != Some(name.trim()) {
        s.auth.enrol_failed(id.as_str(), s.now());
        return Err(fail(
            ErrorCode::IdentityMismatch,
            "the ID number and name do not match the population register",
        ));
    }
    s.auth.enrol_succeeded(id.as_str());
    Ok(())
}

pub async fn me(s: &AppState, who: DeviceCaller) -> HubResult<Profile> {
    let d = who;
    let assurance = holders::assurance(&s.db, &d.holder_id).await?;
    Ok(Profile {
        holder_id: d.holder_id.clone(),
        name: d.name.clone(),
        id_number_masked: d.id_number.masked(),
        assurance,
        region: d.id_number.area().to_string(),
        enterprises: enterprises_of(s, d.id_number.as_str()).await?,
    })
}
