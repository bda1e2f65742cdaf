//! The PIN: checked and counted on the hub; a local hash only to show codes while offline.

use super::*;

/// The PIN's local hash: for showing codes while the hub cannot be reached (the hub decides
/// whenever it can, and always for approvals), with its own count of wrong PINs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct PinState {
    pub(crate) salt: Vec<u8>,
    pub(crate) hash: Vec<u8>,
    pub(crate) failures: u32,
    pub(crate) locked_until: i64,
}

impl Wallet {
    /// The PIN before codes: codes are shown for [`UNLOCK_SECS`] after it. The hub checks it;
    /// only when the hub cannot be reached is it checked against the local hash.
    pub async fn unlock(&mut self, pin: &str) -> Result<()> {
        self.device()?;
        match self.check_pin(pin).await {
            Err(WalletError::Offline) => self.check_local_pin(pin)?,
            r => r?,
        }
        self.unlocked_until = self.client.now() + UNLOCK_SECS;
        Ok(())
    }

    /// Check the PIN on the hub, which counts wrong ones by its own clock: five lock approvals
    /// for five minutes, whatever this device's clock or store file says.
    pub async fn check_pin(&mut self, pin: &str) -> Result<()> {
        check_pin_format(pin)?;
        let r = match self.client.check_pin(pin).await {
            Err(e) if e.code() == Some("not_found") => return self.move_pin_to_hub(pin).await,
            r => r?,
        };
        match r.outcome {
            PinOutcome::Correct => Ok(()),
            PinOutcome::Wrong => Err(WalletError::WrongPin { left: r.tries_left }),
            PinOutcome::Locked => Err(WalletError::PinLocked {
                secs: r.locked_for_secs,
            }),
        }
    }

    /// A store from before the hub counted PINs: check the PIN against the local hash, then set
    /// it on the hub.
    async fn move_pin_to_hub(&mut self, pin: &str) -> Result<()> {
        self.check_local_pin(pin)?;
        self.client.set_pin(pin, None).await?;
        Ok(())
    }

    /// Check the PIN against the local hash, with the local count of wrong ones.
    fn check_local_pin(&mut self, pin: &str) -> Result<()> {
        let now = self.client.now();
        let st = self.state.pin.as_mut().ok_or(WalletError::NotEnrolled)?;
        if st.locked_until > now {
            return Err(WalletError::PinLocked {
                secs: st.locked_until - now,
            });
        }
        let ok = ring::pbkdf2::verify(
            ring::pbkdf2::PBKDF2_HMAC_SHA256,
            PIN_ITER,
            &st.salt,
            pin.as_bytes(),
            &st.hash,
        )
        .is_ok();
        if ok {
            st.failures = 0;
            self.save()?;
            return Ok(());
        }
        st.failures += 1;
        let err = if st.failures >= PIN_TRIES {
            st.failures = 0;
            st.locked_until = now + PIN_LOCK_SECS;
            WalletError::PinLocked {
                secs: PIN_LOCK_SECS,
            }
        } else {
            WalletError::WrongPin {
                left: PIN_TRIES - st.failures,
            }
        };
        self.save()?;
        Err(err)
    }
}

const PIN_ITER: NonZeroU32 = match NonZeroU32::new(100_000) {
    Some(n) => n,
    None => unreachable!(),
};

pub(crate) fn check_pin_format(pin: &str) -> Result<()> {
    if pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(WalletError::BadPin)
    }
}

pub(crate) fn hash_pin(pin: &str) -> PinState {
    let salt = rand_bytes::<16>().to_vec();
    let mut hash = vec![0u8; 32];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        PIN_ITER,
        &salt,
        pin.as_bytes(),
        &mut hash,
    );
    PinState {
        salt,
        hash,
        failures: 0,
        locked_until: 0,
    }
}
