//! Every matter of the demo catalogue, done at the service centre's counter as its staff would:
//! each person whose certificates the matter takes shows their identity code, each enterprise
//! is looked up by its 统一社会信用代码 (its legal representative approves), and exactly the
//! certificates asked for are released. A matter no demo holder can be served for fails here.

mod common;

use common::*;
use mz_core::catalogue::{Catalogue, Matter, SubjectKind};
use mz_core::codes::Scope;
use mz_hub::demo;
use std::collections::{BTreeMap, HashMap};

/// Valid demo certificates: holder code → the types they hold.
async fn holdings(hub: &Hub) -> BTreeMap<String, Vec<String>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT holder_code, type_code FROM certificates WHERE status = 'valid' ORDER BY holder_code",
    )
    .fetch_all(&hub.db.read)
    .await
    .unwrap();
    let mut held: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (holder, t) in rows {
        held.entry(holder).or_default().push(t);
    }
    held
}

/// The demo holder of `kind` holding most of `types` (ties: the first by code), and which.
fn best_holder(
    held: &BTreeMap<String, Vec<String>>,
    kind: SubjectKind,
    types: &[&str],
) -> Option<(String, Vec<String>)> {
    let is_person = |code: &str| mz_core::ids::IdNumber::parse(code).is_ok();
    held.iter()
        .filter(|(code, _)| is_person(code) == (kind == SubjectKind::Person))
        .map(|(code, theirs)| {
            let mut mine: Vec<String> = types
                .iter()
                .filter(|t| theirs.iter().any(|h| h == *t))
                .map(|t| t.to_string())
                .collect();
            mine.dedup();
            (code.clone(), mine)
        })
        .filter(|(_, mine)| !mine.is_empty())
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(&a.0)))
}

/// Phones of the demo people, enrolled on first use.
struct Phones<'h> {
    hub: &'h Hub,
    by_id: HashMap<String, mz_client::Client>,
}

impl Phones<'_> {
    async fn of(&mut self, id_number: &str) -> &mz_client::Client {
        if !self.by_id.contains_key(id_number) {
            let key = demo::people()
                .into_iter()
                .find(|p| p.id.as_str() == id_number)
                .unwrap()
                .key;
            self.by_id
                .insert(id_number.into(), self.hub.holder(key).await);
        }
        &self.by_id[id_number]
    }
}

/// One subject's part of a matter: asked, approved (unless disclosable), released exactly.
async fn serve_part(
    hub: &Hub,
    phones: &mut Phones<'_>,
    counter: &mz_client::Client,
    matter: &Matter,
    (kind, code, types): (SubjectKind, &str, &[String]),
) {
    let asked: Vec<&str> = types.iter().map(String::as_str).collect();
    let (request, approver) = match kind {
        SubjectKind::Person => {
            let phone = phones.of(code).await;
            let shown = hub.code(phone, Scope::Identity).await;
            let red = counter.redeem(&shown).await.unwrap();
            let r = ask(counter, &red.redemption_id, &matter.code, &asked)
                .await
                .unwrap();
            (r, code.to_string())
        }
        SubjectKind::Enterprise => {
            let rep = mz_hub::store::grants::legal_representative(&hub.db, code)
                .await
                .unwrap()
                .unwrap();
            phones.of(&rep).await;
            let name: String = sqlx::query_scalar("SELECT name FROM enterprises WHERE uscc = $1")
                .bind(code)
                .fetch_one(&hub.db.read)
                .await
                .unwrap();
            (
                counter
                    .staff_lookup(code, &name, &matter.code, &asked)
                    .await
                    .unwrap(),
                rep,
            )
        }
    };
    if request.state.as_str() == "pending" {
        phones
            .of(&approver)
            .await
            .decide(&request.request_id, &asked)
            .await
            .unwrap();
    }
    let released = counter.release(&request.request_id).await.unwrap();
    let mut got: Vec<String> = released
        .certificates
        .iter()
        .map(|c| c.certificate.body.type_code.clone())
        .collect();
    got.sort();
    got.dedup();
    let mut want = types.to_vec();
    want.sort();
    assert_eq!(got, want, "{}: {code}", matter.code);
    assert_eq!(released.subject.code, code, "{}", matter.code);
}

#[tokio::test]
async fn every_matter_of_the_demo_catalogue_is_served_at_the_counter() {
    let hub = start().await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let held = holdings(&hub).await;
    let catalogue = Catalogue::demo();
    let mut phones = Phones {
        hub: &hub,
        by_id: HashMap::new(),
    };
    let mut unserved = Vec::new();
    for matter in catalogue.matters() {
        let mut served = 0;
        for kind in [SubjectKind::Person, SubjectKind::Enterprise] {
            let types: Vec<&str> = matter
                .replaceable_types()
                .filter(|t| catalogue.cert_type(t).unwrap().subject == kind)
                .collect();
            if let Some((code, theirs)) = best_holder(&held, kind, &types) {
                serve_part(&hub, &mut phones, &counter, matter, (kind, &code, &theirs)).await;
                served += theirs.len();
            }
        }
        if served == 0 {
            unserved.push(matter.code.clone());
        }
        println!("{}: {served} certificate(s) released", matter.code);
    }
    assert!(unserved.is_empty(), "no demo holder for {unserved:?}");
}
