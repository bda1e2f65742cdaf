//! The holder's side: handles for codes, certificates, kiosk login approval, and their own
//! audit records.

use super::authorization::DECISION_SKEW;
use super::uuid_str;
use crate::auth::{json, DeviceCaller};
use crate::error::{fail, HubError, HubResult};
use crate::store::holders;
use crate::AppState;
use mz_core::api::*;
use mz_core::cert::{CertStatus, Certificate};
use mz_core::codes::{check_window, LoginApproval, SignedObject};
use mz_core::crypto::unb64;
use mz_core::ErrorCode;
use serde::Deserialize;

/// Most unused handles a device may hold.
pub const MAX_UNUSED_HANDLES: i64 = 200;

pub async fn enterprises_of(s: &AppState, id_number: &str) -> HubResult<Vec<EnterpriseRef>> {
    Ok(holders::represented(&s.db, id_number)
        .await?
        .into_iter()
        .map(|(uscc, name)| EnterpriseRef { uscc, name })
        .collect())
}

/// Certificates of `holder_codes` as views with status and ordinal.
pub async fn cert_views(
    s: &AppState,
    holder_codes: &[String],
    types: Option<&[String]>,
) -> HubResult<Vec<CertificateView>> {
    let today = s.today();
    let catalogue = s.catalogue().await?;
    let mut out = Vec::new();
    // A certificate's ordinal among those of its type of all `holder_codes`, in their order:
    // a legal representative's show-code for an enterprise type counts across the enterprises
    // they represent, as their wallet lists them.
    let mut ordinals: std::collections::HashMap<String, u8> = Default::default();
    for code in holder_codes {
        for (body, stored_status, t) in holders::certificates(&s.db, code).await? {
            let next = ordinals.entry(t.clone()).or_insert(0);
            let ordinal = *next;
            *next = next.saturating_add(1);
            if types.is_some_and(|ts| !ts.contains(&t)) {
                continue;
            }
            let certificate: Certificate =
                serde_json::from_str(&body).map_err(|e| HubError::Internal(e.to_string()))?;
            let status = certificate
                .body
                .status_on(CertStatus::parse(&stored_status)?, today);
            let type_no = catalogue.cert_type(&t)?.no;
            out.push(CertificateView {
                certificate,
                status,
                type_no,
                ordinal,
            });
        }
    }
    Ok(out)
}

pub async fn my_codes(s: &AppState, d: &DeviceCaller) -> HubResult<Vec<String>> {
    let mut codes = vec![d.id_number.to_string()];
    codes.extend(
        enterprises_of(s, d.id_number.as_str())
            .await?
            .into_iter()
            .map(|e| e.uscc),
    );
    Ok(codes)
}

pub async fn my_audit(s: &AppState, d: &DeviceCaller) -> HubResult<Vec<AuditEntryView>> {
    let codes = my_codes(s, d).await?;
    let mut out = Vec::new();
    for code in codes {
        for (e, hash) in holders::records(&s.db, &code).await? {
            out.push(AuditEntryView {
                seq: e.seq,
                at: e.at,
                event: e.event,
                actor: e.actor,
                detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
                prev: hex::encode(e.prev),
                hash: hex::encode(hash),
            });
        }
    }
    out.sort_by_key(|e| e.seq);
    Ok(out)
}
/// One-time opaque handles the device puts in its codes (no personal data in a code).
pub async fn handles(
    s: &AppState,
    q: HandlesQuery,
    who: DeviceCaller,
) -> HubResult<HandlesResponse> {
    let n = q.n.unwrap_or(20);
    if !(1..=50).contains(&n) {
        return Err(fail(ErrorCode::BadCount, "ask for 1–50 handles"));
    }
    let key = who.key_id.to_string();
    let mut tx = s.db.begin_write().await?;
    let unused = holders::unused_handles(&mut tx, &key).await?;
    if unused + i64::from(n) > MAX_UNUSED_HANDLES {
        return Err(fail(
            ErrorCode::TooManyHandles,
            format!("the device already holds {unused} unused handles"),
        ));
    }
    let rng = ring::rand::SystemRandom::new();
    let mut handles = vec![[0u8; 16]; n as usize];
    for h in &mut handles {
        ring::rand::SecureRandom::fill(&rng, h)
            .map_err(|_| HubError::Internal("randomness".into()))?;
    }
    holders::add_handles(&mut tx, &key, &handles, s.now()).await?;
    crate::store::devices::touch(&mut tx, &key, s.now()).await?;
    tx.commit().await?;
    Ok(HandlesResponse {
        handles: handles.iter().map(hex::encode).collect(),
    })
}

/// Log in to a kiosk whose login code the wallet scanned and verified.
pub async fn approve_login(
    s: &AppState,
    who: DeviceCaller,
    body: &[u8],
) -> HubResult<LoginSessionView> {
    let req: LoginApprovalRequest = json(body)?;
    let d = who;
    let approval =
        LoginApproval::open(&unb64("approval", &req.approval)?)?.verify(&d.public_key)?;
    let now = s.now();
    check_window("login approval", approval.approved_at, DECISION_SKEW, now)?;
    // Only a fresh login code: one photographed at a kiosk and relayed later logs no one in.
    if now - approval.code_issued_at > mz_core::flow::LOGIN_CODE_FRESH_SECS {
        return Err(mz_core::CoreError::Expired { what: "login code" }.into());
    }
    let session = uuid_str(approval.session);
    let terminal = uuid_str(approval.terminal);
    super::login::log_in(
        s,
        &session,
        Some(&terminal),
        &d,
        mz_core::flow::LoginMethod::Scan,
        &format!("device:{}", d.key_id),
    )
    .await
}

/// My records as NDJSON (one audit entry per line), for export.
pub async fn audit_export(s: &AppState, who: DeviceCaller) -> HubResult<String> {
    let mut out = String::new();
    for e in my_audit(s, &who).await? {
        out.push_str(&serde_json::to_string(&e).map_err(|e| HubError::Internal(e.to_string()))?);
        out.push('\n');
    }
    Ok(out)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HandlesQuery {
    /// How many (1–50, default 20).
    #[param(minimum = 1, maximum = 50)]
    pub n: Option<u32>,
}
