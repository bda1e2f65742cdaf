//! The 免证 wallet's Tauri shell. Each command translates to one `mz_wallet::Wallet` call and
//! back; pushes from the hub are forwarded as window events. Nothing else lives here.

use mz_core::api::{
    ApplicationView, AuthRequestView, DeviceList, FaceChallenge, FaceOutcome, GrantView,
    GrantsView, ProxyApplicationCreated, PushEvent, TerminalInfo,
};
use mz_core::codes::Scope;
use mz_wallet::{CardsView, Wallet, WalletError};
use serde::Serialize;
use std::sync::Arc;
use tauri::{Emitter, Manager, State};
use tokio::sync::Mutex;

mod bindings;
mod window;
pub use bindings::typescript_commands;
#[cfg(target_os = "linux")]
use window::allow_camera;
use window::{notify_device_added, notify_prompt, show_window};

/// What every failed command returns: the UI matches `code`, never the message.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct CmdError {
    code: String,
    message: String,
}

impl From<WalletError> for CmdError {
    fn from(e: WalletError) -> Self {
        CmdError {
            code: e.code().to_string(),
            message: e.to_string(),
        }
    }
}

type Res<T> = Result<T, CmdError>;

fn err(code: &str, message: impl Into<String>) -> CmdError {
    CmdError {
        code: code.into(),
        message: message.into(),
    }
}

pub struct AppState {
    wallet: Mutex<Option<Wallet>>,
    /// Why the wallet could not be opened (no keyring, unreadable store…).
    open_error: Option<CmdError>,
    hub_url: String,
    listening: Mutex<bool>,
    /// The push stream is open now.
    connected: std::sync::atomic::AtomicBool,
    /// The window's language is English (else zh-CN), for the notifications the shell shows.
    english: std::sync::atomic::AtomicBool,
}

type S<'a> = State<'a, Arc<AppState>>;

async fn with<T>(
    s: &AppState,
    f: impl AsyncFnOnce(&mut Wallet) -> Result<T, WalletError>,
) -> Res<T> {
    let mut guard = s.wallet.lock().await;
    match guard.as_mut() {
        Some(w) => Ok(f(w).await?),
        None => Err(s
            .open_error
            .as_ref()
            .map(|e| err(&e.code, e.message.clone()))
            .unwrap_or_else(|| err("keyring", "wallet unavailable"))),
    }
}

#[derive(Serialize, ts_rs::TS)]
pub struct Status {
    enrolled: bool,
    /// This device as the hub last said: pending until it is confirmed.
    device_state: Option<mz_core::flow::DeviceState>,
    /// While pending: how it can be confirmed, and its counter code.
    pending: Option<mz_wallet::PendingEnrolment>,
    assurance: Option<String>,
    name: Option<String>,
    id_number_masked: Option<String>,
    hub: String,
    error: Option<CmdError>,
    /// Enterprises this holder represents (enterprise mode).
    enterprises: Vec<mz_core::api::EnterpriseRef>,
}

#[derive(Serialize, ts_rs::TS)]
pub struct ShownCode {
    code: String,
    /// The QR code as SVG, rendered here in Rust.
    svg: String,
}

