//! 预归档: a request made with "archive" is kept, when released, as the asking department's
//! archive record (the certificates released, the holder's signed decision) for the catalogue's
//! retention period of the matter; the department lists and reads its records, every read
//! audited in the holder's records.

use crate::auth::{DeptCaller, TerminalCaller};
use crate::error::{HubError, HubResult};
use crate::store::{self, archives, requests};
use crate::AppState;
use mz_core::api::{ArchiveRecord, ArchiveSummary, ReleasedHolder};
use mz_core::cert::{Certificate, HolderIdType};
use mz_core::flow::RedemptionKind;
use mz_core::ids::IdNumber;

/// Keep the archive record of request `id` being released now (in the release's transaction),
/// audited in the holder's records.
pub(super) async fn keep(
    s: &AppState,
    tx: &mut store::WriteTx,
    t: &TerminalCaller,
    (id, matter, subject): (&str, &str, &str),
    certificates: &[&Certificate],
    now: i64,
) -> HubResult<()> {
    let years = s.catalogue().await?.matter(matter)?.retention_years;
    let keep_until = chrono::DateTime::from_timestamp(now, 0)
        .and_then(|d| d.checked_add_months(chrono::Months::new(12 * u32::from(years))))
        .map_or(i64::MAX, |d| d.timestamp());
    let consent = consent(s, id).await?;
    let archive_id = store::new_id();
    let certs = serde_json::to_string(certificates).expect("plain data serialises");
    let new = archives::NewArchive {
        id: &archive_id,
        request: id,
        department: &t.department,
        consent,
        certificates: &certs,
        now,
        keep_until,
    };
    archives::insert(tx, new).await?;
    let detail = serde_json::json!({ "archive": archive_id, "request": id, "matter": matter, "department": t.department, "keep_until": keep_until });
    let actor = format!("terminal:{}", t.id);
    store::audit(tx, now, "archived", &actor, Some(subject), detail).await?;
    Ok(())
}

/// How the holder consented to the release being archived.
async fn consent(s: &AppState, id: &str) -> HubResult<&'static str> {
    if requests::decided_by(&s.db, id).await?.is_some() {
        return Ok("device");
    }
    Ok(match requests::redemption_kind(&s.db, id).await? {
        RedemptionKind::Face => "counter_tablet",
        RedemptionKind::Show => "show_code",
        RedemptionKind::Lookup => "disclosable",
        _ => "device",
    })
}

/// The department's records still kept, newest first.
pub async fn of_department(s: &AppState, who: DeptCaller) -> HubResult<Vec<ArchiveSummary>> {
    let rows = archives::of_department(&s.db, &who.code, s.now()).await?;
    let catalogue = s.catalogue().await?;
    Ok(rows
        .into_iter()
        .map(|a| summary(&catalogue, &a).0)
        .collect())
}

/// One record whole; the read is audited in the holder's records.
pub async fn read(s: &AppState, who: DeptCaller, id: &str) -> HubResult<ArchiveRecord> {
    let now = s.now();
    let a = archives::get(&s.db, &who.code, id, now)
        .await?
        .ok_or(HubError::NotFound("archive record"))?;
    let (summary, certificates) = summary(&*s.catalogue().await?, &a);
    let mut tx = s.db.begin_write().await?;
    let detail = serde_json::json!({ "archive": a.id, "department": who.name });
    let actor = who.actor();
    store::audit(
        &mut tx,
        now,
        "archive_read",
        &actor,
        Some(&a.subject_code),
        detail,
    )
    .await?;
    tx.commit().await?;
    let person = IdNumber::parse(&a.subject_code).is_ok();
    Ok(ArchiveRecord {
        summary,
        subject: ReleasedHolder {
            name: a.subject_name,
            code: a.subject_code,
            code_type: if person {
                HolderIdType::IdNumber
            } else {
                HolderIdType::Uscc
            },
        },
        decision: a.decision.map(|d| mz_core::crypto::b64(&d)),
        certificates,
    })
}

fn summary(
    catalogue: &mz_core::catalogue::Catalogue,
    a: &archives::StoredArchive,
) -> (ArchiveSummary, Vec<Certificate>) {
    let certificates: Vec<Certificate> = serde_json::from_str(&a.certificates).unwrap_or_default();
    let summary = ArchiveSummary {
        archive_id: a.id.clone(),
        request_id: a.request.clone(),
        matter: a.matter.clone(),
        matter_name: catalogue
            .matter(&a.matter)
            .map(|m| m.name.clone())
            .unwrap_or_default(),
        subject_name: a.subject_name.clone(),
        terminal_name: a.terminal_name.clone(),
        consent: a.consent.clone(),
        certificates: certificates.len() as u32,
        created_at: a.created_at,
        keep_until: a.keep_until,
    };
    (summary, certificates)
}
