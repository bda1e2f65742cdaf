//! `mz-hub`: run the hub and operate it.

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use mz_core::ids::{RegionCode, Uscc};
use mz_hub::{admin, demo, AppState, Db, SystemClock};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "mz-hub", about = "Mianzheng certificate hub", version)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Serve HTTP. Prints `listening on http://ADDR` as its first line.
    Serve {
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
    },
    /// Link the demo region's hub (seeded by `demo`) to a demo 湖北省 hub and through it to a
    /// demo 武汉市 hub with a counter (federation). Idempotent; other URLs move the links.
    DemoProvince {
        /// The demo region's (咸宁) database, and the URL its hub serves at.
        #[arg(long)]
        db: String,
        #[arg(long)]
        url: String,
        /// 湖北省's hub: database and URL.
        #[arg(long)]
        province_db: String,
        #[arg(long)]
        province_url: String,
        /// 武汉市's hub: database and URL.
        #[arg(long)]
        other_db: String,
        #[arg(long)]
        other_url: String,
    },
    /// Create the hub's identity in an empty database.
    Init {
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
    },
    /// Seed the demo region (idempotent).
    Demo {
        #[arg(long)]
        db: String,
        /// The hub's checkpoint key file (0600; made with the hub). Default: beside a SQLite
        /// database, with the extension `.key`; required for PostgreSQL.
        #[arg(long)]
        hub_key: Option<PathBuf>,

        /// Where to write department keys and the demo identities (default: beside the database).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Register an issuing department; writes its private keys to --key-out.
    Department {
        #[arg(long)]
        db: String,
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        region: String,
        #[arg(long)]
        key_out: PathBuf,
        /// The seal algorithm: ES256 (P-256) or SM2-SM3 (国密).
        #[arg(long, default_value = "ES256")]
        seal_alg: String,
    },
    /// Let a department issue a certificate type (issuer authority; it issues no other).
    AllowIssue {
        #[arg(long)]
        db: String,
        /// The department's 统一社会信用代码.
        #[arg(long)]
        department: String,
        /// The certificate type's catalogue code (e.g. marriage_cert).
        #[arg(long = "type")]
        type_code: String,
    },
    /// Let a department handle a matter: its terminals may ask for it (and no other).
    HandleMatter {
        #[arg(long)]
        db: String,
        /// The department's 统一社会信用代码.
        #[arg(long)]
        department: String,
        /// The matter's catalogue code (e.g. housing_fund_withdrawal).
        #[arg(long)]
        matter: String,
    },
    /// Deactivate a terminal: its key is refused from its next request, signed or by session.
    DeactivateTerminal {
        #[arg(long)]
        db: String,
        #[arg(long)]
        id: String,
    },
    /// Deactivate a department and its terminals.
    DeactivateDepartment {
        #[arg(long)]
        db: String,
        /// The department's 统一社会信用代码.
        #[arg(long)]
        code: String,
    },
    /// Register a counter or kiosk; prints its one-time enrolment code.
    Terminal {
        #[arg(long)]
        db: String,
        #[arg(long, value_parser = ["counter", "kiosk"])]
        kind: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        place: String,
        /// The owning department's 统一社会信用代码.
        #[arg(long)]
        department: String,
    },
    /// Store a person's reference photo in the population register (checked: exactly one
    /// usable face). Prints nothing personal.
    Photo {
        #[arg(long)]
        db: String,
        #[arg(long)]
        id_number: String,
        file: PathBuf,
    },
    /// Federation with the parent hub and child hubs.
    Peer {
        #[command(subcommand)]
        cmd: PeerCmd,
    },
    /// Audit chain tools.
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
    },
}

