//! The window's surroundings: desktop notifications (a prompt, a new device of mine), bringing
//! the window forward, and the camera permission WebKitGTK asks for.

use super::*;

/// A desktop (or phone) notification for a prompt, so that it is seen while the wallet is in
/// the background or minimised: which counter asks, for which matter, for how many
/// certificates. Never the holder's name, ID number or any certificate's contents (a
/// notification can show on a locked screen). A click on it brings the wallet to the front.
pub(crate) fn notify_prompt(app: &tauri::AppHandle, req: &AuthRequestView, english: bool) {
    let (who, n, matter) = (
        format!("{}（{}）", req.requester.department, req.requester.name),
        req.cert_types.len(),
        &req.matter_name,
    );
    let (title, body) = if english {
        ("Request to use your certificates".to_string(), format!("{who} asks to use {n} of your certificates for “{matter}”. Open the wallet to approve or refuse."))
    } else {
        (
            "用证授权请求".to_string(),
            format!("{who}申请使用您的{n}项证照办理「{matter}」，请打开钱包确认或拒绝。"),
        )
    };
    show_notification(app, title, body);
}

fn show_notification(app: &tauri::AppHandle, title: String, body: String) {
    use tauri_plugin_notification::NotificationExt;
    if let Err(e) = app
        .notification()
        .builder()
        .title(title)
        .body(body)
        .auto_cancel()
        .show()
    {
        // The prompt still opens in the window; a desktop without a notification service
        // only misses the banner.
        eprintln!("notification not shown: {e}");
    }
}

/// A desktop notification on every device of mine when a new one is enrolled for me: if it
/// is not mine, someone knows my name and ID number and I should remove it.
pub(crate) fn notify_device_added(app: &tauri::AppHandle, label: &str, english: bool) {
    let (title, body) = if english {
        ("A new device is being added".to_string(), format!("“{label}” was enrolled with your name and ID number. Open the wallet to approve it, or remove it if it is not yours."))
    } else {
        ("有新设备正在登记".to_string(), format!("有人用您的姓名和身份证号码登记了设备「{label}」。请打开钱包确认；如果不是您本人，请移除它。"))
    };
    show_notification(app, title, body);
}

/// Bring the wallet's window to the front (a click on a notification).
pub(crate) fn show_window(app: &tauri::AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// WebKitGTK denies getUserMedia unless the app answers its permission requests (wry installs
/// no handler): allow the camera, and listing devices, for the app's own pages, which ask only
/// when the person opens a face check. Microphones are refused. `MZ_MOCK_CAMERA=1` turns on
/// WebKit's mock capture device, for tests (there is no camera under Xvfb).
#[cfg(target_os = "linux")]
pub(crate) fn allow_camera(window: &tauri::WebviewWindow) {
    let mock = std::env::var_os("MZ_MOCK_CAMERA").is_some();
    let _ = window.with_webview(move |wv| {
        use webkit2gtk::glib::object::{Cast, ObjectExt};
        use webkit2gtk::{
            PermissionRequestExt, SettingsExt, UserMediaPermissionRequestExt, WebViewExt,
        };
        let view = wv.inner();
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_enable_media_stream(true);
            if mock {
                settings.set_enable_mock_capture_devices(true);
            }
        }
        view.connect_permission_request(|_, req| {
            let camera_only = req
                .downcast_ref::<webkit2gtk::UserMediaPermissionRequest>()
                .is_some_and(|m| m.is_for_video_device() && !m.is_for_audio_device());
            if camera_only || req.is::<webkit2gtk::DeviceInfoPermissionRequest>() {
                req.allow();
            } else {
                req.deny();
            }
            true
        });
    });
}
