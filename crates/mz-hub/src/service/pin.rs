//! A device's PIN, counted on the hub: the wallet sends a verifier derived from the PIN (never the
//! PIN), the hub keeps a hash of it, counts wrong PINs by its own clock and accepts approvals
//! from the device only for a short while after a correct one. Restoring an old store file or
//! turning the device's clock back resets nothing.
//!
//! A device that never set a PIN on the hub (one enrolled by an older wallet, or a client that
//! has no PIN) is not held to one: the PIN protects a holder whose wallet set it.

use crate::auth::{DeviceCaller, EnrollingDevice};
use crate::error::{fail, HubResult};
use crate::store::devices::{self, StoredPin};
use crate::store::{self, WriteTx};
use crate::AppState;
use base64::Engine as _;
use mz_core::api::{PinCheck, PinChecked, PinOutcome, PinSet};
use mz_core::ErrorCode;

/// Wrong PINs before approvals lock, and for how long (seconds, by the hub's clock).
pub const PIN_TRIES: i64 = 5;
pub const PIN_LOCK_SECS: i64 = 5 * 60;
/// After a correct PIN, approvals from the device are accepted for this long.
pub const PIN_OK_SECS: i64 = 120;

fn verifier_hash(verifier: &str) -> HubResult<String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(verifier.trim())
        .ok()
        .filter(|b| b.len() == 32)
        .ok_or_else(|| {
            fail(
                ErrorCode::BadPinVerifier,
                "a PIN verifier is 32 bytes of base64url (no padding)",
            )
        })?;
    Ok(hex::encode(ring::digest::digest(
        &ring::digest::SHA256,
        &bytes,
    )))
}

/// Judge a proof against the stored PIN, updating the count (the caller saves it).
fn judge(p: &mut StoredPin, proof_hash: &str, now: i64) -> PinChecked {
    if p.locked_until > now {
        return verdict(PinOutcome::Locked, p, now);
    }
    if p.hash.as_deref() == Some(proof_hash) {
        p.failures = 0;
        p.ok_until = now + PIN_OK_SECS;
        return verdict(PinOutcome::Correct, p, now);
    }
    p.failures += 1;
    p.ok_until = 0;
    if p.failures >= PIN_TRIES {
        p.failures = 0;
        p.locked_until = now + PIN_LOCK_SECS;
        return verdict(PinOutcome::Locked, p, now);
    }
    verdict(PinOutcome::Wrong, p, now)
}

fn verdict(outcome: PinOutcome, p: &StoredPin, now: i64) -> PinChecked {
    let correct = outcome == PinOutcome::Correct;
    PinChecked {
        outcome,
        tries_left: (PIN_TRIES - p.failures).max(0) as u32,
        locked_for_secs: (p.locked_until - now).max(0),
        ok_until: correct.then_some(p.ok_until),
    }
}

/// Check a PIN entered on the device.
pub async fn check(s: &AppState, who: &DeviceCaller, req: PinCheck) -> HubResult<PinChecked> {
    let proof = verifier_hash(&req.proof)?;
    let key = who.key_id.to_string();
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let mut p = devices::pin(&mut tx, &key).await?;
    if p.hash.is_none() {
        return Err(fail(
            ErrorCode::NotFound,
            "this device has set no PIN on the hub",
        ));
    }
    let out = judge(&mut p, &proof, now);
    devices::save_pin(&mut tx, &key, &p).await?;
    if out.outcome == PinOutcome::Locked && out.locked_for_secs == PIN_LOCK_SECS {
        let detail = serde_json::json!({ "device": key, "locked_for_secs": PIN_LOCK_SECS });
        store::audit(
            &mut tx,
            now,
            "pin_locked",
            &format!("device:{key}"),
            Some(who.id_number.as_str()),
            detail,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(out)
}

/// Set this device's PIN (a pending device sets it at enrolment); changing it needs the current.
pub async fn set(s: &AppState, who: &EnrollingDevice, req: PinSet) -> HubResult<PinChecked> {
    let new_hash = verifier_hash(&req.verifier)?;
    let key = who.0.key_id.to_string();
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let mut p = devices::pin(&mut tx, &key).await?;
    if p.hash.is_some() {
        let current = verifier_hash(req.current.as_deref().unwrap_or(""))?;
        let out = judge(&mut p, &current, now);
        if out.outcome != PinOutcome::Correct {
            devices::save_pin(&mut tx, &key, &p).await?;
            tx.commit().await?;
            return Ok(out);
        }
    }
    p.hash = Some(new_hash);
    p.failures = 0;
    p.ok_until = now + PIN_OK_SECS;
    devices::save_pin(&mut tx, &key, &p).await?;
    tx.commit().await?;
    Ok(verdict(PinOutcome::Correct, &p, now))
}

/// Refuse an approval from a device that has a PIN on the hub but has not entered it lately.
pub async fn require_fresh(tx: &mut WriteTx, key_id: &str, now: i64) -> HubResult<()> {
    let p = devices::pin(tx, key_id).await?;
    if p.hash.is_none() {
        return Ok(());
    }
    if p.locked_until > now {
        return Err(fail(
            ErrorCode::PinLocked,
            format!(
                "too many wrong PINs: approvals are locked for {} more seconds",
                p.locked_until - now
            ),
        ));
    }
    if p.ok_until < now {
        return Err(fail(ErrorCode::PinRequired, "enter the PIN first"));
    }
    Ok(())
}
