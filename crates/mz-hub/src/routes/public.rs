//! What anyone may call: hub info, catalogue, terminal and department lookup, public
//! certificate lookup (依法可公示), audit checkpoints; and opening a session token.

use crate::auth::{Authed, Caller};
use crate::error::{fail, HubError, HubResult};
use crate::store::pk;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use mz_core::api::*;
use mz_core::cert::{CertStatus, Certificate};
use mz_core::codes::{Checkpoint, SignedObject};
use mz_core::crypto::b64;
use mz_core::ErrorCode;
use serde::Deserialize;
use sqlx::Row;

#[utoipa::path(get, path = "/v1/hub", tag = "public", responses((status = 200, body = HubInfo)))]
pub async fn hub_info(State(s): State<AppState>) -> Json<HubInfo> {
    Json(HubInfo {
        region: s.region.to_string(),
        name: s.name.clone(),
        hub_key: s.hub_public_key(),
        time: s.now(),
    })
}

#[utoipa::path(get, path = "/v1/catalogue", tag = "public", responses((status = 200, body = CatalogueView)))]
pub async fn catalogue() -> Json<CatalogueView> {
    Json(CatalogueView {
        cert_types: mz_core::catalogue::CERT_TYPES,
        matters: mz_core::catalogue::MATTERS,
    })
}

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

/// Who a terminal is: the wallet checks a kiosk's login code against this before it asks the
/// holder to approve.
#[utoipa::path(get, path = "/v1/public/terminals/{id}", tag = "public", params(("id" = String, Path)), responses((status = 200, body = TerminalInfo), (status = 404, body = ApiError)))]
pub async fn terminal_info(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> HubResult<Json<TerminalInfo>> {
    Ok(Json(terminal_view(&s, &id).await?))
}

/// Issuing departments and their seal keys, to verify seals offline.
#[utoipa::path(get, path = "/v1/public/departments", tag = "public", responses((status = 200, body = Vec<DepartmentInfo>)))]
pub async fn departments(State(s): State<AppState>) -> HubResult<Json<Vec<DepartmentInfo>>> {
    Ok(Json(department_infos(&s, None).await?))
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LookupQuery {
    /// Catalogue code of the certificate type (e.g. `pollutant_permit`).
    #[serde(rename = "type")]
    pub cert_type: String,
    /// Part of the holder's name (an enterprise's name).
    pub holder: String,
}

/// 电子证照社会公示: disclosable certificates (e.g. 排污许可证) by type and holder name.
#[utoipa::path(get, path = "/v1/public/certificates", tag = "public", params(LookupQuery), responses((status = 200, body = Vec<PublicCertificate>), (status = 400, body = ApiError)))]
pub async fn lookup(
    State(s): State<AppState>,
    Query(q): Query<LookupQuery>,
) -> HubResult<Json<Vec<PublicCertificate>>> {
    Ok(Json(lookup_here(&s, &q.cert_type, &q.holder).await?))
}

/// Public lookup in a region (行政区划代码) that this hub or another holds: asked through the
/// hubs when it is not this one's; the answer carries the issuers' seal keys.
#[utoipa::path(get, path = "/v1/public/regions/{region}/certificates", tag = "public", params(("region" = String, Path), LookupQuery),
    responses((status = 200, body = PublicLookup), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 503, body = ApiError)))]
pub async fn lookup_in_region(
    State(s): State<AppState>,
    Path(region): Path<String>,
    Query(q): Query<LookupQuery>,
) -> HubResult<Json<PublicLookup>> {
    let region = mz_core::ids::RegionCode::parse(&region)?;
    mz_core::catalogue::cert_type(&q.cert_type)?;
    if s.region.contains(&region) {
        return Ok(Json(
            lookup_with_issuers(&s, &q.cert_type, &q.holder).await?,
        ));
    }
    Ok(Json(
        crate::federation::lookup(&s, &region, &q.cert_type, &q.holder).await?,
    ))
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

/// The latest signed checkpoint of the audit chain (made now if the head moved).
#[utoipa::path(get, path = "/v1/public/checkpoint", tag = "public", responses((status = 200, body = CheckpointView), (status = 404, body = ApiError)))]
pub async fn checkpoint(State(s): State<AppState>) -> HubResult<Json<CheckpointView>> {
    Ok(Json(checkpoint_now(&s).await?))
}

/// Exchange one signed request for a short-lived bearer token (saves a signature check per
/// call on busy terminals).
#[utoipa::path(post, path = "/v1/session", tag = "auth", responses((status = 200, body = SessionToken), (status = 401, body = ApiError)))]
pub async fn open_session(State(s): State<AppState>, a: Authed<Caller>) -> Json<SessionToken> {
    let (token, expires_at) = s.auth.new_session(a.who, s.now());
    Json(SessionToken { token, expires_at })
}

/// Check a printed or archived form against the hub (its QR code points here).
#[utoipa::path(get, path = "/v1/public/releases/{id}", tag = "public", params(("id" = String, Path)), responses((status = 200, body = ReleaseReceipt), (status = 404, body = ApiError)))]
pub async fn receipt(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> HubResult<Json<ReleaseReceipt>> {
    let r = sqlx::query("SELECT a.matter, t.name, a.released_at, a.released FROM auth_requests a JOIN terminals t ON t.id = a.terminal WHERE a.id = $1 AND a.released_at IS NOT NULL")
        .bind(&id)
        .fetch_optional(&s.db.read)
        .await?
        .ok_or(HubError::NotFound("release"))?;
    let matter: String = r.get(0);
    let today = s.today();
    let mut certificates = Vec::new();
    for lid in crate::routes::parse_list(r.get::<Option<&str>, _>(3).unwrap_or("[]")) {
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
    Ok(Json(ReleaseReceipt {
        request_id: id,
        matter_name: mz_core::catalogue::matter(&matter)
            .map(|m| m.name.to_string())
            .unwrap_or_default(),
        matter,
        terminal: r.get(1),
        released_at: r.get(2),
        certificates,
    }))
}
