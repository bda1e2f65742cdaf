//! `cargo bench -p mz-hub --bench catalogue`: a catalogue the size of a large city's (about 600
//! certificate types and 6,000 matter–material links, as Shenzhen reported in 2021) is checked,
//! imported and served; the demo's catalogue beside it for the ratio. Figures are wall time on
//! this machine, best of a few runs; compare the rows of one run.

use mz_core::catalogue::{Catalogue, CatalogueFile, CertType, Material, Matter, SubjectKind};
use mz_core::ids::{RegionCode, Uscc};
use mz_hub::{admin, AppState, Db};
use std::time::Instant;

const TYPES: u16 = 600;
const MATTERS: usize = 1500;
const MATERIALS: usize = 4;
const DEPARTMENTS: usize = 60;

fn department(i: usize) -> String {
    let region = RegionCode::parse("440300").unwrap();
    Uscc::from_parts("11", &region, &format!("{:08}", 10_000_000 + i))
        .unwrap()
        .to_string()
}

/// 600 types, 1,500 matters of 4 materials each (6,000 links), each handled by 3 of 60
/// departments, each type issued by 2.
fn large_city() -> CatalogueFile {
    let cert_types = (1..=TYPES)
        .map(|no| CertType {
            no,
            code: format!("type_{no:03}"),
            name: format!("证照{no}"),
            name_en: format!("Certificate {no}"),
            subject: if no % 3 == 0 {
                SubjectKind::Enterprise
            } else {
                SubjectKind::Person
            },
            fields: vec![
                "名称".into(),
                "证照编号".into(),
                "发证机关".into(),
                "有效期限".into(),
            ],
            disclosable: no % 3 == 0,
            shown_is_consent: false,
            issued_by: vec![
                department(no as usize % DEPARTMENTS),
                department((no as usize + 7) % DEPARTMENTS),
            ],
        })
        .collect();
    let matters = (0..MATTERS)
        .map(|i| Matter {
            code: format!("matter_{i:05}"),
            name: format!("事项{i}"),
            name_en: format!("Matter {i}"),
            subject: SubjectKind::Person,
            self_service: i % 5 == 0,
            seed: "synthetic".into(),
            materials: (0..MATERIALS)
                .map(|k| Material {
                    name: format!("材料{k}"),
                    required: k == 0,
                    replaced_by: Some(format!(
                        "type_{:03}",
                        (i * 7 + k * 131) % TYPES as usize + 1
                    )),
                })
                .collect(),
            handled_by: (0..3)
                .map(|k| department((i + k * 17) % DEPARTMENTS))
                .collect(),
            proxy: None,
            retention_years: 10,
            issues: None,
        })
        .collect();
    CatalogueFile {
        format: mz_core::catalogue::FORMAT.into(),
        name: "large city".into(),
        cert_types,
        matters,
    }
}

fn best_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

/// A hub with the departments registered, the catalogue imported, serving on loopback.
async fn hub_with(json: &str, departments: &[String]) -> (String, f64, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&format!("sqlite://{}", dir.path().join("hub.db").display()))
        .await
        .unwrap();
    let key_file = dir.path().join("hub.key");
    let region = RegionCode::parse("440300").unwrap();
    admin::init_hub(&db, &region, "bench", &key_file)
        .await
        .unwrap();
    for d in departments {
        let code = Uscc::parse(d).unwrap();
        admin::add_department(&db, &code, d, &region, mz_core::crypto::SigAlg::Es256, 0)
            .await
            .unwrap();
    }
    let t = Instant::now();
    mz_hub::catalogue::import(&db, json, 0).await.unwrap();
    let import_ms = t.elapsed().as_secs_f64() * 1e3;
    let key = admin::load_hub_key(&db, &key_file).await.unwrap();
    let state = AppState::load(db, std::sync::Arc::new(mz_hub::SystemClock), key)
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(mz_hub::serve(listener, state));
    (base, import_ms, dir)
}

/// Median ms of GET `path`, and the body's size.
async fn serve_ms(base: &str, path: &str) -> (f64, usize) {
    let http = reqwest::Client::new();
    let mut ms = Vec::new();
    let mut size = 0;
    for _ in 0..41 {
        let t = Instant::now();
        let body = http
            .get(format!("{base}{path}"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        ms.push(t.elapsed().as_secs_f64() * 1e3);
        size = body.len();
    }
    ms.sort_by(f64::total_cmp);
    (ms[20], size)
}

async fn report(what: &str, file: &CatalogueFile) {
    let json = serde_json::to_string(file).unwrap();
    let check_ms = best_ms(5, || drop(Catalogue::parse(&json).unwrap()));
    let c = Catalogue::parse(&json).unwrap();
    let codes: Vec<&str> = c.matters().iter().map(|m| m.code.as_str()).collect();
    let lookup_ns = best_ms(5, || {
        for code in &codes {
            std::hint::black_box(c.matter(code).unwrap().handled_by("x"));
        }
    }) * 1e6
        / codes.len() as f64;
    let mut departments: Vec<String> = file
        .cert_types
        .iter()
        .flat_map(|t| t.issued_by.clone())
        .collect();
    departments.extend(file.matters.iter().flat_map(|m| m.handled_by.clone()));
    departments.sort();
    departments.dedup();
    let (base, import_ms, _dir) = hub_with(&json, &departments).await;
    let (first_ms, _) = serve_ms(&base, "/v1/hub").await;
    let (catalogue_ms, size) = serve_ms(&base, "/v1/catalogue").await;
    let links: usize = file.matters.iter().map(|m| m.materials.len()).sum();
    println!(
        "{what:<10} {:>4} types {:>5} matters {:>5} links | file {:>5} KB: check {check_ms:>6.1} ms, import {import_ms:>7.1} ms | matter lookup {lookup_ns:>5.0} ns | GET /v1/catalogue {:>5} KB {catalogue_ms:>6.2} ms (GET /v1/hub {first_ms:.2} ms)",
        file.cert_types.len(),
        file.matters.len(),
        links,
        json.len() / 1024,
        size / 1024,
    );
}

#[tokio::main]
async fn main() {
    report("demo", Catalogue::demo().file()).await;
    report("large city", &large_city()).await;
}
