//! `mz-hub`: run the hub and operate it.

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cli;

use clap::Parser;
use std::process::ExitCode;

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
    match rt.block_on(cli::Cli::parse().run()) {
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
