//! Who is calling: devices, terminals and departments sign requests with their registered
//! keys (see `mz_core::reqsig`), or present a short-lived session token obtained with such a
//! signed request. Everyone else is the public.

use crate::error::{fail, HubError, HubResult};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::request::Parts;
use mz_core::crypto::{KeyId, PublicKey, Signature};
use mz_core::flow::{DeviceState, TerminalKind};
use mz_core::ids::IdNumber;
use mz_core::reqsig;
use mz_core::ErrorCode;

pub const MAX_BODY: usize = 256 * 1024;
pub const SESSION_SECS: i64 = 15 * 60;

#[derive(Debug, Clone)]
pub struct DeviceCaller {
    pub key_id: KeyId,
    pub holder_id: String,
    pub id_number: IdNumber,
    pub name: String,
    pub public_key: PublicKey,
    /// Pending devices reach only the calls of [`EnrollingDevice`].
    pub state: mz_core::flow::DeviceState,
}

#[derive(Debug, Clone)]
pub struct TerminalCaller {
    pub id: String,
    pub kind: mz_core::flow::TerminalKind,
    pub name: String,
    pub place: String,
    pub region: String,
    pub department: String,
    pub public_key: PublicKey,
}

#[derive(Debug, Clone)]
pub struct DeptCaller {
    pub code: String,
    pub name: String,
    pub region: String,
    /// The staff console (terminal id) that acts for the department, if not its own key.
    pub console: Option<String>,
}

impl DeptCaller {
    /// Who acted, as the audit chain names it: the department, and its console if one acted.
    pub fn actor(&self) -> String {
        match &self.console {
            Some(id) => format!("department:{}/console:{id}", self.code),
            None => format!("department:{}", self.code),
        }
    }
}

/// Another hub this hub is federated with (`mz-hub peer`).
#[derive(Debug, Clone)]
pub struct PeerCaller {
    pub region: mz_core::ids::RegionCode,
    /// `parent` or `child`.
    pub role: mz_core::flow::PeerRole,
    pub name: String,
    pub public_key: PublicKey,
}

#[derive(Debug, Clone)]
pub enum Caller {
    Device(DeviceCaller),
    Terminal(TerminalCaller),
    Department(DeptCaller),
    Hub(PeerCaller),
}

impl Caller {
    pub fn actor(&self) -> String {
        match self {
            Caller::Device(d) => format!("device:{}", d.key_id),
            Caller::Terminal(t) => format!("terminal:{}", t.id),
            Caller::Department(d) => d.actor(),
            Caller::Hub(h) => format!("hub:{}", h.region),
        }
    }
}

pub use crate::auth_cache::{
    Asker, AuthCache, ADDRESS_TRIES, CALLER_RECHECK_SECS, ENROL_TRIES, ENROL_WINDOW_SECS,
};

fn header<'a>(parts: &'a Parts, name: &str) -> HubResult<&'a str> {
    parts
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            fail(
                ErrorCode::Unauthenticated,
                format!("this call needs a signed request (missing {name})"),
            )
        })
}

/// The signature of a signed request (RFC 9421), parsed but not yet checked.
fn received_signature(parts: &Parts) -> HubResult<reqsig::Received> {
    let input = header(parts, reqsig::H_SIGNATURE_INPUT)?;
    let signature = header(parts, reqsig::H_SIGNATURE)?;
    reqsig::Received::parse(input, signature).map_err(|e| fail(e.code, e.why))
}

/// A header's values as the signature base takes them (RFC 9421 § 2.1).
fn header_values(parts: &Parts, name: &str) -> Option<String> {
    let values: Vec<&str> = parts
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().map(str::trim))
        .collect::<Result<_, _>>()
        .ok()?;
    (!values.is_empty()).then(|| values.join(", "))
}

/// The key id of a signed request, its signature checked against `key`: the digest matches
/// the body, the signature verifies, the time is near the hub's and the nonce is new.
pub fn check_signature(
    state: &AppState,
    parts: &Parts,
    body: &[u8],
    key: &PublicKey,
) -> HubResult<KeyId> {
    check_received(state, parts, body, key, &received_signature(parts)?)
}

