//! Redemption of holder codes at a terminal: one use of a handle, the redemption record, and
//! what certificates the holder has for the terminal to ask for.
use super::uuid_str;
use crate::auth::{DeviceCaller, TerminalCaller};
use crate::error::{fail, HubError, HubResult};
use crate::store;
use crate::store::redeem::OwnedRedemption;
use crate::store::redeem::{HandleQuery, RedeemDone, RedeemJob, RedeemWork};
use crate::AppState;
use mz_core::api::*;
use mz_core::catalogue::{Catalogue, SubjectKind};
use mz_core::codes::{ScannedHolderCode, Scope, VerifiedHolderCode};
use mz_core::crypto::PublicKey;
use mz_core::flow::RedemptionKind;
use mz_core::flow::REDEMPTION_SECS;
use mz_core::ids::IdNumber;
use mz_core::CoreError;
use mz_core::ErrorCode;

/// Queue a piece of redemption work where this hub runs it (the lane, or the batch).
async fn redeem_work(s: &AppState, w: RedeemWork) -> Option<RedeemDone> {
    match &s.db.lane {
        Some(lane) => lane.run(w).await,
        None => s.redeem_batch.run(w).await,
    }
}

fn batch_gone() -> HubError {
    HubError::Internal("the batch worker stopped".into())
}

/// Verify a scanned code against the key of the device its handle was issued to.
/// Also returns what the device's holder holds today, by type.
pub(super) async fn verify_code(
    s: &AppState,
    scanned: ScannedHolderCode,
) -> HubResult<(VerifiedHolderCode, DeviceCaller, Vec<(String, i64)>)> {
    if !s.region.contains(&scanned.region()) {
        return Err(HubError::NotFound("holder in this hub's region"));
    }
    let query = HandleQuery {
        handle: scanned.handle(),
        today: s.today().to_string(),
    };
    let owner = match redeem_work(s, RedeemWork::Lookup(query)).await {
        Some(RedeemDone::Owner(owner)) => {
            owner?.ok_or(HubError::NotFound("code (unknown handle)"))?
        }
        _ => return Err(batch_gone()),
    };
    let public_key = PublicKey::from_bytes(&owner.public_key)?;
    let code = scanned.verify(&public_key, s.now())?;
    let device = DeviceCaller {
        key_id: mz_core::crypto::KeyId::parse(&owner.key_id)?,
        holder_id: owner.holder_id,
        id_number: IdNumber::parse(&owner.id_number)?,
        name: owner.name,
        public_key,
        // Only an active device holds handles: a pending one cannot take them, and a removal
        // deletes the unused ones and marks the device revoked (which the lookup excludes).
        state: mz_core::flow::DeviceState::Active,
    };
    Ok((code, device, owner.held))
}

/// A counter redeems a holder code: here, or through the hub of the code's region.
pub async fn redeem_at_counter(
    s: &AppState,
    t: &TerminalCaller,
    text: &str,
) -> HubResult<Redemption> {
    super::terminal::require_counter(t)?;
    if let Some(owner) = super::federation::remote_region(s, text)? {
        return super::federation::redeem(s, t, &owner, text).await;
    }
    redeem_code(s, t, text).await
}

