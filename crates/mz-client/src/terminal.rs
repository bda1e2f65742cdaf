//! A terminal (counter or kiosk): enrolment, redemption, authorization requests and releases,
//! kiosk login sessions, and the counter's face checks and device desk.

use super::*;

impl Client {
    /// Counter face check for a person without a phone (窗口刷脸).
    pub async fn counter_face_check(&self, id_number: &str, name: &str) -> Result<FaceChallenge> {
        self.counter_face_check_for(id_number, name, None).await
    }
    /// Counter face check, for an enterprise (`Some(统一社会信用代码)`) when the person is its
    /// legal representative (法人刷脸).
    pub async fn counter_face_check_for(
        &self,
        id_number: &str,
        name: &str,
        enterprise: Option<&str>,
    ) -> Result<FaceChallenge> {
        let req = CounterFaceCheckRequest {
            id_number: id_number.into(),
            name: name.into(),
            enterprise: enterprise.map(Into::into),
        };
        self.post("/v1/terminal/face-checks", &req).await
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
    /// Order the proof a released request's matter gives; the answer that creates the order
    /// carries the check token to print.
    pub async fn order_proof(&self, request_id: &str) -> Result<ProofOrderView> {
        let request_id = request_id.into();
        self.post("/v1/terminal/proofs", &ProofOrderCreate { request_id })
            .await
    }
    /// One of this terminal's proof orders, with the proof once issued.
    pub async fn proof_order(&self, order_id: &str) -> Result<ProofOrderView> {
        self.get(&format!("/v1/terminal/proofs/{order_id}"), Auth::Signed)
            .await
    }
    pub async fn redeem(&self, code: &str) -> Result<Redemption> {
        self.post("/v1/terminal/redeem", &RedeemRequest { code: code.into() })
            .await
    }
    /// Look a holder up by ID number (an enterprise by 统一社会信用代码) and registered name, and
    /// ask for `cert_types` for `matter`: the holder (legal representative) approves on their
    /// phone.
    pub async fn staff_lookup(
        &self,
        subject: &str,
        name: &str,
        matter: &str,
        cert_types: &[&str],
    ) -> Result<AuthRequestView> {
        let req = StaffLookupRequest {
            subject: subject.into(),
            name: name.into(),
            matter: matter.into(),
            cert_types: cert_types.iter().map(|c| c.to_string()).collect(),
            archive: false,
            guardian: None,
        };
        self.staff_lookup_as(&req).await
    }
    /// A staff lookup as given (a child's, with the parent at the counter as `guardian`).
    pub async fn staff_lookup_as(&self, req: &StaffLookupRequest) -> Result<AuthRequestView> {
        self.post("/v1/terminal/lookups", req).await
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
}
