use super::*;

async fn hub_db(dir: &std::path::Path) -> Db {
    let db = Db::open(&format!("sqlite://{}", dir.join("hub.db").display()))
        .await
        .unwrap();
    import(&db, &crate::demo::demo_catalogue_for(&[]), 0)
        .await
        .unwrap();
    db
}

/// Calls at once on a hub that has not read its catalogue yet all get it, not the empty one
/// the first call is replacing (found by the redemption test of forty codes at once).
#[tokio::test]
async fn calls_at_once_before_the_first_read_all_get_the_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let db = hub_db(dir.path()).await;
    let cache = Arc::new(CatalogueCache::default());
    let calls: Vec<_> = (0..32)
        .map(|_| {
            let (cache, db) = (cache.clone(), db.clone());
            tokio::spawn(async move { cache.get(&db, 100).await.unwrap().version })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap(), 1);
    }
}

/// A newer version is read once the second has turned, not before.
#[tokio::test]
async fn a_newer_version_is_read_when_the_second_turns() {
    let dir = tempfile::tempdir().unwrap();
    let db = hub_db(dir.path()).await;
    let cache = CatalogueCache::default();
    assert_eq!(cache.get(&db, 100).await.unwrap().version, 1);
    let mut file = Catalogue::demo().file().clone();
    file.name = "next".into();
    for t in &mut file.cert_types {
        t.issued_by.clear();
    }
    for m in &mut file.matters {
        m.handled_by.clear();
        m.issues = None;
    }
    import(&db, &serde_json::to_string(&file).unwrap(), 100)
        .await
        .unwrap();
    assert_eq!(cache.get(&db, 100).await.unwrap().version, 1);
    let next = cache.get(&db, 101).await.unwrap();
    assert_eq!((next.version, next.file().name.as_str()), (2, "next"));
}
