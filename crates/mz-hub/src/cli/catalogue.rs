//! The catalogue's commands: import a file as the next version, export the current one.

use super::{msg, now, open};
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// The largest catalogue file read (a large city's is a few megabytes).
const MAX_FILE: u64 = 64 << 20;

#[derive(Subcommand)]
pub enum CatalogueCmd {
    /// Check a catalogue file (docs/catalogue.md) and make it the hub's next version; the pages
    /// show it within a second. The same file again changes nothing.
    Import(Import),
    /// Write the hub's current catalogue (to edit and import again).
    Export(Export),
}

impl CatalogueCmd {
    pub async fn run(self) -> Result<(), String> {
        match self {
            CatalogueCmd::Import(a) => a.run().await,
            CatalogueCmd::Export(a) => a.run().await,
        }
    }
}

#[derive(Args)]
pub struct Import {
    #[arg(long)]
    db: String,
    /// The catalogue file (JSON).
    file: PathBuf,
}

impl Import {
    pub async fn run(self) -> Result<(), String> {
        let path = self.file.display();
        let size = std::fs::metadata(&self.file)
            .map_err(|e| format!("{path}: {e}"))?
            .len();
        if size > MAX_FILE {
            return Err(format!("{path} is {size} bytes, more than {MAX_FILE}"));
        }
        let json = std::fs::read_to_string(&self.file).map_err(|e| format!("{path}: {e}"))?;
        let db = open(&self.db).await?;
        let done = mz_hub::catalogue::import(&db, &json, now())
            .await
            .map_err(msg)?;
        let what = format!(
            "{} certificate types, {} matters, digest {}",
            done.cert_types, done.matters, done.digest
        );
        if done.new {
            println!("catalogue version {} imported: {what}", done.version);
        } else {
            println!(
                "catalogue version {} is this file already: {what}",
                done.version
            );
        }
        Ok(())
    }
}

#[derive(Args)]
pub struct Export {
    #[arg(long)]
    db: String,
    /// Where to write it (standard output if not given).
    #[arg(long)]
    out: Option<PathBuf>,
}

impl Export {
    pub async fn run(self) -> Result<(), String> {
        let db = open(&self.db).await?;
        let Some(c) = mz_hub::store::catalogue::latest(&db).await.map_err(msg)? else {
            return Err("this hub has no catalogue yet: `mz-hub catalogue import FILE`".into());
        };
        let file: mz_core::catalogue::CatalogueFile = serde_json::from_str(&c.body).map_err(msg)?;
        let text = serde_json::to_string_pretty(&file).map_err(msg)? + "\n";
        match &self.out {
            Some(p) => std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display()))?,
            None => print!("{text}"),
        }
        Ok(())
    }
}