/// [`check_signature`] of a signature already read from the request.
fn check_received(
    state: &AppState,
    parts: &Parts,
    body: &[u8],
    key: &PublicKey,
    received: &reqsig::Received,
) -> HubResult<KeyId> {
    let params = &received.params;
    if params.key_id != key.key_id() {
        return Err(fail(
            ErrorCode::UnknownKey,
            "the request is not signed with the key it presents",
        ));
    }
    if params.alg.is_some_and(|a| a != key.alg()) {
        return Err(fail(
            ErrorCode::BadRequestSignature,
            "the signature's alg is not the key's",
        ));
    }
    reqsig::check_content_digest(header(parts, reqsig::H_CONTENT_DIGEST)?, body)
        .map_err(|e| fail(e.code, e.why))?;
    verify_base(parts, key, received)?;
    check_fresh(state, params)?;
    Ok(params.key_id)
}

fn verify_base(parts: &Parts, key: &PublicKey, received: &reqsig::Received) -> HubResult<()> {
    let target = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let lookup = |name: &str| header_values(parts, name);
    let request = reqsig::Request {
        method: parts.method.as_str(),
        target,
        header: &lookup,
    };
    let base = reqsig::signature_base(&request, &received.covered, &received.params_value)
        .map_err(|e| fail(e.code, e.why))?;
    let sig = Signature::from_bytes(&received.signature)?;
    key.verify(base.as_bytes(), &sig).map_err(|_| {
        fail(
            ErrorCode::BadRequestSignature,
            "the request signature does not verify",
        )
    })
}

/// The signature was made just now, after this process started, and never seen before.
fn check_fresh(state: &AppState, params: &reqsig::SigParams) -> HubResult<()> {
    let (ts, now) = (params.created, state.now());
    if (ts - now).abs() > reqsig::MAX_REQUEST_SKEW_SECS {
        return Err(fail(
            ErrorCode::ClockSkew,
            format!("request time is {}s away from the hub's clock", ts - now),
        ));
    }
    if params.expires.is_some_and(|e| e < now) {
        return Err(fail(ErrorCode::StaleRequest, "the signature has expired"));
    }
    // The nonces seen before a restart are gone: a request signed before this process started
    // could be a replay of one it already served (item 12).
    if ts < state.started_at {
        return Err(fail(
            ErrorCode::StaleRequest,
            "request was signed before the hub started; sign it again",
        ));
    }
    if !state
        .auth
        .nonces
        .fresh(params.key_id, &params.nonce, ts, now)
    {
        return Err(fail(
            ErrorCode::ReplayedRequest,
            "this request was already received",
        ));
    }
    Ok(())
}

/// Who is calling, and how they showed it.
pub struct Authenticated {
    pub caller: Caller,
    pub key_id: KeyId,
    /// By a session token (rather than a signature made just now).
    pub by_session: bool,
}

async fn authenticate(state: &AppState, parts: &Parts, body: &[u8]) -> HubResult<Authenticated> {
    if let Some(auth) = parts.headers.get(axum::http::header::AUTHORIZATION) {
        return by_session(state, auth).await;
    }
    let received = received_signature(parts)?;
    let key_id = received.params.key_id;
    let caller = registered(state, key_id).await?;
    let key = match &caller {
        Caller::Device(d) => d.public_key.clone(),
        Caller::Terminal(t) => t.public_key.clone(),
        Caller::Department(_) => crate::store::department_api_key(&state.db, key_id).await?,
        Caller::Hub(h) => h.public_key.clone(),
    };
    check_received(state, parts, body, &key, &received)?;
    Ok(Authenticated {
        caller,
        key_id,
        by_session: false,
    })
}

/// The caller that owns `key_id` now (a removed device or a deactivated terminal has none).
async fn registered(state: &AppState, key_id: KeyId) -> HubResult<Caller> {
    crate::store::caller_by_key(&state.db, key_id)
        .await?
        .ok_or_else(|| {
            fail(
                ErrorCode::UnknownKey,
                "this key is not registered (or was removed)",
            )
        })
}

