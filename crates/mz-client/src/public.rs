//! Calls anyone may make, unsigned: the hub, terminals, departments and their seal keys,
//! public lookups, the audit checkpoint, the OpenAPI document.

use super::*;

impl Client {
    pub async fn hub_info(&self) -> Result<HubInfo> {
        self.get("/v1/hub", Auth::Public).await
    }
    /// The hub's current catalogue.
    pub async fn catalogue(&self) -> Result<CatalogueView> {
        self.get("/v1/catalogue", Auth::Public).await
    }
    /// The numbers of certificate types (catalogue codes), as signed decisions and grants carry
    /// them; the catalogue is read again when a code is not known yet.
    pub async fn type_numbers(&self, codes: &[&str]) -> Result<Vec<u16>> {
        let known = |c: &str| {
            self.type_numbers
                .lock()
                .expect("numbers lock")
                .get(c)
                .copied()
        };
        if codes.iter().any(|c| known(c).is_none()) {
            let fresh = self.catalogue().await?;
            let mut numbers = self.type_numbers.lock().expect("numbers lock");
            numbers.extend(fresh.cert_types.into_iter().map(|t| (t.code, t.no)));
        }
        codes
            .iter()
            .map(|c| {
                known(c).ok_or_else(|| {
                    mz_core::CoreError::Unknown {
                        what: "certificate type",
                        id: c.to_string(),
                    }
                    .into()
                })
            })
            .collect()
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
    /// Check a printed proof by the token in its QR code.
    pub async fn check_proof(&self, token: &str) -> Result<ProofCheck> {
        let body = to_json(&ProofCheckRequest {
            token: token.into(),
        })?;
        self.send(Method::POST, "/v1/public/proof-checks", body, Auth::Public)
            .await
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
}
