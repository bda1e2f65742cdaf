//! Delegation grants (委托): a person or an enterprise's legal representative lends certificates
//! to an agent for some matters and a time, and can revoke the grant.
use super::authorization::DECISION_SKEW;
use super::enrolment::check_register_identity;
use super::{uuid16, uuid_str};
use crate::auth::{json, Asker, DeviceCaller};
use crate::error::{fail, HubError, HubResult};
use crate::store;
use crate::store::grants;
use crate::AppState;
use mz_core::api::*;
use mz_core::catalogue::SubjectKind;
use mz_core::codes::{Grant, GrantRevocation, Principal, SignedObject};
use mz_core::crypto::unb64;
use mz_core::flow::PrincipalKind;
use mz_core::ids::IdNumber;
use mz_core::ErrorCode;

pub async fn grant_view(s: &AppState, id: &str) -> HubResult<GrantView> {
    let g = grants::get(&s.db, id)
        .await?
        .ok_or(HubError::NotFound("grant"))?;
    let principal_name = store::principal_name(&s.db, g.principal_kind, &g.principal_code).await?;
    let agent = store::person_name(&s.db, &g.agent_id_number).await?;
    Ok(GrantView {
        principal_name_masked: if g.principal_kind == PrincipalKind::Person {
            mask_name(&principal_name)
        } else {
            principal_name
        },
        agent_name_masked: mask_name(&agent.unwrap_or_default()),
        uses: grants::uses(&s.db, id).await? as u32,
        grant_id: g.id,
        principal_kind: g.principal_kind,
        cert_types: g.cert_types,
        matters: g.matters,
        valid_from: g.valid_from,
        valid_to: g.valid_to,
        revoked_at: g.revoked_at,
    })
}

/// Grant an agent certain certificates for a period (person → person, or an enterprise's legal
/// representative → staff).
pub async fn grant(
    s: &AppState,
    who: DeviceCaller,
    body: &[u8],
    asker: &Asker,
) -> HubResult<GrantView> {
    let req: GrantRequest = json(body)?;
    let d = who;
    let signed = unb64("grant", &req.grant)?;
    let g = Grant::open(&signed)?.verify(&d.public_key)?;
    let now = s.now();
    if (g.created_at - now).abs() > DECISION_SKEW {
        return Err(fail(
            ErrorCode::ObjectClockSkew,
            "the grant's creation time is too far from the hub's clock",
        ));
    }
    if g.valid_to <= now {
        return Err(fail(
            ErrorCode::GrantInPast,
            "the grant would already be over",
        ));
    }
    let (kind, code, subject_kind) = match &g.principal {
        Principal::Person(id) => {
            if id != d.id_number.as_str() {
                return Err(fail(
                    ErrorCode::NotPrincipal,
                    "you can only grant your own certificates",
                ));
            }
            (PrincipalKind::Person, id.clone(), SubjectKind::Person)
        }
        Principal::Enterprise(uscc) => {
            match grants::legal_representative(&s.db, uscc).await? {
                None => return Err(HubError::NotFound("enterprise")),
                Some(r) if r != d.id_number.as_str() => {
                    return Err(fail(
                        ErrorCode::NotLegalRepresentative,
                        "only the enterprise's legal representative may grant its certificates",
                    ))
                }
                Some(_) => {}
            }
            (
                PrincipalKind::Enterprise,
                uscc.clone(),
                SubjectKind::Enterprise,
            )
        }
    };
    let catalogue = s.catalogue().await?;
    let mut types = Vec::new();
    for no in &g.cert_types {
        let t = catalogue.cert_type_by_no(*no)?;
        if t.subject != subject_kind {
            return Err(fail(
                ErrorCode::WrongSubject,
                format!("{} is not a certificate of this principal's kind", t.name),
            ));
        }
        types.push(t.code.clone());
    }
    for m in &g.matters {
        catalogue.matter(m)?;
    }
    // Last, after everything else was checked (H-1): the agent in the register, one answer
    // for an unknown person and a wrong name, limited like enrolment.
    let agent = IdNumber::parse(&g.agent)?;
    check_register_identity(s, &agent, &req.agent_name, asker).await?;
    let id = uuid_str(g.grant);
    let mut tx = s.db.begin_write().await?;
    super::pin::require_fresh(&mut tx, &d.key_id.to_string(), s.now()).await?;
    let new = grants::NewGrant {
        id: &id,
        principal_kind: kind,
        principal_code: &code,
        principal_holder: &d.holder_id,
        agent_id_number: &g.agent,
        cert_types: &types,
        matters: &g.matters,
        valid_from: g.valid_from,
        valid_to: g.valid_to,
        signed: &signed,
        now,
    };
    if !grants::insert(&mut tx, new).await? {
        return Err(fail(ErrorCode::GrantExists, "a grant with this id exists"));
    }
    let detail = serde_json::json!({ "grant": id, "agent": IdNumber::parse(&g.agent)?.masked(), "cert_types": types, "matters": g.matters, "valid_from": g.valid_from, "valid_to": g.valid_to });
    store::audit(
        &mut tx,
        now,
        "grant",
        &format!("device:{}", d.key_id),
        Some(&code),
        detail.clone(),
    )
    .await?;
    store::audit(
        &mut tx,
        now,
        "grant_received",
        &format!("device:{}", d.key_id),
        Some(&g.agent),
        detail,
    )
    .await?;
    tx.commit().await?;
    grant_view(s, &id).await
}

/// What I granted and what I was granted.
pub async fn grants(s: &AppState, who: DeviceCaller) -> HubResult<GrantsView> {
    let granted = grants::made_by(&s.db, &who.holder_id).await?;
    let received = grants::made_to(&s.db, who.id_number.as_str()).await?;
    let mut out = GrantsView {
        granted: vec![],
        received: vec![],
    };
    for id in granted {
        out.granted.push(grant_view(s, &id).await?);
    }
    for id in received {
        out.received.push(grant_view(s, &id).await?);
    }
    Ok(out)
}

/// Revoke a grant at once; the next use is refused.
pub async fn revoke_grant(
    s: &AppState,
    id: String,
    who: DeviceCaller,
    body: &[u8],
) -> HubResult<GrantView> {
    let req: RevokeGrantRequest = json(body)?;
    let d = who;
    let signed = unb64("revocation", &req.revocation)?;
    let r = GrantRevocation::open(&signed)?.verify(&d.public_key)?;
    if r.grant != uuid16("grant id", &id)? {
        return Err(fail(
            ErrorCode::RevocationMismatch,
            "the signed revocation is for another grant",
        ));
    }
    let now = s.now();
    let grant = grants::get(&s.db, &id).await?;
    let Some(grant) = grant.filter(|g| g.principal_holder == d.holder_id) else {
        return Err(HubError::NotFound("grant"));
    };
    // Decided by the UPDATE inside the transaction that audits it, not by the read above.
    let mut tx = s.db.begin_write().await?;
    if !grants::revoke(&mut tx, &id, &signed, now).await? {
        return Err(fail(
            ErrorCode::AlreadyRevoked,
            "this grant was already revoked",
        ));
    }
    let detail = serde_json::json!({ "grant": id });
    store::audit(
        &mut tx,
        now,
        "grant_revoke",
        &format!("device:{}", d.key_id),
        Some(&grant.principal_code),
        detail.clone(),
    )
    .await?;
    store::audit(
        &mut tx,
        now,
        "grant_revoked",
        &format!("device:{}", d.key_id),
        Some(&grant.agent_id_number),
        detail,
    )
    .await?;
    tx.commit().await?;
    grant_view(s, &id).await
}
