//! The wallet's use cases, without Tauri: the Tauri shell (and tests) only call these.
//!
//! - The device key (P-256) is created on the device and kept in the OS keyring (Secret
//!   Service on Linux); it is loaded into memory to sign and never written anywhere else.
//! - The local store (certificates, handles, records, PIN state) is one file encrypted with
//!   AES-256-GCM under a key that also lives in the keyring: the file holds no readable
//!   personal data.
//! - Sync with the hub through mz-client; when the hub is unreachable the cached cards stay,
//!   marked not fresh, and codes still work from handles fetched earlier.

use futures_util::Stream;
use keyring_core::Entry;
use mz_client::{Client, ClientError, ClockFn};
use mz_core::api::*;
use mz_core::codes::{LoginCodeBody, Principal, Scope};
use mz_core::crypto::Signer;
use mz_core::flow::DeviceState;

mod acting;
mod devices;
mod error;
mod keyring;
mod pin;
pub use devices::PendingEnrolment;
pub use error::{Result, WalletError};
pub use keyring::use_os_keyring;
use keyring::Secrets;
use mz_softkey::SoftKey;
use pin::{check_pin_format, hash_pin, PinState};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM};
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const SERVICE: &str = "mianzheng-wallet";
const STORE_FILE: &str = "wallet.store";
const MAGIC: &[u8; 4] = b"MZW1";
/// Cards synced longer ago than this are shown as not fresh.
pub const FRESH_SECS: i64 = 10 * 60;
/// Wrong PINs before approvals lock, and for how long (counted on the hub, which decides).
pub const PIN_TRIES: u32 = 5;
pub const PIN_LOCK_SECS: i64 = 5 * 60;
/// After the PIN, codes are shown for this long (a phone left unlocked on a table shows no code
/// to the next person after that).
pub const UNLOCK_SECS: i64 = 2 * 60;
/// Keep at least this many one-time handles; fetch more when below.
const HANDLE_LOW: usize = 8;
const HANDLE_BATCH: u32 = 20;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Card {
    pub view: CertificateView,
    /// The issuing department's seal verified on this device at the last sync.
    pub seal_ok: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct State {
    holder_id: Option<String>,
    /// The holder's own ID number (for signing grants as principal); only in the encrypted store.
    id_number: Option<String>,
    assurance: Option<String>,
    region: u32,
    profile: Option<Profile>,
    cards: Vec<Card>,
    synced_at: Option<i64>,
    last_sync_failed: bool,
    handles: Vec<String>,
    records: Vec<AuditEntryView>,
    grants: Option<GrantsView>,
    pin: Option<PinState>,
    /// While this device waits for confirmation: how it can be confirmed, and its counter code.
    #[serde(default)]
    enrolment: Option<PendingEnrolment>,
}

/// What the card screen shows.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CardsView {
    pub cards: Vec<Card>,
    pub synced_at: Option<i64>,
    /// False when the hub could not be reached at the last try or the cards are old.
    pub fresh: bool,
}

pub struct Wallet {
    dir: PathBuf,
    secrets: Secrets,
    store_key: LessSafeKey,
    state: State,
    client: Client,
    device: Option<Arc<SoftKey>>,
    /// Codes may be shown until then (in memory only: a restart asks for the PIN again).
    unlocked_until: i64,
}

fn rand_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    SystemRandom::new().fill(&mut b).expect("system randomness");
    b
}

impl Wallet {
    /// Open (or create) the wallet whose store lives in `dir`, talking to `hub_url`.
    pub fn open(dir: &Path, hub_url: &str) -> Result<Wallet> {
        std::fs::create_dir_all(dir).map_err(|e| WalletError::Store(e.to_string()))?;
        let canonical = dir
            .canonicalize()
            .map_err(|e| WalletError::Store(e.to_string()))?;
        let secrets = Secrets {
            user_prefix: canonical.display().to_string(),
        };
        let key = match secrets.get("store-key")? {
            Some(k) => k,
            None => {
                if canonical.join(STORE_FILE).exists() {
                    return Err(WalletError::Store(
                        "the store's key is missing from the keyring".into(),
                    ));
                }
                let k = rand_bytes::<32>().to_vec();
                secrets.set("store-key", &k)?;
                k
            }
        };
        let store_key = LessSafeKey::new(
            UnboundKey::new(&AES_256_GCM, &key)
                .map_err(|_| WalletError::Store("bad store key".into()))?,
        );
        let mut w = Wallet {
            dir: canonical,
            secrets,
            store_key,
            state: State::default(),
            client: Client::new(hub_url),
            device: None,
            unlocked_until: 0,
        };
        w.state = w.load()?;
        if let Some(pkcs8) = w.secrets.get("device-key")? {
            let key = Arc::new(SoftKey::from_pkcs8(&pkcs8).map_err(WalletError::Keyring)?);
            w.client = w.client.clone().with_signer(key.clone());
            w.device = Some(key);
        }
        Ok(w)
    }

