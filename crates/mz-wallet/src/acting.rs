//! Acting for others and being checked: grants (授权代办) and revoking them, my own face check
//! (实人) and applying for someone else (代办).

use super::*;

impl Wallet {
    /// Let an agent (ID number + name) use these certificate types for `days` from now; for an
    /// enterprise (`uscc`), only its legal representative may.
    pub async fn grant(
        &mut self,
        enterprise: Option<&str>,
        agent_id_number: &str,
        agent_name: &str,
        cert_types: &[&str],
        days: i64,
        pin: &str,
    ) -> Result<GrantView> {
        self.device()?;
        if !(1..=366).contains(&days) {
            return Err(WalletError::Hub {
                code: "bad_period".into(),
                message: "a delegation lasts 1 to 366 days".into(),
            });
        }
        self.check_pin(pin).await?;
        let principal = match enterprise {
            Some(u) => Principal::Enterprise(u.to_string()),
            None => Principal::Person(
                self.state
                    .id_number
                    .clone()
                    .ok_or(WalletError::NotEnrolled)?,
            ),
        };
        let now = self.client.now();
        let g = self
            .client
            .grant(
                principal,
                agent_id_number,
                agent_name,
                cert_types,
                &[],
                now,
                now + days * 86_400,
            )
            .await?;
        self.state.grants = Some(self.client.grants().await?);
        self.save()?;
        Ok(g)
    }

    pub async fn revoke_grant(&mut self, grant_id: &str, pin: &str) -> Result<GrantView> {
        self.device()?;
        self.check_pin(pin).await?;
        let g = self.client.revoke_grant(grant_id).await?;
        self.state.grants = Some(self.client.grants().await?);
        self.save()?;
        Ok(g)
    }

    /// Start my own live face check (实人).
    pub async fn face_challenge(&self) -> Result<FaceChallenge> {
        self.device()?;
        Ok(self.client.face_challenge().await?)
    }

    /// Apply for someone else (代办), e.g. the old-age allowance for a parent: returns the
    /// application and the challenge that person performs in front of this device's camera.
    pub async fn proxy_application(
        &self,
        matter: &str,
        id_number: &str,
        name: &str,
    ) -> Result<ProxyApplicationCreated> {
        self.device()?;
        mz_core::ids::IdNumber::parse(id_number.trim()).map_err(|e| WalletError::Hub {
            code: e.code().as_str().into(),
            message: e.to_string(),
        })?;
        Ok(self
            .client
            .proxy_application(matter, id_number.trim(), name.trim())
            .await?)
    }

    pub async fn proxy_applications(&self) -> Result<Vec<ApplicationView>> {
        self.device()?;
        Ok(self.client.proxy_applications().await?)
    }

    /// Send the filmed frames of a challenge. The frames are not kept on the device either.
    /// A passed check of my own raises my saved assurance.
    pub async fn face_frames(
        &mut self,
        challenge: &FaceChallenge,
        frames: &[Vec<u8>],
        captured_ms: &[u32],
    ) -> Result<FaceOutcome> {
        self.device()?;
        let out = self
            .client
            .face_frames(challenge, frames, captured_ms)
            .await?;
        if let Some(a) = &out.assurance {
            self.state.assurance = Some(a.as_str().to_string());
            self.save()?;
        }
        Ok(out)
    }
}