async fn by_session(state: &AppState, auth: &axum::http::HeaderValue) -> HubResult<Authenticated> {
    let token = auth
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| {
            fail(
                ErrorCode::Unauthenticated,
                "Authorization must be a Bearer session token",
            )
        })?;
    // Read before the lookup: a key changed after this read moves the epoch on, so the
    // caller remembered below is looked up again on the next use.
    let (now, epoch) = (state.now(), state.db.key_epoch());
    let (key_id, known) = state.auth.session(token, now, epoch).ok_or_else(|| {
        fail(
            ErrorCode::SessionExpired,
            "session expired or unknown; open a new one",
        )
    })?;
    let caller = match known {
        Some(caller) => caller,
        None => {
            let caller = registered(state, key_id).await.inspect_err(|_| {
                state.auth.end_session(token);
            })?;
            state.auth.remember(token, &caller, now, epoch);
            caller
        }
    };
    Ok(Authenticated {
        caller,
        key_id,
        by_session: true,
    })
}

pub trait Role: Sized + Send {
    fn from_caller(c: Caller) -> Option<Self>;
    const NAME: &'static str;
    /// Whether a pending device (enrolled, not yet confirmed) may call.
    const ADMITS_PENDING: bool = false;
}

/// A holder's device that may still be pending: for the calls that finish an enrolment (its
/// own state, the face check bound to its key).
pub struct EnrollingDevice(pub DeviceCaller);

impl Role for EnrollingDevice {
    fn from_caller(c: Caller) -> Option<Self> {
        DeviceCaller::from_caller(c).map(EnrollingDevice)
    }
    const NAME: &'static str = "a holder's device";
    const ADMITS_PENDING: bool = true;
}
impl Role for DeviceCaller {
    fn from_caller(c: Caller) -> Option<Self> {
        if let Caller::Device(d) = c {
            Some(d)
        } else {
            None
        }
    }
    const NAME: &'static str = "a holder's enrolled device";
}
impl Role for TerminalCaller {
    fn from_caller(c: Caller) -> Option<Self> {
        match c {
            Caller::Terminal(t) if t.kind != TerminalKind::Console => Some(t),
            _ => None,
        }
    }
    const NAME: &'static str = "a registered terminal";
}
impl Role for DeptCaller {
    /// The department's own key, or one of its staff consoles (部门工作台).
    fn from_caller(c: Caller) -> Option<Self> {
        match c {
            Caller::Department(d) => Some(d),
            Caller::Terminal(t) if t.kind == TerminalKind::Console => Some(DeptCaller {
                code: t.department,
                name: t.name,
                region: t.region,
                console: Some(t.id),
            }),
            _ => None,
        }
    }
    const NAME: &'static str = "an issuing department";
}
impl Role for PeerCaller {
    fn from_caller(c: Caller) -> Option<Self> {
        if let Caller::Hub(h) = c {
            Some(h)
        } else {
            None
        }
    }
    const NAME: &'static str = "a federated hub";
}
impl Role for Caller {
    fn from_caller(c: Caller) -> Option<Self> {
        Some(c)
    }
    const NAME: &'static str = "a registered caller";
}

/// Extractor: the authenticated caller in role `R`, and the raw body.
pub struct Authed<R, const LIMIT: usize = MAX_BODY> {
    pub who: R,
    pub body: Bytes,
    pub key_id: KeyId,
    pub by_session: bool,
}

impl<R, const LIMIT: usize> Authed<R, LIMIT> {
    /// The asker of an identity check made in this request: its registered key only (a key
    /// that took confirming or an operator to exist; its address would add nothing but the
    /// risk of locking out a whole service hall behind one NAT address).
    pub fn asker(&self) -> Asker {
        Asker {
            key: Some(self.key_id),
            addr: None,
        }
    }
}