    /// Use this clock (tests share the hub's).
    pub fn with_clock(mut self, clock: ClockFn) -> Self {
        self.client = self.client.clone().with_clock(clock);
        self
    }

    pub fn store_path(&self) -> PathBuf {
        self.dir.join(STORE_FILE)
    }

    fn load(&self) -> Result<State> {
        let raw = match std::fs::read(self.store_path()) {
            Ok(r) => r,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::default()),
            Err(e) => return Err(WalletError::Store(e.to_string())),
        };
        if raw.len() < 4 + 12 + 16 || &raw[..4] != MAGIC {
            return Err(WalletError::Store("not a wallet store".into()));
        }
        let nonce = Nonce::try_assume_unique_for_key(&raw[4..16])
            .map_err(|_| WalletError::Store("bad nonce".into()))?;
        let mut data = raw[16..].to_vec();
        let plain = self
            .store_key
            .open_in_place(nonce, Aad::from(MAGIC), &mut data)
            .map_err(|_| WalletError::Store("it was changed or the key does not match".into()))?;
        serde_json::from_slice(plain).map_err(|e| WalletError::Store(e.to_string()))
    }

    fn save(&self) -> Result<()> {
        let nonce_bytes = rand_bytes::<12>();
        let mut data =
            serde_json::to_vec(&self.state).map_err(|e| WalletError::Store(e.to_string()))?;
        self.store_key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce_bytes),
                Aad::from(MAGIC),
                &mut data,
            )
            .map_err(|_| WalletError::Store("encryption failed".into()))?;
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&nonce_bytes);
        out.extend(data);
        let tmp = self.dir.join(format!("{STORE_FILE}.tmp"));
        std::fs::write(&tmp, &out)
            .and_then(|_| std::fs::rename(&tmp, self.store_path()))
            .map_err(|e| WalletError::Store(e.to_string()))
    }

    pub fn is_enrolled(&self) -> bool {
        self.device.is_some() && self.state.holder_id.is_some()
    }

    /// How well the hub knows who is behind this wallet, as it last said.
    pub fn assurance(&self) -> Option<&str> {
        let from_hub = self.state.profile.as_ref().map(|p| p.assurance.as_str());
        from_hub.or(self.state.assurance.as_deref())
    }

    pub fn profile(&self) -> Option<&Profile> {
        self.state.profile.as_ref()
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    fn device(&self) -> Result<&Arc<SoftKey>> {
        self.device
            .as_ref()
            .filter(|_| self.state.holder_id.is_some())
            .ok_or(WalletError::NotEnrolled)
    }

    /// 实名 enrolment: make the device key in the keyring, register it, set the PIN, sync.
    pub async fn enrol(
        &mut self,
        id_number: &str,
        name: &str,
        device_label: &str,
        pin: &str,
    ) -> Result<EnrolResponse> {
        check_pin_format(pin)?;
        mz_core::ids::IdNumber::parse(id_number).map_err(|e| WalletError::Hub {
            code: e.code().as_str().into(),
            message: e.to_string(),
        })?;
        if self.device.is_none() {
            let k = Arc::new(SoftKey::generate());
            self.secrets.set("device-key", k.pkcs8())?;
            self.client = self.client.clone().with_signer(k.clone());
            self.device = Some(k);
        }
        let r = self
            .client
            .enrol(id_number, name.trim(), device_label)
            .await?;
        self.state.holder_id = Some(r.holder_id.clone());
        self.state.id_number = Some(id_number.trim().to_ascii_uppercase());
        self.state.assurance = Some(r.assurance.as_str().to_string());
        // The PIN is kept and counted on the hub (as a verifier), not in the store file.
        self.client.set_pin(pin, None).await?;
        self.state.pin = Some(hash_pin(pin));
        self.state.enrolment = Some(PendingEnrolment::of(&r));
        self.state.region = self.client.hub_info().await?.region.parse().unwrap_or(0);
        self.save()?;
        self.sync().await?;
        Ok(r)
    }

    /// Refresh cards, profile, grants and records from the hub; verify every seal; top up
    /// handles. Offline: keep what is saved, mark it not fresh.
    pub async fn sync(&mut self) -> Result<()> {
        self.device()?;
        let res = self.sync_inner().await;
        self.state.last_sync_failed = res.is_err();
        self.save()?;
        res
    }

    async fn sync_inner(&mut self) -> Result<()> {
        let profile = self.client.me().await?;
        if profile.device_state != DeviceState::Active {
            // Pending (or removed): the hub gives this device nothing else.
            self.state.profile = Some(profile);
            return Ok(());
        }
        self.state.enrolment = None;
        let views = self.client.certificates().await?;
        let departments = self.client.departments().await?;
        let mut cards = Vec::new();
        for v in views {
            let seal_ok = departments
                .iter()
                .find(|d| d.code == v.certificate.body.issuer_code.as_str())
                .and_then(|d| {
                    d.seal_keys
                        .iter()
                        .find(|k| k.key_id() == v.certificate.seal.key_id)
                })
                .is_some_and(|k| v.certificate.verify(k).is_ok());
            cards.push(Card { view: v, seal_ok });
        }
        self.state.cards = cards;
        self.state.profile = Some(profile);
        self.state.grants = Some(self.client.grants().await?);
        self.state.records = self.client.audit().await?;
        self.state.synced_at = Some(self.client.now());
        self.top_up_handles().await?;
        Ok(())
    }

    async fn top_up_handles(&mut self) -> Result<()> {
        if self.state.handles.len() < HANDLE_LOW {
            let more = self.client.handles(HANDLE_BATCH).await?;
            self.state.handles.extend(more.iter().map(hex::encode));
        }
        Ok(())
    }

    pub fn cards(&self) -> CardsView {
        let fresh = !self.state.last_sync_failed
            && self
                .state
                .synced_at
                .is_some_and(|t| self.client.now() - t <= FRESH_SECS);
        CardsView {
            cards: self.state.cards.clone(),
            synced_at: self.state.synced_at,
            fresh,
        }
    }

    pub fn records(&self) -> &[AuditEntryView] {
        &self.state.records
    }

    /// Write my records as JSON Lines to `path`: the hub's export when online (with hashes that
    /// link into its audit chain), the saved copy when not. Returns how many entries.
    pub async fn export_records(&mut self, path: &Path) -> Result<usize> {
        self.device()?;
        let text = match self.client.audit_export().await {
            Ok(t) => t,
            Err(ClientError::Http(_)) => {
                let mut t = String::new();
                for r in &self.state.records {
                    t.push_str(
                        &serde_json::to_string(r).map_err(|e| WalletError::Store(e.to_string()))?,
                    );
                    t.push('\n');
                }
                t
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| WalletError::Store(e.to_string()))?;
        }
        std::fs::write(path, &text).map_err(|e| WalletError::Store(e.to_string()))?;
        Ok(text.lines().count())
    }

    pub fn grants(&self) -> Option<&GrantsView> {
        self.state.grants.as_ref()
    }

    /// The next holder code (identity, a certificate's show-code, or a delegated one). Uses a
    /// one-time handle saved earlier, so it works offline; tops up when online.
    pub async fn next_code(&mut self, scope: Scope) -> Result<String> {
        self.device()?;
        if self.client.now() >= self.unlocked_until {
            return Err(WalletError::PinRequired);
        }
        if self.state.handles.len() < HANDLE_LOW {
            match self.top_up_handles().await {
                Ok(()) | Err(WalletError::Offline) => {}
                Err(e) => return Err(e),
            }
        }
        let h = self.state.handles.pop().ok_or(WalletError::NoHandles)?;
        self.save()?;
        let handle: [u8; 16] = hex::decode(&h)
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| WalletError::Store("bad handle".into()))?;
        Ok(self.client.holder_code(self.state.region, handle, scope)?)
    }

    /// Pending authorization requests (after the app was closed).
    pub async fn pending(&self) -> Result<Vec<AuthRequestView>> {
        self.device()?;
        Ok(self.client.pending_requests().await?)
    }

    /// Approve all, some (catalogue codes) or none, behind the PIN.
    pub async fn decide(
        &mut self,
        request_id: &str,
        approve: &[&str],
        pin: &str,
    ) -> Result<AuthRequestView> {
        self.device()?;
        self.check_pin(pin).await?;
        Ok(self.client.decide(request_id, approve).await?)
    }

    /// Read a scanned kiosk login code: whose terminal, where (verified against the hub).
    pub async fn read_login_code(&self, text: &str) -> Result<(LoginCodeBody, TerminalInfo)> {
        self.device()?;
        Ok(self.client.check_login_code(text).await?)
    }

    pub async fn approve_login(
        &mut self,
        code: &LoginCodeBody,
        pin: &str,
    ) -> Result<LoginSessionView> {
        self.device()?;
        self.check_pin(pin).await?;
        Ok(self.client.approve_login(code).await?)
    }

    /// Live pushes (authorization prompts, uses of my grants).
    pub async fn events(&self) -> Result<impl Stream<Item = mz_client::Result<PushEvent>> + use<>> {
        self.device()?;
        Ok(self.client.holder_events().await?)
    }

    /// The key id of this device (for display and support).
    pub fn device_key_id(&self) -> Option<String> {
        self.device.as_ref().map(|d| d.key_id().to_string())
    }
}
