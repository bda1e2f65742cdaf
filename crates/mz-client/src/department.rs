//! An issuing department (issue, reissue, revoke, objections) and a hub relaying a federated
//! call to a peer.

use super::*;

impl Client {
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
    /// What the department issued, newest first (at most 200).
    pub async fn issued_certificates(&self) -> Result<Vec<PublicCertificate>> {
        self.get("/v1/dept/certificates", Auth::Signed).await
    }
    /// The applications the department received, newest first.
    pub async fn department_applications(&self) -> Result<Vec<ApplicationView>> {
        self.get("/v1/dept/applications", Auth::Signed).await
    }
    /// The department's archive records (预归档) still kept, newest first.
    pub async fn archives(&self) -> Result<Vec<ArchiveSummary>> {
        self.get("/v1/dept/archives", Auth::Signed).await
    }
    /// One archive record whole (the read is in the holder's records).
    pub async fn archive(&self, id: &str) -> Result<ArchiveRecord> {
        self.get(&format!("/v1/dept/archives/{id}"), Auth::Signed)
            .await
    }
    /// The department's proof orders still waiting (a kiosk's 房查证明, 参保证明), oldest first.
    pub async fn proof_orders(&self) -> Result<Vec<DeptProofOrder>> {
        self.get("/v1/dept/proof-orders", Auth::Signed).await
    }
    /// Answer a proof order with the proof, sealed by the department.
    pub async fn issue_proof(
        &self,
        order_id: &str,
        certificate: Certificate,
    ) -> Result<IssueResponse> {
        let path = format!("/v1/dept/proof-orders/{order_id}/issue");
        self.post(&path, &ProofIssue { certificate }).await
    }
    /// Answer a proof order with a refusal and its reason.
    pub async fn refuse_proof(&self, order_id: &str, reason: &str) -> Result<DeptProofOrder> {
        let path = format!("/v1/dept/proof-orders/{order_id}/refuse");
        let reason = reason.into();
        self.post(&path, &ProofRefusal { reason }).await
    }
    /// Live pushes to the department (proof orders).
    pub async fn department_events(&self) -> Result<impl Stream<Item = Result<PushEvent>> + use<>> {
        self.events("/v1/dept/events").await
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

    // Hub to hub (this client signs with a hub's key).

    /// Pass a federated call to a parent or child hub.
    pub async fn relay(&self, relay: &FedRelay) -> Result<FedReply> {
        self.post("/v1/federation/relay", relay).await
    }
}
