//! The holder's device: enrolment, PIN, devices, handles and codes, certificates, prompts and
//! decisions, kiosk login, grants, objections, records, and the face checks (实人).

use super::*;

impl Client {
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
        let nos = self.type_numbers(approve).await?;
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
        let nos = self.type_numbers(cert_types).await?;
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

    // Face (实人).

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
}
