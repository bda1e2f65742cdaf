//! Typed async client for the Mianzheng hub: public calls, the holder's device, terminals and
//! departments. Requests are signed with the caller's key (any [`Signer`]: a keyring-held key,
//! secure hardware, or a [`SoftKey`](mz_softkey::SoftKey)).

use futures_util::{Stream, StreamExt};
use mz_core::api::*;
use mz_core::catalogue;
use mz_core::cert::Certificate;
use mz_core::codes::*;
use mz_core::crypto::{b64, SignError, Signer};
use mz_core::reqsig;
use mz_core::ErrorCode;
use reqwest::Method;
use serde::{de::DeserializeOwned, Serialize};
use std::sync::{Arc, Mutex};

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
        let ts = self.now();
        let nonce = hex::encode(random::<16>());
        let sig = signer.sign(&reqsig::payload(method.as_str(), path, ts, &nonce, body))?;
        Ok(vec![
            (reqsig::H_KEY, signer.key_id().to_string()),
            (reqsig::H_TS, ts.to_string()),
            (reqsig::H_NONCE, nonce),
            (reqsig::H_SIG, b64(&sig.0)),
        ])
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

    async fn events(&self, path: &str) -> Result<impl Stream<Item = Result<PushEvent>> + use<>> {
        let resp = self
            .raw(Method::GET, path, Vec::new(), Auth::Signed)
            .await?;
        use eventsource_stream::Eventsource;
        Ok(resp
            .bytes_stream()
            .eventsource()
            .filter_map(|ev| async move {
                match ev {
                    Ok(e) if e.data.is_empty() => None,
                    Ok(e) => Some(
                        serde_json::from_str::<PushEvent>(&e.data)
                            .map_err(|err| ClientError::Other(format!("bad event: {err}"))),
                    ),
                    Err(e) => Some(Err(ClientError::Other(format!("event stream: {e}")))),
                }
            }))
    }

    // ---- public ----

    pub async fn hub_info(&self) -> Result<HubInfo> {
        self.get("/v1/hub", Auth::Public).await
    }
    pub async fn terminal_info(&self, id: &str) -> Result<TerminalInfo> {
        self.get(&format!("/v1/public/terminals/{id}"), Auth::Public)
            .await
    }
    pub async fn departments(&self) -> Result<Vec<DepartmentInfo>> {
        self.get("/v1/public/departments", Auth::Public).await
    }
    /// Public lookup in a region, whichever hub holds it (with the issuers' seal keys).
    pub async fn lookup_in_region(
        &self,
        region: &str,
        cert_type: &str,
        holder: &str,
    ) -> Result<PublicLookup> {
        let q = format!(
            "/v1/public/regions/{}/certificates?type={}&holder={}",
            urlencode(region),
            urlencode(cert_type),
            urlencode(holder)
        );
        self.get(&q, Auth::Public).await
    }
    pub async fn lookup(&self, cert_type: &str, holder: &str) -> Result<Vec<PublicCertificate>> {
        let q = format!(
            "/v1/public/certificates?type={}&holder={}",
            urlencode(cert_type),
            urlencode(holder)
        );
        self.get(&q, Auth::Public).await
    }
    pub async fn checkpoint(&self) -> Result<CheckpointView> {
        self.get("/v1/public/checkpoint", Auth::Public).await
    }
    pub async fn openapi(&self) -> Result<serde_json::Value> {
        self.get("/openapi.json", Auth::Public).await
    }
    /// Verify a certificate's seal against the issuing department's published keys.
    pub async fn verify_seal(&self, cert: &Certificate) -> Result<()> {
        let depts = self.departments().await?;
        let d = depts
            .iter()
            .find(|d| d.code == cert.body.issuer_code.as_str())
            .ok_or_else(|| ClientError::Other("unknown issuing department".into()))?;
        let key = d
            .seal_keys
            .iter()
            .find(|k| k.key_id() == cert.seal.key_id)
            .ok_or(mz_core::CoreError::BadSignature)?;
        Ok(cert.verify(key)?)
    }

    // ---- holder device ----

    /// 实名 enrolment: register this client's key for the person with `id_number` and `name`.
    pub async fn enrol(
        &self,
        id_number: &str,
        name: &str,
        device_label: &str,
    ) -> Result<EnrolResponse> {
        let signer = self.signer()?;
        let req = EnrolRequest {
            id_number: id_number.into(),
            name: name.into(),
            device_public_key: signer.public_key(),
            device_label: device_label.into(),
        };
        self.send(Method::POST, "/v1/enrol", to_json(&req)?, Auth::SelfSigned)
            .await
    }
    pub async fn me(&self) -> Result<Profile> {
        self.get("/v1/me", Auth::Signed).await
    }
    /// Set this device's PIN on the hub (`current` when changing one that is set).
    pub async fn set_pin(&self, pin: &str, current: Option<&str>) -> Result<PinChecked> {
        let key = self.signing_key_id()?;
        let body = PinSet {
            verifier: pin_verifier(pin, &key),
            current: current.map(|c| pin_verifier(c, &key)),
        };
        self.post("/v1/me/pin", &body).await
    }
    /// Check a PIN entered on this device (the hub counts wrong ones).
    pub async fn check_pin(&self, pin: &str) -> Result<PinChecked> {
        let key = self.signing_key_id()?;
        let body = PinCheck {
            proof: pin_verifier(pin, &key),
        };
        self.post("/v1/me/pin/check", &body).await
    }
    fn signing_key_id(&self) -> Result<String> {
        self.key_id()
            .map(|k| k.to_string())
            .ok_or_else(|| ClientError::Other("no device key".into()))
    }
    /// The holder's devices, this one marked.
    pub async fn devices(&self) -> Result<DeviceList> {
        self.get("/v1/me/devices", Auth::Signed).await
    }
    /// Approve a pending device of the same holder (from an active device).
    pub async fn approve_device(&self, key_id: &str) -> Result<DeviceList> {
        let path = format!("/v1/me/devices/{key_id}/approve");
        self.send(Method::POST, &path, Vec::new(), Auth::Signed)
            .await
    }
    /// Remove one of the holder's devices (this one too).
    pub async fn remove_device(&self, key_id: &str) -> Result<DeviceList> {
        let path = format!("/v1/me/devices/{key_id}/remove");
        self.send(Method::POST, &path, Vec::new(), Auth::Signed)
            .await
    }
    /// Fetch `n` one-time handles for codes.
    pub async fn handles(&self, n: u32) -> Result<Vec<[u8; 16]>> {
        let r: HandlesResponse = self
            .send(
                Method::POST,
                &format!("/v1/me/handles?n={n}"),
                Vec::new(),
                Auth::Signed,
            )
            .await?;
        r.handles
            .iter()
            .map(|h| {
                hex::decode(h)
                    .ok()
                    .and_then(|v| v.try_into().ok())
                    .ok_or_else(|| ClientError::Other("bad handle".into()))
            })
            .collect()
    }
    pub async fn certificates(&self) -> Result<Vec<CertificateView>> {
        self.get("/v1/me/certificates", Auth::Signed).await
    }
    /// Make a signed holder code (identity, show or delegated) with a one-time handle. Works
    /// offline: it only needs the key and a handle fetched earlier.
    pub fn holder_code(&self, region: u32, handle: [u8; 16], scope: Scope) -> Result<String> {
        let body = HolderCodeBody {
            region,
            handle,
            scope,
            issued_at: self.now(),
            nonce: random(),
        };
        Ok(body.sign_text(self.signer()?.as_ref())?)
    }
    pub async fn holder_events(&self) -> Result<impl Stream<Item = Result<PushEvent>> + use<>> {
        self.events("/v1/me/events").await
    }
    pub async fn pending_requests(&self) -> Result<Vec<AuthRequestView>> {
        self.get("/v1/me/auth-requests", Auth::Signed).await
    }
    pub async fn auth_request(&self, id: &str) -> Result<AuthRequestView> {
        self.get(&format!("/v1/me/auth-requests/{id}"), Auth::Signed)
            .await
    }
    /// Approve `approve` (catalogue codes; empty = refuse), signed by this device.
    pub async fn decide(&self, request_id: &str, approve: &[&str]) -> Result<AuthRequestView> {
        let nos = approve
            .iter()
            .map(|c| catalogue::cert_type(c).map(|t| t.no))
            .collect::<Result<Vec<_>, _>>()?;
        let d = AuthDecision {
            request: uuid_bytes(request_id)?,
            approve: nos,
            decided_at: self.now(),
        };
        let signed = d.sign(self.signer()?.as_ref())?;
        self.post(
            &format!("/v1/me/auth-requests/{request_id}/decision"),
            &DecisionRequest {
                decision: b64(&signed),
            },
        )
        .await
    }
    /// Check a scanned kiosk login code: whose terminal it is (signature by its registered key)
    /// and that it is current. Show the result to the holder before approving.
    pub async fn check_login_code(&self, text: &str) -> Result<(LoginCodeBody, TerminalInfo)> {
        let u = LoginCodeBody::parse(text)?;
        let tid = uuid::Uuid::from_bytes(u.claimed().terminal).to_string();
        let t = self
            .terminal_info(&tid)
            .await
            .map_err(|e| match e.error_code() {
                Some(ErrorCode::NotFound) => ClientError::Api {
                    status: 404,
                    code: ErrorCode::UnregisteredTerminal,
                    message: "this code is not from a registered terminal".into(),
                },
                _ => e,
            })?;
        let key = t
            .public_key
            .clone()
            .filter(|_| t.active)
            .ok_or_else(|| ClientError::Api {
                status: 404,
                code: ErrorCode::UnregisteredTerminal,
                message: "this terminal is not enrolled".into(),
            })?;
        let body = u.verify(&key)?;
        body.check_time(self.now())?;
        Ok((body, t))
    }
    /// Approve logging in to the kiosk session of a checked login code.
    pub async fn approve_login(&self, code: &LoginCodeBody) -> Result<LoginSessionView> {
        let a = LoginApproval {
            session: code.session,
            terminal: code.terminal,
            code_nonce: code.nonce,
            code_issued_at: code.issued_at,
            approved_at: self.now(),
        };
        let signed = a.sign(self.signer()?.as_ref())?;
        self.post(
            "/v1/me/login-approvals",
            &LoginApprovalRequest {
                approval: b64(&signed),
            },
        )
        .await
    }
    /// Grant the agent (ID number and name) the certificate types (catalogue codes) from–to.
    #[allow(clippy::too_many_arguments)] // one argument per field of the signed grant
    pub async fn grant(
        &self,
        principal: Principal,
        agent_id_number: &str,
        agent_name: &str,
        cert_types: &[&str],
        matters: &[&str],
        valid_from: i64,
        valid_to: i64,
    ) -> Result<GrantView> {
        let nos = cert_types
            .iter()
            .map(|c| catalogue::cert_type(c).map(|t| t.no))
            .collect::<Result<Vec<_>, _>>()?;
        let g = Grant {
            grant: random(),
            principal,
            agent: agent_id_number.into(),
            cert_types: nos,
            matters: matters.iter().map(|m| m.to_string()).collect(),
            valid_from,
            valid_to,
            created_at: self.now(),
        };
        let signed = g.sign(self.signer()?.as_ref())?;
        self.post(
            "/v1/me/grants",
            &GrantRequest {
                grant: b64(&signed),
                agent_name: agent_name.into(),
            },
        )
        .await
    }
    pub async fn grants(&self) -> Result<GrantsView> {
        self.get("/v1/me/grants", Auth::Signed).await
    }
    pub async fn revoke_grant(&self, grant_id: &str) -> Result<GrantView> {
        let r = GrantRevocation {
            grant: uuid_bytes(grant_id)?,
            revoked_at: self.now(),
        };
        let signed = r.sign(self.signer()?.as_ref())?;
        self.post(
            &format!("/v1/me/grants/{grant_id}/revoke"),
            &RevokeGrantRequest {
                revocation: b64(&signed),
            },
        )
        .await
    }
    /// 异议: dispute one of my certificates.
    pub async fn object(&self, license_id: &str, reason: &str) -> Result<ObjectionView> {
        self.post(
            "/v1/me/objections",
            &ObjectionRequest {
                license_id: license_id.into(),
                reason: reason.into(),
            },
        )
        .await
    }
    pub async fn objections(&self) -> Result<Vec<ObjectionView>> {
        self.get("/v1/me/objections", Auth::Signed).await
    }
    pub async fn audit(&self) -> Result<Vec<AuditEntryView>> {
        self.get("/v1/me/audit", Auth::Signed).await
    }
    pub async fn audit_export(&self) -> Result<String> {
        Ok(self
            .raw(Method::GET, "/v1/me/audit/export", Vec::new(), Auth::Signed)
            .await?
            .text()
            .await?)
    }

    /// POST any JSON to a path, signed (for tools and tests that send what the typed calls
    /// would not).
    pub async fn post_raw_json(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value> {
        self.post(path, body).await
    }

    // ---- face (实人) ----

    /// Start my own live face check (enrolment 实名 → 实名 + 实人).
    pub async fn face_challenge(&self) -> Result<FaceChallenge> {
        self.post("/v1/me/face-challenge", &serde_json::json!({}))
            .await
    }
    /// Apply for someone else (代办): the hub checks eligibility and returns the challenge
    /// that person must pass in front of my camera.
    pub async fn proxy_application(
        &self,
        matter: &str,
        id_number: &str,
        name: &str,
    ) -> Result<ProxyApplicationCreated> {
        self.post(
            "/v1/me/proxy-applications",
            &ProxyApplicationRequest {
                matter: matter.into(),
                id_number: id_number.into(),
                name: name.into(),
            },
        )
        .await
    }
    pub async fn proxy_applications(&self) -> Result<Vec<ApplicationView>> {
        self.get("/v1/me/proxy-applications", Auth::Signed).await
    }
    /// Send the filmed frames (JPEG or PNG bytes, in order) of a challenge, with when each was
    /// taken (milliseconds after the first).
    pub async fn face_frames(
        &self,
        challenge: &FaceChallenge,
        frames: &[Vec<u8>],
        captured_ms: &[u32],
    ) -> Result<FaceOutcome> {
        self.post(
            &format!("/v1/face/challenges/{}/frames", challenge.id),
            &face_body(challenge, frames, captured_ms),
        )
        .await
    }

    // ---- terminal ----

    /// Counter face check for a person without a phone (窗口刷脸).
    pub async fn counter_face_check(&self, id_number: &str, name: &str) -> Result<FaceChallenge> {
        self.post(
            "/v1/terminal/face-checks",
            &CounterFaceCheckRequest {
                id_number: id_number.into(),
                name: name.into(),
            },
        )
        .await
    }
    pub async fn counter_face_frames(
        &self,
        challenge: &FaceChallenge,
        frames: &[Vec<u8>],
        captured_ms: &[u32],
    ) -> Result<FaceOutcome> {
        self.post(
            &format!("/v1/terminal/face-checks/{}/frames", challenge.id),
            &face_body(challenge, frames, captured_ms),
        )
        .await
    }
    /// The person's consent given on the counter's tablet (after a face check at this counter).
    pub async fn counter_consent(
        &self,
        request_id: &str,
        approve: &[&str],
    ) -> Result<AuthRequestView> {
        self.post(
            &format!("/v1/terminal/auth-requests/{request_id}/consent"),
            &CounterConsentRequest {
                approve: approve.iter().map(|s| s.to_string()).collect(),
            },
        )
        .await
    }

    /// Register this client's key as the terminal enrolled with `enrolment_code`.
    /// At a counter: remove every device of the person whose ID card the staff checked.
    pub async fn remove_devices_at_counter(&self, id_number: &str) -> Result<DevicesRemoved> {
        let req = DeviceRemovalRequest {
            id_number: id_number.into(),
        };
        self.post("/v1/terminal/device-removals", &req).await
    }
    /// At a counter: confirm a new device whose code was scanned, for the person whose ID card
    /// the staff checked.
    pub async fn confirm_device(
        &self,
        counter_code: &str,
        id_number: &str,
    ) -> Result<DeviceConfirmed> {
        let req = DeviceConfirmRequest {
            counter_code: counter_code.into(),
            id_number: id_number.into(),
        };
        self.post("/v1/terminal/device-confirmations", &req).await
    }
    pub async fn enrol_terminal(&self, enrolment_code: &str) -> Result<TerminalInfo> {
        let req = TerminalEnrolRequest {
            enrolment_code: enrolment_code.into(),
            public_key: self.signer()?.public_key(),
        };
        self.send(
            Method::POST,
            "/v1/terminals/enrol",
            to_json(&req)?,
            Auth::SelfSigned,
        )
        .await
    }
    pub async fn terminal_events(&self) -> Result<impl Stream<Item = Result<PushEvent>> + use<>> {
        self.events("/v1/terminal/events").await
    }
    pub async fn redeem(&self, code: &str) -> Result<Redemption> {
        self.post("/v1/terminal/redeem", &RedeemRequest { code: code.into() })
            .await
    }
    pub async fn request_authorization(
        &self,
        redemption_id: &str,
        matter: &str,
        cert_types: &[&str],
        archive: bool,
    ) -> Result<AuthRequestView> {
        let req = AuthRequestCreate {
            redemption_id: redemption_id.into(),
            matter: matter.into(),
            cert_types: cert_types.iter().map(|c| c.to_string()).collect(),
            archive,
        };
        self.post("/v1/terminal/auth-requests", &req).await
    }
    pub async fn terminal_request(&self, id: &str) -> Result<AuthRequestView> {
        self.get(&format!("/v1/terminal/auth-requests/{id}"), Auth::Signed)
            .await
    }
    pub async fn release(&self, request_id: &str) -> Result<Release> {
        self.send(
            Method::POST,
            &format!("/v1/terminal/auth-requests/{request_id}/release"),
            Vec::new(),
            Auth::Signed,
        )
        .await
    }
    pub async fn open_login(&self) -> Result<LoginSessionCreated> {
        self.send(
            Method::POST,
            "/v1/terminal/login-sessions",
            Vec::new(),
            Auth::Signed,
        )
        .await
    }
    /// The kiosk's signed login code for a session, to show as a QR code.
    pub fn login_code(&self, region: u32, terminal_id: &str, session_id: &str) -> Result<String> {
        let b = LoginCodeBody {
            region,
            terminal: uuid_bytes(terminal_id)?,
            session: uuid_bytes(session_id)?,
            issued_at: self.now(),
            nonce: random(),
        };
        Ok(b.sign_text(self.signer()?.as_ref())?)
    }
    pub async fn login_session(&self, id: &str) -> Result<LoginSessionView> {
        self.get(&format!("/v1/terminal/login-sessions/{id}"), Auth::Signed)
            .await
    }
    pub async fn login_by_identity_code(
        &self,
        session_id: &str,
        code: &str,
    ) -> Result<LoginSessionView> {
        self.post(
            &format!("/v1/terminal/login-sessions/{session_id}/identity-code"),
            &IdentityLoginRequest { code: code.into() },
        )
        .await
    }
    /// A kiosk asks the logged-in holder to release what a self-service matter needs.
    pub async fn session_request(
        &self,
        session_id: &str,
        matter: &str,
        archive: bool,
    ) -> Result<AuthRequestView> {
        self.post(
            &format!("/v1/terminal/login-sessions/{session_id}/auth-requests"),
            &SessionAuthRequest {
                matter: matter.into(),
                archive,
            },
        )
        .await
    }
    pub async fn end_login(&self, session_id: &str) -> Result<LoginSessionView> {
        self.send(
            Method::POST,
            &format!("/v1/terminal/login-sessions/{session_id}/end"),
            Vec::new(),
            Auth::Signed,
        )
        .await
    }

    // ---- department ----

    pub async fn issue(&self, certificate: Certificate) -> Result<IssueResponse> {
        self.post(
            "/v1/dept/certificates",
            &IssueRequest {
                certificate,
                supersedes: None,
            },
        )
        .await
    }
    /// Issue a replacement; the certificate `supersedes` becomes superseded.
    pub async fn reissue(
        &self,
        certificate: Certificate,
        supersedes: &str,
    ) -> Result<IssueResponse> {
        self.post(
            "/v1/dept/certificates",
            &IssueRequest {
                certificate,
                supersedes: Some(supersedes.into()),
            },
        )
        .await
    }
    pub async fn department_objections(&self) -> Result<Vec<ObjectionView>> {
        self.get("/v1/dept/objections", Auth::Signed).await
    }
    pub async fn resolve_objection(
        &self,
        id: &str,
        outcome: mz_core::flow::ObjectionOutcome,
        resolution: &str,
    ) -> Result<ObjectionView> {
        self.post(
            &format!("/v1/dept/objections/{id}/resolve"),
            &ResolveObjectionRequest {
                outcome,
                resolution: resolution.into(),
            },
        )
        .await
    }
    pub async fn revoke_certificate(
        &self,
        license_id: &str,
        reason: &str,
    ) -> Result<IssueResponse> {
        self.post(
            "/v1/dept/certificates/revoke",
            &RevokeCertRequest {
                license_id: license_id.into(),
                reason: reason.into(),
            },
        )
        .await
    }

    // ---- hub to hub (this client signs with a hub's key) ----

    /// Pass a federated call to a parent or child hub.
    pub async fn relay(&self, relay: &FedRelay) -> Result<FedReply> {
        self.post("/v1/federation/relay", relay).await
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
