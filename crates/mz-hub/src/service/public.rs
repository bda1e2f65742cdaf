//! What anyone may call: hub info, catalogue, terminal and department lookup, public
//! certificate lookup (依法可公示), audit checkpoints; and opening a session token.

use crate::error::{fail, HubError, HubResult};
use crate::store::pk;
use crate::AppState;
use mz_core::api::*;
use mz_core::cert::{CertStatus, Certificate};
use mz_core::codes::{Checkpoint, SignedObject};
use mz_core::crypto::b64;
use mz_core::ErrorCode;
use sqlx::Row;

pub async fn terminal_view(s: &AppState, id: &str) -> HubResult<TerminalInfo> {
    let r = sqlx::query("SELECT t.id, t.kind, t.name, t.place, t.region, d.name, t.public_key, t.active FROM terminals t JOIN departments d ON d.code = t.department WHERE t.id = $1")
        .bind(id)
        .fetch_optional(&s.db.read)
        .await?
        .ok_or(HubError::NotFound("terminal"))?;
    Ok(TerminalInfo {
        terminal_id: r.get(0),
        kind: mz_core::flow::TerminalKind::parse(r.get(1))?,
        name: r.get(2),
        place: r.get(3),
        region: r.get(4),
        department: r.get(5),
        public_key: r.get::<Option<Vec<u8>>, _>(6).map(pk).transpose()?,
        active: r.get::<i64, _>(7) == 1,
    })
}

/// This hub's own departments (all, or those in `codes`) with their published seal keys.
pub async fn department_infos(
    s: &AppState,
    codes: Option<&[String]>,
) -> HubResult<Vec<DepartmentInfo>> {
    let rows = sqlx::query(
        "SELECT code, name, region FROM departments WHERE origin IS NULL ORDER BY code",
    )
    .fetch_all(&s.db.read)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let code: String = r.get(0);
        if codes.is_some_and(|c| !c.contains(&code)) {
            continue;
        }
        let keys: Vec<Vec<u8>> = sqlx::query_scalar(
            "SELECT public_key FROM seal_keys WHERE department = $1 ORDER BY created_at",
        )
        .bind(&code)
        .fetch_all(&s.db.read)
        .await?;
        out.push(DepartmentInfo {
            code,
            name: r.get(1),
            region: r.get(2),
            seal_keys: keys.into_iter().map(pk).collect::<HubResult<_>>()?,
        });
    }
    Ok(out)
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
    let t = mz_core::catalogue::cert_type(cert_type)?;
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
    let rows = sqlx::query("SELECT body, status FROM certificates WHERE type_code = $1 AND disclosable = 1 AND holder_name LIKE $2 ESCAPE '\\' ORDER BY holder_name LIMIT 50")
        .bind(t.code)
        .bind(pattern)
        .fetch_all(&s.db.read)
        .await?;
    let today = s.today();
    rows.iter()
        .map(|r| {
            let certificate: Certificate =
                serde_json::from_str(r.get(0)).map_err(|e| HubError::Internal(e.to_string()))?;
            let status = certificate
                .body
                .status_on(CertStatus::parse(r.get(1))?, today);
            Ok(PublicCertificate {
                certificate,
                status,
            })
        })
        .collect::<HubResult<_>>()
}

/// Sign a checkpoint of the audit chain's head if it moved since the last one.
pub async fn checkpoint_now(s: &AppState) -> HubResult<CheckpointView> {
    let mut tx = s.db.begin_write().await?;
    let head = sqlx::query("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *tx)
        .await?;
    let Some(head) = head else {
        return Err(HubError::NotFound("audit entry"));
    };
    let seq: i64 = head.get(0);
    let hash: Vec<u8> = head.get(1);
    if let Some(r) = sqlx::query("SELECT seq, head, at, signed FROM checkpoints WHERE seq = $1")
        .bind(seq)
        .fetch_optional(&mut *tx)
        .await?
    {
        return Ok(CheckpointView {
            seq: r.get::<i64, _>(0) as u64,
            head: hex::encode(r.get::<Vec<u8>, _>(1)),
            at: r.get(2),
            signed: b64(&r.get::<Vec<u8>, _>(3)),
        });
    }
    let cp = Checkpoint {
        region: s.region.as_u32(),
        seq: seq as u64,
        head: hash
            .clone()
            .try_into()
            .map_err(|_| HubError::Internal("bad hash".into()))?,
        at: s.now(),
    };
    let signed = cp
        .sign(&s.hub_key)
        .map_err(|e| HubError::Internal(e.to_string()))?;
    sqlx::query("INSERT INTO checkpoints (seq, head, at, signed) VALUES ($1, $2, $3, $4)")
        .bind(seq)
        .bind(&hash)
        .bind(cp.at)
        .bind(&signed)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(CheckpointView {
        seq: seq as u64,
        head: hex::encode(&hash),
        at: cp.at,
        signed: b64(&signed),
    })
}
/// Check a printed or archived form against the hub (its QR code points here).
pub async fn receipt(s: &AppState, id: String) -> HubResult<ReleaseReceipt> {
    let r = sqlx::query("SELECT a.matter, t.name, a.released_at, a.released FROM auth_requests a JOIN terminals t ON t.id = a.terminal WHERE a.id = $1 AND a.released_at IS NOT NULL")
        .bind(&id)
        .fetch_optional(&s.db.read)
        .await?
        .ok_or(HubError::NotFound("release"))?;
    let matter: String = r.get(0);
    let today = s.today();
    let mut certificates = Vec::new();
    for lid in crate::service::parse_list(r.get::<Option<&str>, _>(3).unwrap_or("[]")) {
        let row = sqlx::query("SELECT body, status FROM certificates WHERE license_id = $1")
            .bind(&lid)
            .fetch_one(&s.db.read)
            .await?;
        let c: Certificate =
            serde_json::from_str(row.get(0)).map_err(|e| HubError::Internal(e.to_string()))?;
        certificates.push(ReceiptCert {
            license_id: lid,
            name: c.body.name.clone(),
            status: c.body.status_on(CertStatus::parse(row.get(1))?, today),
        });
    }
    Ok(ReleaseReceipt {
        request_id: id,
        matter_name: mz_core::catalogue::matter(&matter)
            .map(|m| m.name.to_string())
            .unwrap_or_default(),
        matter,
        terminal: r.get(1),
        released_at: r.get(2),
        certificates,
    })
}
