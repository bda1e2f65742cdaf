//! The operator's command line: serve the hub, create it, seed the demo, keep its registers
//! (catalogue, departments, terminals, photos, peers) and check its audit chain. Each subcommand's
//! arguments are a struct with its own `run`.

mod catalogue;
mod demo;
mod peers;
mod registers;
mod serve;

use clap::{Parser, Subcommand};
use mz_hub::Db;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "mz-hub", about = "Mianzheng certificate hub", version)]
pub struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Serve HTTP. Prints `listening on http://ADDR` as its first line.
    Serve(serve::Serve),
    /// Link the demo region's hub (seeded by `demo`) to a demo 湖北省 hub and through it to a
    /// demo 武汉市 hub with a counter (federation). Idempotent; other URLs move the links.
    DemoProvince(demo::DemoProvince),
    /// Create the hub's identity in an empty database.
    Init(serve::Init),
    /// Seed the demo region (idempotent).
    Demo(demo::Demo),
    /// Register an issuing department; writes its private keys to --key-out.
    Department(registers::Department),
    /// The catalogue: certificate types, matters, which departments issue and handle them.
    Catalogue {
        #[command(subcommand)]
        cmd: catalogue::CatalogueCmd,
    },
    /// Deactivate a terminal: its key is refused from its next request, signed or by session.
    DeactivateTerminal(registers::DeactivateTerminal),
    /// Deactivate a department and its terminals.
    DeactivateDepartment(registers::DeactivateDepartment),
    /// Register a counter, a kiosk or a department's staff console (/dept/); prints its one-time
    /// enrolment code.
    Terminal(registers::Terminal),
    /// Store a person's reference photo in the population register (checked: exactly one
    /// usable face). Prints nothing personal.
    Photo(registers::Photo),
    /// Federation with the parent hub and child hubs.
    Peer {
        #[command(subcommand)]
        cmd: peers::PeerCmd,
    },
    /// Audit chain tools.
    Audit {
        #[command(subcommand)]
        cmd: peers::AuditCmd,
    },
}

impl Cli {
    pub async fn run(self) -> Result<(), String> {
        match self.cmd {
            Cmd::Serve(a) => a.run().await,
            Cmd::DemoProvince(a) => a.run().await,
            Cmd::Init(a) => a.run().await,
            Cmd::Demo(a) => a.run().await,
            Cmd::Department(a) => a.run().await,
            Cmd::Catalogue { cmd } => cmd.run().await,
            Cmd::DeactivateTerminal(a) => a.run().await,
            Cmd::DeactivateDepartment(a) => a.run().await,
            Cmd::Terminal(a) => a.run().await,
            Cmd::Photo(a) => a.run().await,
            Cmd::Peer { cmd } => cmd.run().await,
            Cmd::Audit { cmd } => cmd.run().await,
        }
    }
}

/// An error as the operator reads it.
fn msg(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn open(url: &str) -> Result<Db, String> {
    Db::open(url).await.map_err(msg)
}

/// The file path of a SQLite database url (`sqlite://PATH?…`); `None` for PostgreSQL.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    if !url.starts_with("sqlite:") {
        return None;
    }
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    Some(PathBuf::from(path.split('?').next().unwrap_or(path)))
}

/// The directory of a SQLite database file; the working directory for PostgreSQL.
fn db_dir(url: &str) -> PathBuf {
    sqlite_path(url)
        .and_then(|p| p.parent().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The hub's key file: as given, or beside a SQLite database (`hub.db` → `hub.key`).
fn key_file(url: &str, given: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(path) = given {
        return Ok(path);
    }
    sqlite_path(url)
        .map(|p| p.with_extension("key"))
        .ok_or_else(|| {
            "name the hub's key file with --hub-key (it is kept apart from the database)".into()
        })
}
