//! `mz-desk`: run a department's proof desk against a hub.

use clap::Parser;
use mz_client::Client;
use mz_desk::register::Register;
use mz_desk::Desk;
use mz_softkey::DepartmentKeys;
use std::path::PathBuf;
use std::sync::Arc;

/// Answer the proofs kiosks order from this department (房查证明, 社保参保证明), from its own
/// records, sealed with its own key.
#[derive(Parser)]
struct Args {
    /// The hub's URL.
    #[arg(long, env = "MZ_HUB_URL")]
    hub: String,
    /// The department's key file (`mz-hub department` writes it: its API key and seal key).
    #[arg(long)]
    keys: PathBuf,
    /// The department's records (format `mianzheng-register/1`, see docs/integrators.md § Proofs).
    #[arg(long)]
    register: PathBuf,
}

#[tokio::main]
async fn main() -> Result<(), String> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let read =
        |p: &PathBuf| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    let keys = DepartmentKeys::from_file_text(&read(&args.keys)?)?;
    let register = Register::parse(&read(&args.register)?)?;
    tracing::info!(hub = %args.hub, proofs = register.proofs.len(), "proof desk started");
    let client = Client::new(&args.hub).with_signer(Arc::new(keys.api));
    Desk::new(client, keys.seal, register).run().await;
    Ok(())
}
