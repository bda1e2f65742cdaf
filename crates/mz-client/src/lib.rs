//! Typed async client for the Mianzheng hub: public calls, the holder's device, terminals and
//! departments. Requests are signed with the caller's key (any [`Signer`]: a keyring-held key,
//! secure hardware, or a [`SoftKey`](mz_softkey::SoftKey)).

use futures_util::{Stream, StreamExt};
use mz_core::api::*;
use mz_core::cert::Certificate;
use mz_core::codes::*;
use mz_core::crypto::{b64, SignError, Signer};
use mz_core::reqsig;
use mz_core::ErrorCode;
use reqwest::Method;
use serde::{de::DeserializeOwned, Serialize};
use std::sync::{Arc, Mutex};

mod department;
mod holder;
mod public;
mod terminal;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The hub refused: `code` is the stable error code.
    #[error("{status} {code}: {message}")]
    Api {
        status: u16,
        code: ErrorCode,
        message: String,
    },
    #[error("hub unreachable: {0}")]
    Http(#[from] reqwest::Error),
    #[error(transparent)]
    Core(#[from] mz_core::CoreError),
    #[error(transparent)]
    Sign(#[from] SignError),
    #[error("{0}")]
    Other(String),
}

impl ClientError {
    /// The error code (from the registry), if the hub answered with one or the check was local.
    pub fn error_code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Api { code, .. } => Some(*code),
            ClientError::Core(e) => Some(e.code()),
            _ => None,
        }
    }
    /// The error code's wire name.
    pub fn code(&self) -> Option<&'static str> {
        self.error_code().map(ErrorCode::as_str)
    }
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}

pub type Result<T, E = ClientError> = std::result::Result<T, E>;

pub type ClockFn = Arc<dyn Fn() -> i64 + Send + Sync>;

fn system_clock() -> ClockFn {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    })
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b)
        .expect("system randomness");
    b
}

fn uuid_bytes(s: &str) -> Result<[u8; 16]> {
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    let v = hex::decode(&hex).map_err(|_| ClientError::Other(format!("not a UUID: {s}")))?;
    v.try_into()
        .map_err(|_| ClientError::Other(format!("not a UUID: {s}")))
}

/// A client bound to one hub and (optionally) one key.
#[derive(Clone)]
pub struct Client {
    base: String,
    http: reqwest::Client,
    signer: Option<Arc<dyn Signer>>,
    clock: ClockFn,
    sessions: bool,
    session: Arc<Mutex<Option<(String, i64)>>>,
    /// The id of the last event seen on each event stream (by path): a stream opened again
    /// resumes from it (`Last-Event-ID`), so nothing pushed in between is lost.
    last_event: Arc<Mutex<std::collections::HashMap<String, String>>>,
    /// The catalogue's type numbers (code → number) as last read: a number never names another
    /// type, so they are read again only for a code not known yet.
    type_numbers: Arc<Mutex<std::collections::HashMap<String, u16>>>,
}

impl Client {
    /// A public (unauthenticated) client for `base` (`http://127.0.0.1:8440`).
    pub fn new(base: &str) -> Self {
        Client {
            base: base.trim_end_matches('/').to_string(),
            http: reqwest::Client::new(),
            signer: None,
            clock: system_clock(),
            sessions: false,
            session: Default::default(),
            last_event: Default::default(),
            type_numbers: Default::default(),
        }
    }
    /// Send from this local address (a multi-homed machine; tests use 127.0.0.x).
    pub fn with_local_address(mut self, addr: std::net::IpAddr) -> Self {
        self.http = reqwest::Client::builder()
            .local_address(addr)
            .build()
            .expect("an HTTP client");
        self
    }
    /// Sign requests with this key.
    pub fn with_signer(mut self, signer: Arc<dyn Signer>) -> Self {
        self.signer = Some(signer);
        self.session = Default::default();
        self
    }
    /// Use this clock for request times and code times (tests share the hub's clock).
    pub fn with_clock(mut self, clock: ClockFn) -> Self {
        self.clock = clock;
        self
    }
    /// Open a bearer session with one signed request, then use it (busy terminals).
    pub fn with_sessions(mut self) -> Self {
        self.sessions = true;
        self
    }
    /// The key id of this client's key, if it has one.
    pub fn key_id(&self) -> Option<mz_core::crypto::KeyId> {
        self.signer.as_ref().map(|s| s.key_id())
    }
    pub fn base(&self) -> &str {
        &self.base
    }
    pub fn now(&self) -> i64 {
        (self.clock)()
    }
    fn signer(&self) -> Result<&Arc<dyn Signer>> {
        self.signer
            .as_ref()
            .ok_or_else(|| ClientError::Other("this call needs a key".into()))
    }

    fn sign_headers(
        &self,
        signer: &dyn Signer,
        method: &Method,
        path: &str,
        body: &[u8],
    ) -> Result<Vec<(&'static str, String)>> {
        let nonce = hex::encode(random::<16>());
        Ok(reqsig::sign(
            signer,
            method.as_str(),
            path,
            body,
            self.now(),
            &nonce,
        )?)
    }

    fn signed(&self, method: &Method, path: &str, body: &[u8]) -> Result<reqwest::RequestBuilder> {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{}", self.base, path));
        let signer = self.signer()?.clone();
        for (k, v) in self.sign_headers(signer.as_ref(), method, path, body)? {
            req = req.header(k, v);
        }
        Ok(req)
    }

    async fn bearer(&self) -> Result<String> {
        let now = self.now();
        if let Some((t, exp)) = self.session.lock().expect("lock").clone() {
            if exp > now + 30 {
                return Ok(t);
            }
        }
        let resp = check(
            self.signed(&Method::POST, "/v1/session", &[])?
                .send()
                .await?,
        )
        .await?;
        let tok: SessionToken = resp.json().await?;
        *self.session.lock().expect("lock") = Some((tok.token.clone(), tok.expires_at));
        Ok(tok.token)
    }

