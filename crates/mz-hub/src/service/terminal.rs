//! Terminals (counters 窗口 and kiosks 自助终端): enrolment with a one-time code.

use crate::auth::TerminalCaller;
use crate::error::{fail, HubResult};
use crate::service::public::terminal_view;
use crate::store;
use crate::store::terminals;
use crate::AppState;
use mz_core::api::*;
use mz_core::crypto::sha256;
use mz_core::flow::TerminalKind;
use mz_core::CoreError;
use mz_core::ErrorCode;

/// Bind the key of a terminal that proved it holds it (checked by the caller) to the terminal
/// waiting for this one-time enrolment code.
pub async fn enrol(s: &AppState, body: TerminalEnrolRequest) -> HubResult<TerminalInfo> {
    let code_hash = sha256(body.enrolment_code.trim().as_bytes());
    let now = s.now();
    let unknown = || {
        fail(
            ErrorCode::BadEnrolmentCode,
            "this enrolment code is unknown or was already used",
        )
    };
    // Anyone can send a code: an unknown one is refused without taking the write gate.
    if !terminals::code_awaits(&s.db, &code_hash[..]).await? {
        return Err(unknown());
    }
    let mut tx = s.db.begin_write().await?;
    let Some((id, expires_at)) = terminals::awaiting_code(&mut tx, &code_hash[..]).await? else {
        return Err(unknown());
    };
    if expires_at.is_some_and(|e| e < now) {
        return Err(CoreError::Expired {
            what: "enrolment code",
        }
        .into());
    }
    let key_id = body.public_key.key_id().to_string();
    if terminals::key_in_use(&mut tx, &key_id).await? {
        return Err(fail(ErrorCode::KeyInUse, "this key is already registered"));
    }
    terminals::bind_key(&mut tx, &id, &key_id, body.public_key.as_bytes()).await?;
    store::audit(
        &mut tx,
        now,
        "terminal_enrol",
        &format!("terminal:{id}"),
        None,
        serde_json::json!({ "terminal": id, "key": key_id }),
    )
    .await?;
    tx.commit().await?;
    terminal_view(s, &id).await
}

/// Counters only: a kiosk, unattended, acts through its login sessions (security review M-2).
pub fn require_counter(t: &TerminalCaller) -> HubResult<()> {
    if t.kind != TerminalKind::Counter {
        return Err(fail(
            ErrorCode::WrongRole,
            "only a staffed counter may do this; a kiosk works through its login sessions",
        ));
    }
    Ok(())
}

/// A terminal asks only for the matters its department handles (M-2).
pub async fn require_handles(s: &AppState, t: &TerminalCaller, matter: &str) -> HubResult<()> {
    let handled = s
        .catalogue()
        .await?
        .matter(matter)?
        .handled_by(&t.department);
    if !handled {
        return Err(fail(
            ErrorCode::MatterNotHandled,
            format!("this terminal's department does not handle the matter {matter}"),
        ));
    }
    Ok(())
}
