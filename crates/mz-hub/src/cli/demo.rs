//! `mz-hub demo` and `mz-hub demo-province`: the demo region and its province.

use super::{db_dir, key_file, msg, now, open};
use clap::Args;
use mz_hub::{admin, demo};
use std::path::PathBuf;

#[derive(Args)]
pub struct Demo {
    #[arg(long)]
    db: String,
    /// The hub's checkpoint key file (0600; made with the hub). Default: beside a SQLite
    /// database, with the extension `.key`; required for PostgreSQL.
    #[arg(long)]
    hub_key: Option<PathBuf>,
    /// Where to write department keys and the demo identities (default: beside the database).
    #[arg(long)]
    out: Option<PathBuf>,
}

impl Demo {
    pub async fn run(self) -> Result<(), String> {
        let db = open(&self.db).await?;
        let s = demo::seed(&db, now(), &key_file(&self.db, self.hub_key)?)
            .await
            .map_err(msg)?;
        let out = self
            .out
            .unwrap_or_else(|| db_dir(&self.db).join("demo-keys"));
        std::fs::create_dir_all(&out)
            .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
        // The records the departments' proof desks (mz-desk) answer from.
        for k in demo::PROOF_DESKS {
            let register = demo::proof_register(k).expect("a desk's records");
            std::fs::write(out.join(format!("register-{k}.json")), register).map_err(msg)?;
        }
        if s.already_seeded {
            println!("demo region already seeded in this database (terminal enrolment codes were printed the first time; register more with `mz-hub terminal`)");
            return Ok(());
        }
        for (k, keys) in &s.department_keys {
            // A fresh demo database has fresh keys: the old file goes.
            let path = out.join(format!("department-{k}.keys"));
            let _ = std::fs::remove_file(&path);
            admin::write_secret(&path, &keys.to_file_text())?;
        }
        std::fs::write(out.join("identities.tsv"), demo::identities_text()).map_err(msg)?;
        println!(
            "demo region seeded: {} departments, {} terminals",
            s.department_keys.len(),
            s.terminals.len()
        );
        println!(
            "department keys, the proof desks' records and the fictional demo identities are in {}",
            out.display()
        );
        for (_, kind, name, id, code) in &s.terminals {
            println!("terminal {kind:8} {id}  enrolment code {code}  ({name})");
        }
        Ok(())
    }
}

#[derive(Args)]
pub struct DemoProvince {
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
}

impl DemoProvince {
    pub async fn run(self) -> Result<(), String> {
        let (city, province, other) = (
            open(&self.db).await?,
            open(&self.province_db).await?,
            open(&self.other_db).await?,
        );
        let keys = (
            key_file(&self.db, None)?,
            key_file(&self.province_db, None)?,
            key_file(&self.other_db, None)?,
        );
        let hub = |db, url, key_file| demo::ProvinceHub { db, url, key_file };
        let s = demo::seed_province(
            hub(&city, &self.url, &keys.0),
            hub(&province, &self.province_url, &keys.1),
            hub(&other, &self.other_url, &keys.2),
            now(),
        )
        .await
        .map_err(msg)?;
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
}