/// Redeem a holder code (identity, show or delegated) at a terminal.
pub async fn redeem_code(s: &AppState, t: &TerminalCaller, text: &str) -> HubResult<Redemption> {
    let (code, r, mut held) = verify_code(s, ScannedHolderCode::parse(text)?).await?;
    let catalogue = s.catalogue().await?;
    let now = s.now();
    let body = code.body().clone();
    let mut scope_ordinal = match body.scope {
        Scope::Certificate { ordinal, .. } => Some(ordinal.into()),
        _ => None,
    };
    // Whose certificates, who approves, and what is in reach.
    #[allow(clippy::type_complexity)]
    let (kind, subject_code, subject_name, scope_type, grant_id, limit): (
        RedemptionKind,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<Vec<String>>,
    ) = match &body.scope {
        Scope::Identity => (
            RedemptionKind::Identity,
            r.id_number.to_string(),
            r.name.clone(),
            None,
            None,
            None,
        ),
        Scope::Certificate { cert_type, ordinal } => {
            let t = catalogue.cert_type_by_no(*cert_type)?;
            let (code, name) = match t.subject {
                SubjectKind::Person => (r.id_number.to_string(), r.name.clone()),
                SubjectKind::Enterprise => {
                    // 营业执照亮证 (seed 002): the legal representative shows an enterprise's.
                    let e = represented_certificate(s, &r, &t.code, *ordinal).await?;
                    scope_ordinal = Some(e.ordinal.into());
                    held = e.held;
                    (e.uscc, e.name)
                }
            };
            (
                RedemptionKind::Show,
                code,
                name,
                Some(t.code.clone()),
                None,
                None,
            )
        }
        Scope::Delegated { grant, cert_type } => {
            let gid = uuid_str(*grant);
            let g = active_grant(s, &gid, r.id_number.as_str(), now).await?;
            let t = catalogue.cert_type_by_no(*cert_type)?;
            if !g.cert_types.contains(&t.code) {
                return Err(fail(
                    ErrorCode::OutsideGrant,
                    format!("the grant does not cover {}", t.name),
                ));
            }
            (
                RedemptionKind::Delegated,
                g.principal_code,
                g.principal_name,
                Some(t.code.clone()),
                Some(gid),
                Some(g.cert_types),
            )
        }
    };
    // A show-code reaches its one certificate type only (M-1): the terminal learns nothing
    // else the holder holds.
    let shown_type = (kind == RedemptionKind::Show)
        .then(|| scope_type.clone())
        .flatten();
    let red = OwnedRedemption {
        terminal_id: t.id.clone(),
        terminal_name: t.name.clone(),
        kind,
        subject_code: subject_code.clone(),
        subject_name: subject_name.clone(),
        approver: r.holder_id.clone(),
        scope_type,
        scope_ordinal,
        grant_id,
        handle: Some(body.handle),
    };
    let (id, expires_at) = match redeem_work(
        s,
        RedeemWork::Record(RedeemJob {
            handle: body.handle,
            red,
            now,
        }),
    )
    .await
    {
        Some(RedeemDone::Recorded(Ok(id))) => (id, now + REDEMPTION_SECS),
        Some(RedeemDone::Recorded(Err(e))) => redeemed_before(s, t, body.handle, now, e).await?,
        _ => return Err(batch_gone()),
    };
    let available = match (&limit, &shown_type) {
        // Delegated: the principal's certificates, within the grant.
        (Some(_), _) => available_certs(s, &subject_code, limit.as_deref()).await?,
        // A show-code: its one certificate.
        (None, Some(t)) => available_of(&catalogue, held, Some(std::slice::from_ref(t)))
            .into_iter()
            .map(|a| AvailableCert { count: 1, ..a })
            .collect(),
        (None, None) => available_of(&catalogue, held, None),
    };
    Ok(Redemption {
        redemption_id: id,
        kind,
        subject_name_masked: if subject_code.len() == 18 && IdNumber::parse(&subject_code).is_ok() {
            mask_name(&subject_name)
        } else {
            subject_name
        },
        agent_name_masked: (kind == RedemptionKind::Delegated).then(|| mask_name(&r.name)),
        available,
        expires_at,
    })
}

/// An enterprise's certificate shown by its legal representative: the enterprise, its name,
/// the certificate's ordinal among the enterprise's own of its type, and what is in reach.
struct RepresentedCertificate {
    uscc: String,
    name: String,
    ordinal: u8,
    held: Vec<(String, i64)>,
}

