//! The OS keyring: where the device key and the store key live.

use super::*;

/// Use the platform's keyring (Secret Service over D-Bus on Linux) as the default store.
pub fn use_os_keyring() -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        let store = zbus_secret_service_keyring_store::Store::new()?;
        keyring_core::set_default_store(store);
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        Err(WalletError::Keyring(
            "no keyring store for this platform yet".into(),
        ))
    }
}

/// Secrets of one wallet in the keyring, namespaced by the wallet's data directory.
pub(crate) struct Secrets {
    pub(crate) user_prefix: String,
}

impl Secrets {
    pub(crate) fn entry(&self, name: &str) -> Result<Entry> {
        Ok(Entry::new(
            SERVICE,
            &format!("{}/{name}", self.user_prefix),
        )?)
    }
    pub(crate) fn get(&self, name: &str) -> Result<Option<Vec<u8>>> {
        match self.entry(name)?.get_secret() {
            Ok(v) => Ok(Some(v)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
    pub(crate) fn set(&self, name: &str, v: &[u8]) -> Result<()> {
        Ok(self.entry(name)?.set_secret(v)?)
    }
}