    async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Vec<u8>,
        auth: Auth,
    ) -> Result<T> {
        let resp = self.raw(method, path, body, auth).await?;
        Ok(resp.json().await?)
    }

    async fn raw(
        &self,
        method: Method,
        path: &str,
        body: Vec<u8>,
        auth: Auth,
    ) -> Result<reqwest::Response> {
        self.raw_with(method, path, body, auth, None).await
    }

    /// [`Client::raw`] with one more header (not covered by the signature).
    async fn raw_with(
        &self,
        method: Method,
        path: &str,
        body: Vec<u8>,
        auth: Auth,
        extra: Option<(&str, &str)>,
    ) -> Result<reqwest::Response> {
        let use_session = auth == Auth::Signed && self.sessions;
        let auth = if auth == Auth::SelfSigned {
            Auth::Signed
        } else {
            auth
        };
        let mut retried = false;
        loop {
            let mut req = match auth {
                Auth::Public => self
                    .http
                    .request(method.clone(), format!("{}{}", self.base, path)),
                Auth::Signed if use_session => self
                    .http
                    .request(method.clone(), format!("{}{}", self.base, path))
                    .bearer_auth(self.bearer().await?),
                Auth::Signed | Auth::SelfSigned => self.signed(&method, path, &body)?,
            };
            if !body.is_empty() {
                req = req
                    .header("content-type", "application/json")
                    .body(body.clone());
            }
            if let Some((name, value)) = extra {
                req = req.header(name, value);
            }
            match check(req.send().await?).await {
                Err(e)
                    if use_session
                        && !retried
                        && e.error_code() == Some(ErrorCode::SessionExpired) =>
                {
                    retried = true;
                    *self.session.lock().expect("lock") = None;
                }
                r => return r,
            }
        }
    }

    async fn get<T: DeserializeOwned>(&self, path: &str, auth: Auth) -> Result<T> {
        self.send(Method::GET, path, Vec::new(), auth).await
    }
    async fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T> {
        self.send(Method::POST, path, to_json(body)?, Auth::Signed)
            .await
    }

    /// A signed POST of any JSON to `path` (for calls this client has no method for).
    pub async fn post_json<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<T> {
        self.post(path, body).await
    }

    /// An event stream, resumed from the last event this client saw on it: the hub sends
    /// what was missed first, or `resync` when it cannot.
    async fn events(&self, path: &str) -> Result<impl Stream<Item = Result<PushEvent>> + use<>> {
        let last = self.last_event.lock().expect("lock").get(path).cloned();
        let extra = last.as_deref().map(|id| ("last-event-id", id));
        let resp = self
            .raw_with(Method::GET, path, Vec::new(), Auth::Signed, extra)
            .await?;
        let seen = (self.last_event.clone(), path.to_string());
        use eventsource_stream::Eventsource;
        Ok(resp.bytes_stream().eventsource().filter_map(move |ev| {
            let seen = seen.clone();
            async move {
                match ev {
                    Ok(e) if e.data.is_empty() => None,
                    Ok(e) => {
                        if !e.id.is_empty() {
                            seen.0.lock().expect("lock").insert(seen.1, e.id.clone());
                        }
                        Some(
                            serde_json::from_str::<PushEvent>(&e.data)
                                .map_err(|err| ClientError::Other(format!("bad event: {err}"))),
                        )
                    }
                    Err(e) => Some(Err(ClientError::Other(format!("event stream: {e}")))),
                }
            }
        }))
    }
}

/// Turn a non-success response into the hub's error.
async fn check(resp: reqwest::Response) -> Result<reqwest::Response> {
    if resp.status().is_success() {
        return Ok(resp);
    }
    let status = resp.status().as_u16();
    // A body that is not an error of this version (another server, a newer code) is named so.
    let err: ApiError = resp.json().await.unwrap_or(ApiError {
        code: ErrorCode::UnexpectedResponse,
        message: format!("HTTP {status}"),
    });
    Err(ClientError::Api {
        status,
        code: err.code,
        message: err.message,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Auth {
    Public,
    Signed,
    /// Signed with a key the hub does not know yet (enrolment): never through a session.
    SelfSigned,
}

fn to_json<B: Serialize>(body: &B) -> Result<Vec<u8>> {
    serde_json::to_vec(body).map_err(|e| ClientError::Other(e.to_string()))
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The body that sends a challenge's frames.
fn face_body(challenge: &FaceChallenge, frames: &[Vec<u8>], captured_ms: &[u32]) -> FaceFrames {
    use base64::Engine as _;
    FaceFrames {
        nonce: challenge.nonce.clone(),
        frames: frames
            .iter()
            .map(|f| base64::engine::general_purpose::STANDARD.encode(f))
            .collect(),
        captured_ms: captured_ms.to_vec(),
    }
}

/// What a device sends for its PIN: base64url(PBKDF2-HMAC-SHA256(PIN, "mianzheng-pin/v1/" + key
/// id, 100000 iterations, 32 bytes)). The PIN itself never leaves the device; the salt ties the
/// verifier to one device key.
pub fn pin_verifier(pin: &str, key_id: &str) -> String {
    use base64::Engine as _;
    let iterations = std::num::NonZeroU32::new(100_000).expect("non-zero");
    let salt = format!("mianzheng-pin/v1/{key_id}");
    let mut out = [0u8; 32];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        iterations,
        salt.as_bytes(),
        pin.as_bytes(),
        &mut out,
    );
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(out)
}