/// The peer's address from the connection, when the server was started with it.
pub fn peer_addr(parts: &Parts) -> Option<std::net::IpAddr> {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip())
}

impl<R: Role, const LIMIT: usize> FromRequest<AppState> for Authed<R, LIMIT> {
    type Rejection = HubError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let body = read_body(state, &parts, body, LIMIT).await?;
        let Authenticated {
            caller,
            key_id,
            by_session,
        } = authenticate(state, &parts, &body).await?;
        if let Caller::Device(d) = &caller {
            if d.state == DeviceState::Pending && !R::ADMITS_PENDING {
                return Err(fail(
                    ErrorCode::DevicePending,
                    "this device is not confirmed yet: pass the face check, approve it on another of your devices, or show its code at a counter",
                ));
            }
        }
        let who = R::from_caller(caller).ok_or_else(|| {
            crate::error::fail(
                ErrorCode::WrongRole,
                format!("only {} may call this", R::NAME),
            )
        })?;
        Ok(Authed {
            who,
            body,
            key_id,
            by_session,
        })
    }
}

/// Extractor for self-signed enrolment requests: the parts and body, checked later against the
/// key inside the body.
pub struct RawSigned {
    pub parts: Parts,
    pub body: Bytes,
}

impl FromRequest<AppState> for RawSigned {
    type Rejection = HubError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let body = read_body(state, &parts, body, MAX_BODY).await?;
        Ok(RawSigned { parts, body })
    }
}

/// How long a request's body may take to arrive once its headers have (a client that sends
/// a large body and stalls holds memory and a connection; item 12).
pub const BODY_SECS: u64 = 20;

/// Read a request's body, within the body budget (see [`crate::bodies`]) and [`BODY_SECS`].
async fn read_body(
    state: &AppState,
    parts: &Parts,
    body: axum::body::Body,
    limit: usize,
) -> HubResult<Bytes> {
    let announced = parts
        .headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if announced.is_some_and(|n| n > limit) {
        return Err(crate::error::fail(
            ErrorCode::BodyTooLarge,
            format!("request body over {limit} bytes"),
        ));
    }
    // Without Content-Length or Transfer-Encoding an HTTP/1.1 request has no body.
    let chunked = parts
        .headers
        .contains_key(axum::http::header::TRANSFER_ENCODING);
    let _reserved = match announced {
        Some(0) => None,
        None if !chunked => None,
        n => Some(
            state
                .bodies
                .reserve(peer_addr(parts), n.unwrap_or(limit))
                .ok_or_else(|| {
                    crate::error::fail(
                        ErrorCode::ServerBusy,
                        "too many request bodies are arriving at once: retry shortly",
                    )
                })?,
        ),
    };
    let read = axum::body::to_bytes(body, limit);
    let body = tokio::time::timeout(std::time::Duration::from_secs(BODY_SECS), read)
        .await
        .map_err(|_| {
            crate::error::fail(
                ErrorCode::RequestTimeout,
                format!("the request body did not arrive within {BODY_SECS} s"),
            )
        })?;
    body.map_err(|_| {
        crate::error::fail(
            ErrorCode::BodyTooLarge,
            format!("request body over {limit} bytes"),
        )
    })
}

/// Parse a JSON body with a clear error. A field the type does not have is refused
/// (`unknown_field`, naming it) rather than ignored: a misspelt optional field would otherwise
/// be dropped silently. Read with `serde_ignored`, so response types stay lenient for clients.
pub fn json<T: serde::de::DeserializeOwned>(body: &[u8]) -> HubResult<T> {
    let mut unknown = Vec::new();
    let de = &mut serde_json::Deserializer::from_slice(body);
    let value: T = serde_ignored::deserialize(&mut *de, |path| unknown.push(path.to_string()))
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| crate::error::fail(ErrorCode::BadJson, format!("request body: {e}")))?;
    if let Some(first) = unknown.first() {
        return Err(crate::error::fail(
            ErrorCode::UnknownField,
            format!("request body: unknown field `{first}`"),
        ));
    }
    Ok(value)
}