#[derive(Subcommand)]
enum PeerCmd {
    /// Register a parent or child hub: its region, name, URL and hub key (the `hub_key` its
    /// `/v1/hub` shows, or `mz-hub peer list` prints on its machine). Check the key out of band.
    Add {
        #[arg(long)]
        db: String,
        #[arg(long, value_parser = ["parent", "child"])]
        role: String,
        #[arg(long)]
        region: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        url: String,
        #[arg(long)]
        key: String,
    },
    /// Print this hub's region and key, and its peers.
    List {
        #[arg(long)]
        db: String,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Recompute the chain and check every checkpoint with the hub's published key; fails on
    /// any altered row, and on a chain shorter than its last checkpoint (a deleted tail).
    Verify {
        #[arg(long)]
        db: String,
        /// The hub's published key (`hub_key` of its `/v1/hub`), obtained apart from the
        /// database. Default: the public half of the hub's key file.
        #[arg(long)]
        public_key: Option<String>,
        /// The hub's checkpoint key file (0600; made with the hub). Default: beside a SQLite
        /// database, with the extension `.key`; required for PostgreSQL.
        #[arg(long)]
        hub_key: Option<PathBuf>,
    },
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The directory of a SQLite database file; the working directory for PostgreSQL.
fn db_dir(url: &str) -> PathBuf {
    if !url.starts_with("sqlite:") {
        return PathBuf::from(".");
    }
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or(path);
    PathBuf::from(path)
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The hub's key file: as given, or beside a SQLite database (`hub.db` → `hub.key`).
fn key_file(url: &str, given: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(path) = given {
        return Ok(path);
    }
    if !url.starts_with("sqlite:") {
        return Err(
            "name the hub's key file with --hub-key (it is kept apart from the database)".into(),
        );
    }
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or(path);
    Ok(PathBuf::from(path).with_extension("key"))
}

async fn run(cli: Cli) -> Result<(), String> {
    let e = |e: mz_hub::HubError| e.to_string();
    match cli.cmd {
        Cmd::Serve {
            db: url,
            listen,
            region,
            name,
            ui_dir,
            hub_key,
        } => {
            let db = Db::open(&url).await.map_err(e)?;
            let key_file = key_file(&url, hub_key)?;
            admin::init_hub(
                &db,
                &RegionCode::parse(&region).map_err(|e| e.to_string())?,
                &name,
                &key_file,
            )
            .await
            .map_err(e)?;
            let key = admin::load_hub_key(&db, &key_file).await.map_err(e)?;
            let state = AppState::load(db, Arc::new(SystemClock), key)
                .await
                .map_err(e)?;
            mz_hub::spawn_checkpoints(state.clone(), mz_hub::CHECKPOINT_EVERY);
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .map_err(|err| format!("cannot listen on {listen}: {err}"))?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            println!("listening on http://{addr}");
            tracing::info!(region = %state.region, "hub started");
            // Load the face models once, now, off the async threads (a face request arriving
            // meanwhile waits for them).
            let st = state.clone();
            tokio::task::spawn_blocking(move || {
                let t = std::time::Instant::now();
                match st.face.get_or_init(mz_hub::face::load_default) {
                    Ok(_) => {
                        tracing::info!(ms = t.elapsed().as_millis() as u64, "face models loaded")
                    }
                    Err(err) => tracing::warn!(error = %err, "face verification unavailable"),
                }
            });
            let shutdown = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            if let Some(dir) = &ui_dir {
                if !dir.join("counter/index.html").exists() {
                    return Err(format!(
                        "{} holds no built pages (run `npm run build` in ui/)",
                        dir.display()
                    ));
                }
            }
            let app = mz_hub::app(state, ui_dir.as_deref());
            mz_hub::http::server::run(listener, app, shutdown)
                .await
                .map_err(|e| e.to_string())
        }
        Cmd::Init {
            db: url,
            region,
            name,
            hub_key,
        } => {
            let db = Db::open(&url).await.map_err(e)?;
            let m = admin::init_hub(
                &db,
                &RegionCode::parse(&region).map_err(|e| e.to_string())?,
                &name,
                &key_file(&url, hub_key)?,
            )
            .await
            .map_err(e)?;
            println!("hub {} ({}) ready", m.name, m.region);
            Ok(())
        }
        Cmd::Demo {
            db: url,
            out,
            hub_key,
        } => {
            let db = Db::open(&url).await.map_err(e)?;
            let s = demo::seed(&db, now(), &key_file(&url, hub_key)?)
                .await
                .map_err(e)?;
            if s.already_seeded {
                println!("demo region already seeded in this database (terminal enrolment codes were printed the first time; register more with `mz-hub terminal`)");
                return Ok(());
            }
            let out = out.unwrap_or_else(|| db_dir(&url).join("demo-keys"));
            std::fs::create_dir_all(&out)
                .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
            for (k, keys) in &s.department_keys {
                // A fresh demo database has fresh keys: the old file goes.
                let path = out.join(format!("department-{k}.keys"));
                let _ = std::fs::remove_file(&path);
                admin::write_secret(&path, &keys.to_file_text())?;
            }
            std::fs::write(out.join("identities.tsv"), demo::identities_text())
                .map_err(|e| e.to_string())?;
            println!(
                "demo region seeded: {} departments, {} terminals",
                s.department_keys.len(),
                s.terminals.len()
            );
            println!(
                "department keys and the fictional demo identities are in {}",
                out.display()
            );
            for (_, kind, name, id, code) in &s.terminals {
                println!("terminal {kind:8} {id}  enrolment code {code}  ({name})");
            }
            Ok(())
        }
        Cmd::DemoProvince {
            db,
            url,
            province_db,
            province_url,
            other_db,
            other_url,
        } => {
            let (city, province, other) = (
                Db::open(&db).await.map_err(e)?,
                Db::open(&province_db).await.map_err(e)?,
                Db::open(&other_db).await.map_err(e)?,
            );
            let keys = (
                key_file(&province_db, None)?,
                key_file(&other_db, None)?,
                key_file(&db, None)?,
            );
            let hub = |db, url, key_file| demo::ProvinceHub { db, url, key_file };
            let s = demo::seed_province(
                hub(&city, &url, &keys.2),
                hub(&province, &province_url, &keys.0),
                hub(&other, &other_url, &keys.1),
                now(),
            )
            .await
            .map_err(e)?;
            println!(
                "demo province linked: {} <- {} -> {}",
                demo::DEMO_NAME,
                demo::PROVINCE.1,
                demo::OTHER_CITY.1
            );
            if let Some((id, code)) = s.counter {
                println!("terminal counter   {id}  enrolment code {code}  (江岸区医保服务大厅 2号窗口, 武汉)");
            }
            Ok(())
        }
        Cmd::DeactivateTerminal { db, id } => {
            let db = Db::open(&db).await.map_err(e)?;
            admin::deactivate_terminal(&db, &id, now())
                .await
                .map_err(e)?;
            println!("terminal {id} deactivated");
            Ok(())
        }
        Cmd::DeactivateDepartment { db, code } => {
            let db = Db::open(&db).await.map_err(e)?;
            let code = Uscc::parse(&code).map_err(|e| e.to_string())?;
            admin::deactivate_department(&db, &code, now())
                .await
                .map_err(e)?;
            println!("department {code} and its terminals deactivated");
            Ok(())
        }
        Cmd::HandleMatter {
            db,
            department,
            matter,
        } => {
            let db = Db::open(&db).await.map_err(e)?;
            let code = Uscc::parse(&department).map_err(|e| e.to_string())?;
            admin::allow_matter(&db, &code, &matter, now())
                .await
                .map_err(e)?;
            println!("department {code} handles {matter}");
            Ok(())
        }
        Cmd::AllowIssue {
            db,
            department,
            type_code,
        } => {
            let db = Db::open(&db).await.map_err(e)?;
            let code = Uscc::parse(&department).map_err(|e| e.to_string())?;
            admin::allow_issue(&db, &code, &type_code, now())
                .await
                .map_err(e)?;
            println!("department {code} may issue {type_code}");
            Ok(())
        }
        Cmd::Department {
            db,
            code,
            name,
            region,
            key_out,
            seal_alg,
        } => {
            let seal_alg: mz_core::crypto::SigAlg =
                serde_json::from_value(serde_json::Value::String(seal_alg.clone()))
                    .map_err(|_| format!("unknown seal algorithm {seal_alg}: ES256 or SM2-SM3"))?;
            let db = Db::open(&db).await.map_err(e)?;
            let code = Uscc::parse(&code).map_err(|e| e.to_string())?;
            let region = RegionCode::parse(&region).map_err(|e| e.to_string())?;
            if key_out.exists() {
                return Err(format!(
                    "{} exists; refusing to overwrite keys",
                    key_out.display()
                ));
            }
            let keys = admin::add_department(&db, &code, &name, &region, seal_alg, now())
                .await
                .map_err(e)?;
            admin::write_secret(&key_out, &keys.to_file_text())?;
            println!(
                "department {code} registered; private keys written to {}",
                key_out.display()
            );
            Ok(())
        }
        Cmd::Terminal {
            db,
            kind,
            name,
            place,
            department,
        } => {
            let db = Db::open(&db).await.map_err(e)?;
            let dept = Uscc::parse(&department).map_err(|e| e.to_string())?;
            let t = admin::add_terminal(&db, &kind, &name, &place, &dept, now())
                .await
                .map_err(e)?;
            println!("terminal {} registered", t.id);
            println!(
                "enrolment code (one use, {} days): {}",
                admin::ENROLMENT_CODE_SECS / 86_400,
                t.enrolment_code
            );
            Ok(())
        }
        Cmd::Photo {
            db,
            id_number,
            file,
        } => {
            let id = mz_core::ids::IdNumber::parse(&id_number).map_err(|e| e.to_string())?;
            let bytes = std::fs::read(&file).map_err(|err| format!("{}: {err}", file.display()))?;
            let v = mz_hub::face::load_default()?;
            let sample = v
                .sample(&bytes, mz_face::ImageKind::Reference)
                .map_err(|err| format!("{}: {err}", file.display()))?;
            let db = Db::open(&db).await.map_err(e)?;
            admin::set_person_photo(&db, &id, &bytes, Some(&sample.embedding), now())
                .await
                .map_err(e)?;
            println!("reference photo stored (face {} px wide)", sample.face_px);
            Ok(())
        }
        Cmd::Peer {
            cmd:
                PeerCmd::Add {
                    db,
                    role,
                    region,
                    name,
                    url,
                    key,
                },
        } => {
            let db = Db::open(&db).await.map_err(e)?;
            let me = admin::hub_meta(&db)
                .await
                .map_err(e)?
                .ok_or("this database holds no hub: run `mz-hub init` first")?;
            let region = RegionCode::parse(&region).map_err(|e| e.to_string())?;
            let key = mz_core::crypto::PublicKey::try_from(key).map_err(|e| e.to_string())?;
            mz_hub::service::federation::add_peer(
                &db,
                &me.region,
                &role,
                &region,
                &name,
                &url,
                &key,
                now(),
            )
            .await
            .map_err(e)?;
            println!(
                "{role} hub {name} ({region}) registered at {url}, key {}",
                key.key_id()
            );
            Ok(())
        }
        Cmd::Peer {
            cmd: PeerCmd::List { db },
        } => {
            let db = Db::open(&db).await.map_err(e)?;
            let me = admin::hub_meta(&db)
                .await
                .map_err(e)?
                .ok_or("this database holds no hub: run `mz-hub init` first")?;
            let key = me.public_key.map(String::from).unwrap_or_default();
            println!("this hub: {} ({}) key {key}", me.name, me.region);
            for p in mz_hub::service::federation::peers(&db).await.map_err(e)? {
                println!(
                    "{:6} {} ({}) {} key {}",
                    p.role,
                    p.name,
                    p.region,
                    p.url,
                    p.public_key.key_id()
                );
            }
            Ok(())
        }
        Cmd::Audit {
            cmd:
                AuditCmd::Verify {
                    db: url,
                    public_key,
                    hub_key,
                },
        } => {
            let db = Db::open(&url).await.map_err(e)?;
            let key = match public_key {
                Some(k) => mz_core::crypto::PublicKey::try_from(k).map_err(|e| e.to_string())?,
                None => {
                    let file = key_file(&url, hub_key)?;
                    let key = admin::load_hub_key(&db, &file).await.map_err(e)?;
                    mz_core::crypto::Signer::public_key(&key)
                }
            };
            let r = admin::verify_audit(&db, &key).await.map_err(e)?;
            println!(
                "audit chain OK: {} entries, {} checkpoints, head {}",
                r.entries,
                r.checkpoints,
                hex::encode(r.head)
            );
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| mz_hub::store::db::DEFAULT_LOG_FILTER.into()),
        )
        .init();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match rt.block_on(run(Cli::parse())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("mz-hub: {msg}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    #[test]
    fn key_files_are_owner_only_and_never_overwritten() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("department.keys");
        mz_hub::admin::write_secret(&path, "api x\nseal y\n").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(mz_hub::admin::write_secret(&path, "other").is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "api x\nseal y\n");
    }
}
