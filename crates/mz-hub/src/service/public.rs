//! What anyone may call: hub info, catalogue, terminal and department lookup, public
//! certificate lookup (依法可公示), audit checkpoints; and opening a session token.

use crate::error::{fail, HubError, HubResult};
use crate::store::public as stored;
use crate::AppState;
use mz_core::api::*;
use mz_core::codes::{Checkpoint, SignedObject};
use mz_core::crypto::{b64, KeyId};
use mz_core::ErrorCode;

pub async fn terminal_view(s: &AppState, id: &str) -> HubResult<TerminalInfo> {
    stored::terminal(&s.db, id)
        .await?
        .ok_or(HubError::NotFound("terminal"))
}

/// This hub's own departments (all, or those in `codes`) with their published seal keys.
pub async fn department_infos(
    s: &AppState,
    codes: Option<&[String]>,
) -> HubResult<Vec<DepartmentInfo>> {
    let mut all = stored::departments(&s.db).await?;
    all.retain(|d| codes.is_none_or(|c| c.contains(&d.code)));
    Ok(all)
}

/// [`lookup_here`] with this hub's name and the issuing departments' published keys.
pub async fn lookup_with_issuers(
    s: &AppState,
    cert_type: &str,
    holder: &str,
) -> HubResult<PublicLookup> {
    let certificates = lookup_here(s, cert_type, holder).await?;
    let codes: Vec<String> = certificates
        .iter()
        .map(|c| c.certificate.body.issuer_code.to_string())
        .collect();
    Ok(PublicLookup {
        held_by: s.name.clone(),
        issuers: department_infos(s, Some(&codes)).await?,
        certificates,
    })
}

/// Disclosable certificates of `cert_type` held here whose holder's name contains `holder`.
pub async fn lookup_here(
    s: &AppState,
    cert_type: &str,
    holder: &str,
) -> HubResult<Vec<PublicCertificate>> {
    let catalogue = s.catalogue().await?;
    let t = catalogue.cert_type(cert_type)?;
    if !t.disclosable {
        return Err(fail(
            ErrorCode::NotDisclosable,
            format!("{} is not publicly disclosable", t.name),
        ));
    }
    let holder = holder.trim();
    if holder.chars().count() < 2 {
        return Err(fail(
            ErrorCode::QueryTooShort,
            "give at least two characters of the holder's name",
        ));
    }
    // A substring match with LIKE, the query's own wildcards taken literally.
    let pattern = format!(
        "%{}%",
        holder
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let found = stored::disclosable(&s.db, &t.code, &pattern).await?;
    Ok(with_status_today(s, found))
}

/// Certificates as stored, each with its status today.
pub fn with_status_today(
    s: &AppState,
    rows: Vec<(mz_core::cert::Certificate, mz_core::cert::CertStatus)>,
) -> Vec<PublicCertificate> {
    let today = s.today();
    rows.into_iter()
        .map(|(certificate, stored)| PublicCertificate {
            status: certificate.body.status_on(stored, today),
            certificate,
        })
        .collect()
}

/// Sign a checkpoint of the audit chain's head if it moved since the last one.
pub async fn checkpoint_now(s: &AppState) -> HubResult<CheckpointView> {
    let mut tx = s.db.begin_write().await?;
    let Some((seq, hash)) = stored::chain_head(&mut tx).await? else {
        return Err(HubError::NotFound("audit entry"));
    };
    if let Some(cp) = stored::checkpoint_at(&mut tx, seq).await? {
        return Ok(checkpoint_view(&cp));
    }
    let cp = Checkpoint {
        region: s.region.as_u32(),
        seq,
        head: hash,
        at: s.now(),
    };
    let signed = cp
        .sign(&s.hub_key)
        .map_err(|e| HubError::Internal(e.to_string()))?;
    let kept = (seq, hash, cp.at, signed);
    stored::insert_checkpoint(&mut tx, &kept).await?;
    tx.commit().await?;
    Ok(checkpoint_view(&kept))
}

/// The latest checkpoint the hub signed (on its timer, [`crate::spawn_checkpoints`]): a read,
/// so that an anonymous request never takes the write gate.
pub async fn latest_checkpoint(s: &AppState) -> HubResult<CheckpointView> {
    let cp = stored::latest_checkpoint(&s.db)
        .await?
        .ok_or(HubError::NotFound(
            "checkpoint (the hub signs its first one shortly)",
        ))?;
    Ok(checkpoint_view(&cp))
}

fn checkpoint_view((seq, head, at, signed): &stored::StoredCheckpoint) -> CheckpointView {
    CheckpointView {
        seq: *seq,
        head: hex::encode(head),
        at: *at,
        signed: b64(signed),
    }
}

/// Check a printed or archived form against the hub (its QR code points here).
pub async fn receipt(s: &AppState, id: String) -> HubResult<ReleaseReceipt> {
    let (matter, terminal, released_at, released) = stored::released(&s.db, &id)
        .await?
        .ok_or(HubError::NotFound("release"))?;
    let today = s.today();
    let mut certificates = Vec::new();
    for lid in crate::service::parse_list(&released) {
        let (c, stored_status) = stored::certificate(&s.db, &lid).await?;
        certificates.push(ReceiptCert {
            license_id: lid,
            name: c.body.name.clone(),
            status: c.body.status_on(stored_status, today),
        });
    }
    Ok(ReleaseReceipt {
        request_id: id,
        matter_name: s
            .catalogue()
            .await?
            .matter(&matter)
            .map(|m| m.name.clone())
            .unwrap_or_default(),
        matter,
        terminal,
        released_at,
        certificates,
    })
}

/// A bearer session for a key that signed this request just now; a session cannot open
/// another, so each ends [`crate::auth::SESSION_SECS`] after a signature at the latest.
pub fn session(s: &AppState, key_id: KeyId, by_session: bool) -> HubResult<SessionToken> {
    if by_session {
        return Err(fail(
            ErrorCode::SessionFromSession,
            "a session cannot open another: sign this request with the key",
        ));
    }
    let (token, expires_at) = s.auth.new_session(key_id, s.now());
    Ok(SessionToken { token, expires_at })
}
