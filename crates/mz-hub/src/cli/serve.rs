//! `mz-hub serve` and `mz-hub init`: the hub's identity and its HTTP server.

use super::{key_file, msg, open};
use clap::Args;
use mz_core::ids::RegionCode;
use mz_hub::{admin, demo, AppState, SystemClock};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Args)]
pub struct Serve {
    #[arg(long)]
    db: String,
    #[arg(long, default_value = "127.0.0.1:8440")]
    listen: String,
    /// Region code for a new hub (ignored if the database already holds one).
    #[arg(long, default_value = demo::DEMO_REGION)]
    region: String,
    #[arg(long, default_value = "电子证照系统")]
    name: String,
    /// The built web pages (ui/dist) to serve at /counter/ and /kiosk/.
    #[arg(long, env = "MZ_UI_DIR")]
    ui_dir: Option<PathBuf>,
    /// The hub's checkpoint key file (0600; made with the hub). Default: beside a SQLite
    /// database, with the extension `.key`; required for PostgreSQL.
    #[arg(long)]
    hub_key: Option<PathBuf>,
}

impl Serve {
    pub async fn run(self) -> Result<(), String> {
        if let Some(dir) = &self.ui_dir {
            if !dir.join("counter/index.html").exists() {
                return Err(format!(
                    "{} holds no built pages (run `npm run build` in ui/)",
                    dir.display()
                ));
            }
        }
        let db = open(&self.db).await?;
        let key_file = key_file(&self.db, self.hub_key)?;
        let region = RegionCode::parse(&self.region).map_err(msg)?;
        admin::init_hub(&db, &region, &self.name, &key_file)
            .await
            .map_err(msg)?;
        let key = admin::load_hub_key(&db, &key_file).await.map_err(msg)?;
        let state = AppState::load(db, Arc::new(SystemClock), key)
            .await
            .map_err(msg)?;
        mz_hub::spawn_checkpoints(state.clone(), mz_hub::CHECKPOINT_EVERY);
        let listener = tokio::net::TcpListener::bind(&self.listen)
            .await
            .map_err(|err| format!("cannot listen on {}: {err}", self.listen))?;
        let addr = listener.local_addr().map_err(msg)?;
        println!("listening on http://{addr}");
        tracing::info!(region = %state.region, "hub started");
        let catalogue = state.catalogue().await.map_err(msg)?;
        if catalogue.version == 0 {
            tracing::warn!("this hub has no catalogue yet: every matter is unknown until `mz-hub catalogue import FILE`");
        } else {
            tracing::info!(
                version = catalogue.version,
                matters = catalogue.matters().len(),
                "catalogue"
            );
        }
        load_face_models(&state);
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        let app = mz_hub::app(state, self.ui_dir.as_deref());
        mz_hub::http::server::run(listener, app, shutdown)
            .await
            .map_err(msg)
    }
}

/// Load the face models once, now, off the async threads (a face request arriving meanwhile
/// waits for them).
fn load_face_models(state: &AppState) {
    let st = state.clone();
    tokio::task::spawn_blocking(move || {
        let t = std::time::Instant::now();
        match st.face.get_or_init(mz_hub::face::load_default) {
            Ok(_) => tracing::info!(ms = t.elapsed().as_millis() as u64, "face models loaded"),
            Err(err) => tracing::warn!(error = %err, "face verification unavailable"),
        }
    });
}

#[derive(Args)]
pub struct Init {
    #[arg(long)]
    db: String,
    #[arg(long)]
    region: String,
    #[arg(long)]
    name: String,
    /// The hub's checkpoint key file (0600; made with the hub). Default: beside a SQLite
    /// database, with the extension `.key`; required for PostgreSQL.
    #[arg(long)]
    hub_key: Option<PathBuf>,
}

impl Init {
    pub async fn run(self) -> Result<(), String> {
        let db = open(&self.db).await?;
        let region = RegionCode::parse(&self.region).map_err(msg)?;
        let key_file = key_file(&self.db, self.hub_key)?;
        let m = admin::init_hub(&db, &region, &self.name, &key_file)
            .await
            .map_err(msg)?;
        println!("hub {} ({}) ready", m.name, m.region);
        Ok(())
    }
}
