//! Staff-initiated lookups (统一受理, seeds 000, 001 公积金, 003 入学): a counter enters a
//! person's ID number or an enterprise's 统一社会信用代码 with the registered name and asks for a
//! matter's certificates. The request goes to the holder's phone (an enterprise's: its legal
//! representative's, a child's: a parent's); nothing is released before they approve, except
//! certificates the catalogue marks disclosable.

use super::authorization::request_authorization;
use super::enrolment::check_register_identity;
use crate::auth::{json, Asker, TerminalCaller};
use crate::error::{fail, HubResult};
use crate::store::redeem::{insert_redemption, OwnedRedemption};
use crate::store::{self, certificates, grants, holders, registers};
use crate::AppState;
use mz_core::api::{AuthRequestCreate, AuthRequestView, StaffLookupRequest};
use mz_core::catalogue::SubjectKind;
use mz_core::flow::{Assurance, RedemptionKind};
use mz_core::ids::{IdNumber, Uscc};
use mz_core::ErrorCode;

/// Who was looked up: their code, registered name, kind, and who approves: the person (the
/// legal representative) by ID number, and their holder record if they have a confirmed phone.
struct Subject {
    code: String,
    name: String,
    kind: SubjectKind,
    approver_id: String,
    approver: Option<String>,
}

pub async fn staff_lookup(
    s: &AppState,
    t: &TerminalCaller,
    body: &[u8],
    asker: &Asker,
) -> HubResult<AuthRequestView> {
    let req: StaffLookupRequest = json(body)?;
    super::terminal::require_counter(t)?;
    let catalogue = s.catalogue().await?;
    let matter = catalogue.matter(&req.matter)?;
    super::terminal::require_handles(s, t, &matter.code).await?;
    let wanted: Vec<&str> = req.cert_types.iter().map(String::as_str).collect();
    matter.check_request(&wanted)?;
    let subject = subject(s, &req, asker).await?;
    // Certificates disclosed by law need no consent, so no phone either.
    let disclosable = wanted
        .iter()
        .all(|c| catalogue.cert_type(c).is_ok_and(|t| t.disclosable));
    if subject.approver.is_none() && !disclosable {
        return Err(no_wallet());
    }
    if let Some(t) = wanted
        .iter()
        .filter_map(|c| catalogue.cert_type(c).ok())
        .find(|t| t.subject != subject.kind)
    {
        return Err(fail(
            ErrorCode::WrongSubject,
            format!("{} is not a certificate of the one looked up", t.name),
        ));
    }
    // What they do not hold is refused before anything is recorded.
    super::authorization::valid_licences(s, &subject.code, &req.cert_types, None).await?;
    let redemption_id = record_lookup(s, t, &subject).await?;
    let create = AuthRequestCreate {
        redemption_id,
        matter: matter.code.clone(),
        cert_types: req.cert_types,
        archive: req.archive,
    };
    request_authorization(s, t, create).await
}

/// The person or enterprise the staff named, checked against the register (failures counted
/// per terminal key and address, as at enrolment), and who approves for them.
async fn subject(s: &AppState, req: &StaffLookupRequest, asker: &Asker) -> HubResult<Subject> {
    let code = req.subject.trim().to_uppercase();
    if let Ok(id) = IdNumber::parse(&code) {
        check_register_identity(s, &id, &req.name, asker).await?;
        let (approver_id, approver) = person_approver(s, &id, req.guardian.as_deref()).await?;
        return Ok(Subject {
            approver,
            approver_id,
            code,
            name: req.name.trim().to_string(),
            kind: SubjectKind::Person,
        });
    }
    if req.guardian.is_some() {
        return Err(not_guardian("an enterprise has no guardian"));
    }
    let uscc = Uscc::parse(&code)?;
    s.auth.check_identity_allowed(asker, s.now())?;
    let registered = certificates::enterprise_name(&s.db, uscc.as_str()).await?;
    let representative = grants::legal_representative(&s.db, uscc.as_str()).await?;
    let (Some(rep), true) = (
        representative,
        registered.as_deref() == Some(req.name.trim()),
    ) else {
        s.auth.identity_failed(asker, s.now());
        return Err(fail(
            ErrorCode::IdentityMismatch,
            "the 统一社会信用代码 and name do not match the market register",
        ));
    };
    Ok(Subject {
        approver: holders::with_active_device(&s.db, &rep).await?,
        approver_id: rep,
        code,
        name: req.name.trim().to_string(),
        kind: SubjectKind::Enterprise,
    })
}

/// Who approves for a person: themselves; for a child under 18, a parent in the population
/// register (the one named, or the first with a confirmed wallet), whose phone is prompted.
/// (Their ID number, and their holder record if they have a confirmed phone.)
async fn person_approver(
    s: &AppState,
    id: &IdNumber,
    guardian: Option<&str>,
) -> HubResult<(String, Option<String>)> {
    let minor = id.age_on(s.today()) < ADULT_AGE;
    if !minor {
        if guardian.is_some() {
            return Err(not_guardian(
                "only a child under 18 is approved for by a guardian",
            ));
        }
        let own = holders::with_active_device(&s.db, id.as_str()).await?;
        return Ok((id.to_string(), own));
    }
    let parents = registers::parents_of(&s.db, id.as_str()).await?;
    let candidates = match guardian.map(|g| g.trim().to_uppercase()) {
        Some(g) if parents.contains(&g) => vec![g],
        Some(_) => {
            return Err(not_guardian(
                "the guardian named is not a registered parent of the child",
            ))
        }
        None => parents,
    };
    for parent in candidates {
        if let Some(holder) = holders::with_active_device(&s.db, &parent).await? {
            return Ok((parent, Some(holder)));
        }
    }
    Ok((id.to_string(), None))
}

/// A child is approved for by a guardian until this age.
const ADULT_AGE: i32 = 18;

fn not_guardian(why: &str) -> crate::error::HubError {
    fail(ErrorCode::NotGuardian, why)
}

fn no_wallet() -> crate::error::HubError {
    fail(
        ErrorCode::NoWallet,
        "this person has no confirmed wallet to approve on: ask for the paper certificates, or check their face at the counter",
    )
}

/// The lookup as a redemption of this counter's, audited, for the request to stand on.
async fn record_lookup(s: &AppState, t: &TerminalCaller, who: &Subject) -> HubResult<String> {
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    // Without a phone (disclosable certificates only), the holder record stands as approver.
    let approver = match &who.approver {
        Some(h) => h.clone(),
        None => holders::find_or_create(&mut tx, &who.approver_id, Assurance::None, now).await?,
    };
    let red = OwnedRedemption {
        terminal_id: t.id.clone(),
        terminal_name: t.name.clone(),
        kind: RedemptionKind::Lookup,
        subject_code: who.code.clone(),
        subject_name: who.name.clone(),
        approver,
        scope_type: None,
        scope_ordinal: None,
        grant_id: None,
        handle: None,
    };
    let id = insert_redemption(&mut tx, &red, now).await?;
    let detail = serde_json::json!({ "redemption": id, "terminal": t.name });
    let actor = format!("terminal:{}", t.id);
    store::audit(&mut tx, now, "lookup", &actor, Some(&who.code), detail).await?;
    tx.commit().await?;
    Ok(id)
}