fn hex_uuid(s: &str) -> Option<[u8; 16]> {
    let h: String = s.chars().filter(|c| *c != '-').collect();
    (0..16)
        .map(|i| u8::from_str_radix(h.get(2 * i..2 * i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?
        .try_into()
        .ok()
}

/// A code as text and as a QR code (SVG, rendered here in Rust).
fn shown(code: String) -> Res<ShownCode> {
    let svg = qrcode::QrCode::with_error_correction_level(code.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| err("qr", e.to_string()))?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(280, 280)
        .quiet_zone(true)
        .build();
    Ok(ShownCode { code, svg })
}

pub fn decode_qr(bytes: &[u8]) -> Res<String> {
    let img = image::load_from_memory(bytes)
        .map_err(|e| err("bad_image", format!("not a readable image: {e}")))?
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    for g in prepared.detect_grids() {
        if let Ok((_, text)) = g.decode() {
            return Ok(text);
        }
    }
    Err(err("no_code", "no QR code found in the image"))
}

/// Defines the shell's commands once: each becomes a `#[tauri::command]` returning
/// `Result<T, CmdError>`, is registered with the invoke handler, and has its signature recorded
/// for the typed TypeScript functions in `ui/src/wallet/commands.ts`. Parameters in `[…]` are
/// Tauri's (state, app handle); those in `(…)` come from the window.
macro_rules! commands {
    ($( $(#[$meta:meta])* async fn $name:ident [$($inj:ident : $injty:ty),*] ($($arg:ident : $aty:ty),*) -> $ret:ty $body:block )*) => {
        $(
            $(#[$meta])*
            #[tauri::command]
            async fn $name($($inj: $injty,)* $($arg: $aty),*) -> Res<$ret> $body
        )*
        fn invoke_handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }
        /// Each command's name, its window arguments with their TypeScript types, and its result's.
        fn command_signatures(cfg: &ts_rs::Config) -> Vec<(&'static str, Vec<(&'static str, String)>, String)> {
            vec![$( (stringify!($name), vec![$( (stringify!($arg), <$aty as ts_rs::TS>::name(cfg)) ),*], <$ret as ts_rs::TS>::name(cfg)) ),*]
        }
    };
}

/// The events the shell emits to the window, each with one payload type; `emit_*` is the only
/// way to send them, and their names and payloads go into `commands.ts`.
macro_rules! events {
    ($( $(#[$meta:meta])* $fn_name:ident = $name:literal : $ty:ty ),* $(,)?) => {
        $(
            $(#[$meta])*
            fn $fn_name(app: &tauri::AppHandle, payload: &$ty) -> tauri::Result<()> {
                app.emit($name, payload)
            }
        )*
        fn event_signatures(cfg: &ts_rs::Config) -> Vec<(&'static str, String)> {
            vec![$( ($name, <$ty as ts_rs::TS>::name(cfg)) ),*]
        }
    };
}

events! {
    /// The push stream is live: prompts arrive as they are made.
    emit_push_ready = "push_ready": (),
    /// The push stream dropped; the shell reconnects.
    emit_push_lost = "push_lost": (),
    /// A terminal asks to use my certificates.
    emit_auth_request = "auth_request": AuthRequestView,
    /// Someone used a grant I made (`grant_used`).
    emit_grant_used = "grant_used": PushEvent,
    /// A new device was enrolled for me and waits for my approval (`device_added`).
    emit_device_added = "device_added": PushEvent,
}

commands! {
async fn status[s: S<'_>]() -> Status {
    let guard = s.wallet.lock().await;
    Ok(match guard.as_ref() {
        Some(w) => Status {
            enrolled: w.is_enrolled(),
            device_state: w.device_state(),
            pending: w.pending_enrolment().cloned(),
            assurance: w.assurance().map(str::to_string),
            name: w.profile().map(|p| p.name.clone()),
            id_number_masked: w.profile().map(|p| p.id_number_masked.clone()),
            hub: s.hub_url.clone(),
            error: None,
            enterprises: w.profile().map(|p| p.enterprises.clone()).unwrap_or_default(),
        },
        None => Status { enrolled: false, device_state: None, pending: None, assurance: None, name: None, id_number_masked: None, hub: s.hub_url.clone(), error: s.open_error.as_ref().map(|e| err(&e.code, e.message.clone())), enterprises: vec![] },
    })
}

async fn enrol[app: tauri::AppHandle, s: S<'_>](id_number: String, name: String, pin: String) -> String {
    let r = with(&s, async |w| w.enrol(&id_number, &name, "desktop wallet", &pin).await).await?;
    listen(app, s.inner().clone()).await;
    Ok(r.device_state.as_str().to_string())
}

/// The window's language (`zh` or `en`), for the notifications the shell shows.
async fn set_language[s: S<'_>](lang: String) -> () {
    match lang.as_str() {
        "zh" | "en" => {
            s.english.store(lang == "en", std::sync::atomic::Ordering::Relaxed);
            Ok(())
        }
        _ => Err(err("bad_input", "the language is zh or en")),
    }
}

async fn sync[s: S<'_>]() -> () {
    with(&s, async |w| w.sync().await).await
}

async fn cards[s: S<'_>]() -> CardsView {
    with(&s, async |w| Ok(w.cards())).await
}


/// The next code: `identity`, or a certificate's show-code (`show` with its type number and
/// ordinal), or a delegated one (`delegated` with the grant id and type number).
async fn next_code[s: S<'_>](kind: String, cert_type: Option<u16>, ordinal: Option<u8>, grant: Option<String>) -> ShownCode {
    let scope = match (kind.as_str(), cert_type, grant) {
        ("identity", _, _) => Scope::Identity,
        ("show", Some(t), _) => Scope::Certificate { cert_type: t, ordinal: ordinal.unwrap_or(0) },
        ("delegated", Some(t), Some(g)) => {
            let g: [u8; 16] = hex_uuid(&g).ok_or_else(|| err("bad_input", "bad grant id"))?;
            Scope::Delegated { grant: g, cert_type: t }
        }
        _ => return Err(err("bad_input", "unknown code kind")),
    };
    let code = with(&s, async |w| w.next_code(scope).await).await?;
    shown(code)
}

/// The PIN before codes: codes are shown for two minutes after it.
async fn unlock[s: S<'_>](pin: String) -> () {
    with(&s, async |w| w.unlock(&pin).await).await
}

/// While this device is pending: its one-time counter code, as text and QR code, for the
/// counter's staff to scan after they checked the ID card.
async fn counter_code[s: S<'_>]() -> ShownCode {
    let code = with(&s, async |w| Ok(w.pending_enrolment().map(|p| p.counter_code.clone()))).await?;
    shown(code.ok_or_else(|| err("device_not_pending", "this device is not waiting for confirmation"))?)
}

/// The holder's devices, this one marked.
async fn devices[s: S<'_>]() -> DeviceList {
    with(&s, async |w| w.devices().await).await
}

/// Approve a new device of mine (PIN).
async fn approve_device[s: S<'_>](key_id: String, pin: String) -> DeviceList {
    with(&s, async |w| w.approve_device(&key_id, &pin).await).await
}

/// Remove one of my devices (PIN): lost, or a new device that is not mine.
async fn remove_device[s: S<'_>](key_id: String, pin: String) -> DeviceList {
    with(&s, async |w| w.remove_device(&key_id, &pin).await).await
}


/// Whether prompts arrive live right now (subscribe to `push_ready`/`push_lost` first, then ask).
async fn push_live[s: S<'_>]() -> bool {
    Ok(s.connected.load(std::sync::atomic::Ordering::SeqCst))
}

async fn pending[s: S<'_>]() -> Vec<AuthRequestView> {
    with(&s, async |w| w.pending().await).await
}

async fn decide[s: S<'_>](request_id: String, approve: Vec<String>, pin: String) -> AuthRequestView {
    with(&s, async |w| w.decide(&request_id, &approve.iter().map(String::as_str).collect::<Vec<_>>(), &pin).await).await
}

/// Decode a QR code from an image (PNG or JPEG bytes), e.g. a photo or screenshot of a kiosk.
async fn decode_image[](bytes: Vec<u8>) -> String {
    decode_qr(&bytes)
}


/// Who a kiosk login code belongs to (checked against the hub) before asking to approve.
async fn read_login_code[s: S<'_>](text: String) -> TerminalInfo {
    with(&s, async |w| w.read_login_code(&text).await.map(|(_, t)| t)).await
}

async fn approve_login[s: S<'_>](text: String, pin: String) -> String {
    with(&s, async |w| {
        let (body, t) = w.read_login_code(&text).await?;
        w.approve_login(&body, &pin).await?;
        Ok(t.name)
    })
    .await
}

/// Start my own live face check (实人).
async fn face_challenge[s: S<'_>]() -> FaceChallenge {
    with(&s, async |w| w.face_challenge().await).await
}

/// Apply for someone else (代办): the hub checks eligibility and returns the face challenge.
async fn proxy_application[s: S<'_>](matter: String, id_number: String, name: String) -> ProxyApplicationCreated {
    with(&s, async |w| w.proxy_application(&matter, &id_number, &name).await).await
}

async fn proxy_applications[s: S<'_>]() -> Vec<ApplicationView> {
    with(&s, async |w| w.proxy_applications().await).await
}

/// The filmed frames of a challenge, in order, as base64 JPEG (what a canvas gives), with when
/// each was taken (milliseconds after the first).
async fn face_frames[s: S<'_>](challenge: FaceChallenge, frames: Vec<String>, captured_ms: Vec<u32>) -> FaceOutcome {
    use base64::Engine as _;
    let mut bytes = Vec::with_capacity(frames.len());
    for f in &frames {
        let b64 = f.split_once("base64,").map(|(_, b)| b).unwrap_or(f);
        bytes.push(base64::engine::general_purpose::STANDARD.decode(b64.trim()).map_err(|_| err("bad_frame", "a frame is not a base64 image"))?);
    }
    with(&s, async |w| w.face_frames(&challenge, &bytes, &captured_ms).await).await
}

async fn grants[s: S<'_>]() -> Option<GrantsView> {
    with(&s, async |w| Ok(w.grants().cloned())).await
}

/// The certificate types of the hub's catalogue (names, numbers used in codes).
async fn catalogue[s: S<'_>]() -> Vec<mz_core::catalogue::CertType> {
    with(&s, async |w| Ok(w.client().catalogue().await?.cert_types)).await
}

/// Let an agent (ID number + name) use certificates for some days; `enterprise` = USCC when the
/// legal representative grants the enterprise's certificates to staff.
async fn grant[s: S<'_>](agent_id: String, agent_name: String, cert_types: Vec<String>, days: i64, enterprise: Option<String>, pin: String) -> GrantView {
    with(&s, async |w| w.grant(enterprise.as_deref(), &agent_id, &agent_name, &cert_types.iter().map(String::as_str).collect::<Vec<_>>(), days, &pin).await).await
}

async fn revoke_grant[s: S<'_>](grant_id: String, pin: String) -> GrantView {
    with(&s, async |w| w.revoke_grant(&grant_id, &pin).await).await
}

/// Export my records (JSON Lines) to the Downloads folder; returns the file's path.
async fn export_records[app: tauri::AppHandle, s: S<'_>]() -> String {
    let dir = app.path().download_dir().or_else(|_| app.path().app_data_dir()).map_err(|e| err("store", e.to_string()))?;
    let path = dir.join("mianzheng-records.jsonl");
    with(&s, async |w| w.export_records(&path).await).await?;
    Ok(path.display().to_string())
}

async fn records[s: S<'_>]() -> Vec<mz_core::api::AuditEntryView> {
    with(&s, async |w| Ok(w.records().to_vec())).await
}
}

/// Forward pushes (authorization prompts, uses of my grants) to the window; reconnects.
async fn listen(app: tauri::AppHandle, s: Arc<AppState>) {
    {
        let mut on = s.listening.lock().await;
        if *on {
            return;
        }
        *on = true;
    }
    tauri::async_runtime::spawn(async move {
        use futures_util::StreamExt;
        loop {
            // Hold the lock only while connecting; the stream does not borrow the wallet.
            let stream = {
                let guard = s.wallet.lock().await;
                match guard.as_ref() {
                    Some(w) => w.events().await,
                    None => return,
                }
            };
            if let Ok(stream) = stream {
                let mut stream = Box::pin(stream);
                while let Some(Ok(ev)) = stream.next().await {
                    let _ = match &ev {
                        // Live again, or told to read the state again (a resumption the
                        // hub could not make): the window re-reads what it shows.
                        PushEvent::Ready { .. } | PushEvent::Resync {} => {
                            s.connected.store(true, std::sync::atomic::Ordering::SeqCst);
                            emit_push_ready(&app, &())
                        }
                        PushEvent::AuthRequest { request } => {
                            notify_prompt(
                                &app,
                                request,
                                s.english.load(std::sync::atomic::Ordering::Relaxed),
                            );
                            emit_auth_request(&app, request)
                        }
                        PushEvent::GrantUsed { .. } => emit_grant_used(&app, &ev),
                        PushEvent::DeviceAdded { label, .. } => {
                            notify_device_added(
                                &app,
                                label,
                                s.english.load(std::sync::atomic::Ordering::Relaxed),
                            );
                            emit_device_added(&app, &ev)
                        }
                        _ => Ok(()),
                    };
                }
            }
            s.connected
                .store(false, std::sync::atomic::Ordering::SeqCst);
            let _ = emit_push_lost(&app, &());
            tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        }
    });
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let hub_url = std::env::var("MZ_HUB_URL").unwrap_or_else(|_| "http://127.0.0.1:8440".into());
    let builder = tauri::Builder::default();
    // The camera scanner on phones (see mobile/README.md); desktop scans images or pasted text.
    #[cfg(mobile)]
    let builder = builder.plugin(tauri_plugin_barcode_scanner::init());
    builder
        .plugin(tauri_plugin_notification::init())
        .setup(move |app| {
            {
                use tauri_plugin_notification::NotificationExt;
                let handle = app.handle().clone();
                if let Err(e) = app.notification().on_action(move |_| show_window(&handle)) {
                    eprintln!("a click on a notification will not open the wallet: {e}");
                }
                // Phones ask once (Android 13+, iOS); desktops answer granted.
                #[cfg(mobile)]
                if !matches!(
                    app.notification().permission_state(),
                    Ok(tauri::plugin::PermissionState::Granted)
                ) {
                    let _ = app.notification().request_permission();
                }
            }
            let dir = std::env::var_os("MZ_WALLET_DIR")
                .map(std::path::PathBuf::from)
                .map(Ok)
                .unwrap_or_else(|| app.path().app_data_dir())?;
            let opened = mz_wallet::use_os_keyring().and_then(|_| Wallet::open(&dir, &hub_url));
            let (wallet, open_error) = match opened {
                Ok(w) => (Some(w), None),
                Err(e) => (None, Some(CmdError::from(e))),
            };
            let enrolled = wallet.as_ref().is_some_and(|w| w.is_enrolled());
            let state = Arc::new(AppState {
                wallet: Mutex::new(wallet),
                open_error,
                hub_url: hub_url.clone(),
                listening: Mutex::new(false),
                connected: Default::default(),
                english: Default::default(),
            });
            app.manage(state.clone());
            #[cfg(target_os = "linux")]
            if let Some(w) = app.get_webview_window("main") {
                allow_camera(&w);
            }
            if enrolled {
                let handle = app.handle().clone();
                tauri::async_runtime::spawn(async move {
                    // refresh in the background; cached cards show at once (offline is fine)
                    if let Some(w) = state.wallet.lock().await.as_mut() {
                        let _ = w.sync().await;
                    }
                    listen(handle, state).await;
                });
            }
            Ok(())
        })
        .invoke_handler(invoke_handler())
        .run(tauri::generate_context!())
        .expect("error while running the wallet");
}