/// The certificate of an enterprise type a legal representative's show-code names: the
/// `ordinal`-th of that type among the enterprises they represent, as their wallet lists them.
async fn represented_certificate(
    s: &AppState,
    rep: &DeviceCaller,
    type_code: &str,
    ordinal: u8,
) -> HubResult<RepresentedCertificate> {
    let enterprises = super::holder::enterprises_of(s, rep.id_number.as_str()).await?;
    let codes: Vec<String> = enterprises.iter().map(|e| e.uscc.clone()).collect();
    let views = super::holder::cert_views(s, &codes, Some(&[type_code.to_string()])).await?;
    let shown = views
        .iter()
        .position(|v| v.ordinal == ordinal)
        .ok_or(HubError::NotFound(
            "certificate of an enterprise you represent",
        ))?;
    let uscc = views[shown].certificate.body.holder_code.clone();
    let before = views[..shown]
        .iter()
        .filter(|v| v.certificate.body.holder_code == uscc)
        .count();
    let valid = views[shown].status == mz_core::cert::CertStatus::Valid;
    Ok(RepresentedCertificate {
        name: enterprises
            .into_iter()
            .find(|e| e.uscc == uscc)
            .map(|e| e.name)
            .unwrap_or_default(),
        uscc,
        ordinal: u8::try_from(before).unwrap_or(u8::MAX),
        held: if valid {
            vec![(type_code.to_string(), 1)]
        } else {
            vec![]
        },
    })
}

/// A code this counter already redeemed, retried (the first answer may have been lost): the
/// same redemption, while it lasts and nothing was asked on it. Anyone else, a kiosk (a code
/// logs in once), or later: the refusal `e`.
async fn redeemed_before(
    s: &AppState,
    t: &TerminalCaller,
    handle: [u8; 16],
    now: i64,
    e: HubError,
) -> HubResult<(String, i64)> {
    let counter = t.kind == mz_core::flow::TerminalKind::Counter;
    if !counter || !matches!(&e, HubError::Api(ErrorCode::CodeAlreadyUsed, _)) {
        return Err(e);
    }
    store::redeem::redeemed_by(&s.db, handle, &t.id, now)
        .await?
        .ok_or(e)
}

/// What the subject holds that is valid today, by type (one indexed query, no bodies parsed).
pub async fn available_certs(
    s: &AppState,
    holder_code: &str,
    limit: Option<&[String]>,
) -> HubResult<Vec<AvailableCert>> {
    let rows = store::redeem::held_by(&s.db, holder_code, &s.today().to_string()).await?;
    Ok(available_of(&*s.catalogue().await?, rows, limit))
}

fn available_of(
    catalogue: &Catalogue,
    rows: Vec<(String, i64)>,
    limit: Option<&[String]>,
) -> Vec<AvailableCert> {
    rows.into_iter()
        .filter(|(t, _)| limit.is_none_or(|l| l.contains(t)))
        .filter_map(|(t, n)| {
            catalogue.cert_type(&t).ok().map(|ct| AvailableCert {
                type_code: t,
                name: ct.name.clone(),
                count: n as u32,
            })
        })
        .collect()
}

pub struct ActiveGrant {
    pub principal_code: String,
    pub principal_name: String,
    pub cert_types: Vec<String>,
    pub matters: Vec<String>,
}

/// A grant the agent `agent_id` may use now: not revoked, inside its period.
pub async fn active_grant(
    s: &AppState,
    id: &str,
    agent_id: &str,
    now: i64,
) -> HubResult<ActiveGrant> {
    let g = crate::store::grants::get(&s.db, id)
        .await?
        .ok_or(HubError::NotFound("grant"))?;
    if g.agent_id_number != agent_id {
        return Err(fail(ErrorCode::NotAgent, "this grant was not made to you"));
    }
    if g.revoked_at.is_some() {
        return Err(fail(
            ErrorCode::GrantRevoked,
            "the principal revoked this grant",
        ));
    }
    if now < g.valid_from {
        return Err(CoreError::NotYetValid {
            what: "delegation grant",
        }
        .into());
    }
    if now >= g.valid_to {
        return Err(fail(ErrorCode::GrantExpired, "this grant has expired"));
    }
    let principal_name = store::principal_name(&s.db, g.principal_kind, &g.principal_code).await?;
    Ok(ActiveGrant {
        principal_code: g.principal_code,
        principal_name,
        cert_types: g.cert_types,
        matters: g.matters,
    })
}
