//! At the holder's hub: a holder's decision on another hub's terminal's request is kept with
//! the decision and delivered to that hub, retried until it arrives.

use super::*;

/// A holder decided a request from another hub's terminal: keep the message for that hub in
/// the decision's own transaction (so a stored decision always has its message), and return
/// its id for [`send_kept`] once committed. `None`: the terminal is this hub's own.
pub async fn keep_decided(
    tx: &mut store::WriteTx,
    terminal: &str,
    request_id: &str,
    state: RequestState,
    approved: &[String],
    now: i64,
) -> HubResult<Option<String>> {
    let Some((origin, remote_id)) = stored::foreign_terminal_origin(tx, terminal).await? else {
        return Ok(None);
    };
    let origin = RegionCode::parse(&origin)?;
    let call_ = FedCall::Decided {
        terminal_id: remote_id,
        request_id: request_id.into(),
        state,
        approved: approved.to_vec(),
    };
    let id = store::new_id();
    let json = serde_json::to_string(&call_).expect("plain data");
    stored::keep(tx, &id, origin.as_str(), &json, now).await?;
    Ok(Some(id))
}

/// Send a kept message now, in the background; one that fails stays kept for `deliver_outbox`.
pub fn send_kept(s: &AppState, id: String) {
    let s = s.clone();
    tokio::spawn(async move {
        let _ = deliver(&s, &id).await;
    });
}

/// After a failed try, the next one waits this long (doubling from 10 s, at most an hour).
fn retry_after(attempts: i64) -> i64 {
    (10i64 << attempts.clamp(0, 9)).min(3600)
}

/// Try to deliver one kept call; delivered, it is deleted, else its next try is scheduled.
async fn deliver(s: &AppState, id: &str) -> HubResult<bool> {
    let Some((region, call_, attempts)) = stored::kept(&s.db, id).await? else {
        return Ok(false);
    };
    let region = RegionCode::parse(&region)?;
    let call_: FedCall = serde_json::from_str(&call_)
        .map_err(|e| HubError::Internal(format!("kept call unreadable: {e}")))?;
    match call(s, "hub", &region, call_).await {
        Ok(_) => {
            stored::drop_kept(&s.db, id).await?;
            Ok(true)
        }
        // The far hub answered and refused (the terminal is gone…): retrying cannot help.
        Err(HubError::Remote { code, .. }) => {
            tracing::warn!(%code, region = %region, "the terminal's hub refused a decision; dropped");
            stored::drop_kept(&s.db, id).await?;
            Ok(false)
        }
        Err(e) => {
            tracing::warn!(code = e.code().as_str(), region = %region, attempts = attempts + 1, "could not tell the terminal's hub of a decision; kept to retry");
            let next_at = s.now() + retry_after(attempts);
            stored::retry_later(&s.db, id, next_at, e.code().as_str()).await?;
            Ok(false)
        }
    }
}

/// Deliver every kept call whose next try is due: (delivered, still kept). The hub runs this
/// every few seconds; tests call it.
pub async fn deliver_outbox(s: &AppState) -> HubResult<(usize, usize)> {
    let due = stored::due(&s.db, s.now()).await?;
    let mut delivered = 0;
    for id in &due {
        if deliver(s, id).await? {
            delivered += 1;
        }
    }
    let kept = stored::kept_count(&s.db).await?;
    Ok((delivered, kept as usize))
}
