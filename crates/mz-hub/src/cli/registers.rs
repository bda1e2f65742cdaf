//! The registers an operator keeps: departments and their keys (what they issue and handle is
//! in the catalogue), terminals, and the population register's photos.

use super::{msg, now, open};
use clap::Args;
use mz_core::ids::{IdNumber, RegionCode, Uscc};
use mz_hub::admin;
use std::path::PathBuf;

#[derive(Args)]
pub struct Department {
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
}

impl Department {
    pub async fn run(self) -> Result<(), String> {
        let seal_alg: mz_core::crypto::SigAlg = serde_json::from_value(serde_json::Value::String(
            self.seal_alg.clone(),
        ))
        .map_err(|_| format!("unknown seal algorithm {}: ES256 or SM2-SM3", self.seal_alg))?;
        let code = Uscc::parse(&self.code).map_err(msg)?;
        let region = RegionCode::parse(&self.region).map_err(msg)?;
        if self.key_out.exists() {
            let path = self.key_out.display();
            return Err(format!("{path} exists; refusing to overwrite keys"));
        }
        let db = open(&self.db).await?;
        let keys = admin::add_department(&db, &code, &self.name, &region, seal_alg, now())
            .await
            .map_err(msg)?;
        admin::write_secret(&self.key_out, &keys.to_file_text())?;
        println!(
            "department {code} registered; private keys written to {}",
            self.key_out.display()
        );
        Ok(())
    }
}

#[derive(Args)]
pub struct DeactivateTerminal {
    #[arg(long)]
    db: String,
    #[arg(long)]
    id: String,
}

impl DeactivateTerminal {
    pub async fn run(self) -> Result<(), String> {
        let db = open(&self.db).await?;
        admin::deactivate_terminal(&db, &self.id, now())
            .await
            .map_err(msg)?;
        println!("terminal {} deactivated", self.id);
        Ok(())
    }
}

#[derive(Args)]
pub struct DeactivateDepartment {
    #[arg(long)]
    db: String,
    /// The department's 统一社会信用代码.
    #[arg(long)]
    code: String,
}

impl DeactivateDepartment {
    pub async fn run(self) -> Result<(), String> {
        let code = Uscc::parse(&self.code).map_err(msg)?;
        let db = open(&self.db).await?;
        admin::deactivate_department(&db, &code, now())
            .await
            .map_err(msg)?;
        println!("department {code} and its terminals deactivated");
        Ok(())
    }
}

#[derive(Args)]
pub struct Terminal {
    #[arg(long)]
    db: String,
    #[arg(long, value_parser = ["counter", "kiosk", "console"])]
    kind: String,
    #[arg(long)]
    name: String,
    #[arg(long)]
    place: String,
    /// The owning department's 统一社会信用代码.
    #[arg(long)]
    department: String,
}

impl Terminal {
    pub async fn run(self) -> Result<(), String> {
        let dept = Uscc::parse(&self.department).map_err(msg)?;
        let db = open(&self.db).await?;
        let t = admin::add_terminal(&db, &self.kind, &self.name, &self.place, &dept, now())
            .await
            .map_err(msg)?;
        println!("terminal {} registered", t.id);
        println!(
            "enrolment code (one use, {} days): {}",
            admin::ENROLMENT_CODE_SECS / 86_400,
            t.enrolment_code
        );
        Ok(())
    }
}

#[derive(Args)]
pub struct Photo {
    #[arg(long)]
    db: String,
    #[arg(long)]
    id_number: String,
    file: PathBuf,
}

impl Photo {
    pub async fn run(self) -> Result<(), String> {
        let id = IdNumber::parse(&self.id_number).map_err(msg)?;
        let file = self.file.display();
        let bytes = std::fs::read(&self.file).map_err(|err| format!("{file}: {err}"))?;
        let v = mz_hub::face::load_default()?;
        let sample = v
            .sample(&bytes, mz_face::ImageKind::Reference)
            .map_err(|err| format!("{file}: {err}"))?;
        let db = open(&self.db).await?;
        admin::set_person_photo(&db, &id, &bytes, Some(&sample.embedding), now())
            .await
            .map_err(msg)?;
        println!("reference photo stored (face {} px wide)", sample.face_px);
        Ok(())
    }
}
