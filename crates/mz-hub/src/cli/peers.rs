//! `mz-hub peer` (federation with the parent and child hubs) and `mz-hub audit` (the chain's
//! check with the hub's published key).

use super::{key_file, msg, now, open};
use clap::Subcommand;
use mz_core::crypto::{PublicKey, Signer};
use mz_core::ids::RegionCode;
use mz_hub::{admin, service::federation, Db};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum PeerCmd {
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

impl PeerCmd {
    pub async fn run(self) -> Result<(), String> {
        match self {
            PeerCmd::Add {
                db,
                role,
                region,
                name,
                url,
                key,
            } => {
                let region = RegionCode::parse(&region).map_err(msg)?;
                let key = PublicKey::try_from(key).map_err(msg)?;
                let db = open(&db).await?;
                let me = this_hub(&db).await?;
                federation::add_peer(&db, &me.region, &role, &region, &name, &url, &key, now())
                    .await
                    .map_err(msg)?;
                let key_id = key.key_id();
                println!("{role} hub {name} ({region}) registered at {url}, key {key_id}");
                Ok(())
            }
            PeerCmd::List { db } => {
                let db = open(&db).await?;
                let me = this_hub(&db).await?;
                let key = me.public_key.map(String::from).unwrap_or_default();
                println!("this hub: {} ({}) key {key}", me.name, me.region);
                for p in federation::peers(&db).await.map_err(msg)? {
                    let key_id = p.public_key.key_id();
                    println!(
                        "{:6} {} ({}) {} key {key_id}",
                        p.role, p.name, p.region, p.url
                    );
                }
                Ok(())
            }
        }
    }
}

async fn this_hub(db: &Db) -> Result<admin::HubMeta, String> {
    admin::hub_meta(db)
        .await
        .map_err(msg)?
        .ok_or_else(|| "this database holds no hub: run `mz-hub init` first".into())
}

#[derive(Subcommand)]
pub enum AuditCmd {
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

impl AuditCmd {
    pub async fn run(self) -> Result<(), String> {
        let AuditCmd::Verify {
            db: url,
            public_key,
            hub_key,
        } = self;
        let db = open(&url).await?;
        let key = match public_key {
            Some(k) => PublicKey::try_from(k).map_err(msg)?,
            None => {
                let file = key_file(&url, hub_key)?;
                let key = admin::load_hub_key(&db, &file).await.map_err(msg)?;
                Signer::public_key(&key)
            }
        };
        let r = admin::verify_audit(&db, &key).await.map_err(msg)?;
        println!(
            "audit chain OK: {} entries, {} checkpoints, head {}",
            r.entries,
            r.checkpoints,
            hex::encode(r.head)
        );
        Ok(())
    }
}
