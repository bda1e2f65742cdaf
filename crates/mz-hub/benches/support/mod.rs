//! What the hub's benches share: a hub in a process of its own (demo data, the real clock), its
//! CPU time and memory from /proc, and confirmed holder devices.

// Each bench uses part of this.
#![allow(dead_code)]
use mz_client::Client;
use mz_core::crypto::Signer;
use mz_hub::{demo, Db};
use mz_softkey::SoftKey;
use std::sync::Arc;

pub fn wall_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// `mz-hub serve` on a port of its own, with the demo data, until dropped.
pub struct HubProcess {
    pub child: std::process::Child,
    pub base: String,
    pub summary: demo::DemoSummary,
    _dir: tempfile::TempDir,
}

impl HubProcess {
    pub async fn start() -> HubProcess {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/process.db", dir.path().display());
        let summary = {
            let db = Db::open(&url).await.unwrap();
            let key_file = dir.path().join("process.key");
            let summary = demo::seed(&db, wall_now(), &key_file).await.unwrap();
            db.write.close().await;
            db.read.close().await;
            summary
        };
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mz-hub"))
            .args(["serve", "--db", &url, "--listen", "127.0.0.1:0"])
            .env("MZ_FACE_MODELS", dir.path().join("no-face-models"))
            .env("RUST_LOG", "error")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.take().unwrap()),
            &mut first,
        )
        .unwrap();
        let base = first
            .trim()
            .strip_prefix("listening on ")
            .expect("the hub prints its address first")
            .to_string();
        HubProcess {
            child,
            base,
            summary,
            _dir: dir,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn client(&self, key: Arc<dyn Signer>) -> Client {
        Client::new(&self.base).with_signer(key)
    }

    /// A demo terminal (by its demo key, such as `ts_identity_desk`), enrolled.
    pub async fn terminal(&self, key: &str) -> Client {
        let t = self
            .summary
            .terminals
            .iter()
            .find(|t| t.0 == key)
            .expect("a demo terminal");
        let c = self.client(Arc::new(SoftKey::generate()));
        c.enrol_terminal(&t.4).await.unwrap();
        c
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Enrol a device for a demo person and have `desk` (a counter) confirm it.
pub async fn confirmed_device(dev: &Client, desk: &Client, person: &str, label: &str) {
    let p = demo::person(person);
    let r = dev.enrol(p.id.as_str(), p.name, label).await.unwrap();
    desk.confirm_device(&r.counter_code, p.id.as_str())
        .await
        .unwrap();
}

/// CPU seconds (user, system) a process has used so far, from /proc.
pub fn cpu_secs(pid: u32) -> (f64, f64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc");
    // The fields after the command name (which is in parentheses and may hold spaces).
    let rest: Vec<&str> = stat
        .rsplit_once(')')
        .expect("stat")
        .1
        .split_whitespace()
        .collect();
    let (user, system): (f64, f64) = (rest[11].parse().unwrap(), rest[12].parse().unwrap());
    let hz: f64 = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0);
    (user / hz, system / hz)
}

/// Resident memory of a process, in MB, from /proc.
pub fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc");
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS");
    kb / 1024.0
}
