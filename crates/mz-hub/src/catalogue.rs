//! The catalogue this hub serves: the newest imported version, held in memory and looked up
//! again at most once a second, so an import by the operator's command (another process) shows
//! in every page within a second. And the import itself.

use crate::error::{HubError, HubResult};
use crate::store::{self, catalogue::StoredCatalogue, registers, Db};
use mz_core::catalogue::{check_succession, Catalogue};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

/// A version of the catalogue in memory, with its public view already serialised.
pub struct Current {
    pub version: i64,
    pub catalogue: Catalogue,
    /// `GET /v1/catalogue`'s body, serialised once per version.
    pub view: Arc<[u8]>,
}

impl std::ops::Deref for Current {
    type Target = Catalogue;
    fn deref(&self) -> &Catalogue {
        &self.catalogue
    }
}

impl Current {
    fn new(version: i64, catalogue: Catalogue) -> Current {
        let file = catalogue.file();
        let view = mz_core::api::CatalogueView {
            version,
            name: file.name.clone(),
            cert_types: file.cert_types.clone(),
            matters: file.matters.clone(),
        };
        let view = serde_json::to_vec(&view)
            .expect("plain data serialises")
            .into();
        Current {
            version,
            catalogue,
            view,
        }
    }
}

/// The version in memory and when the database was last asked for a newer one.
pub struct CatalogueCache {
    current: RwLock<Arc<Current>>,
    checked_at: AtomicI64,
}

impl Default for CatalogueCache {
    fn default() -> Self {
        CatalogueCache {
            current: RwLock::new(Arc::new(Current::new(0, Catalogue::empty()))),
            checked_at: AtomicI64::new(i64::MIN),
        }
    }
}

impl CatalogueCache {
    /// The newest version, asking the database when the last look is a second old.
    pub async fn get(&self, db: &Db, now: i64) -> HubResult<Arc<Current>> {
        let held = self.current.read().expect("catalogue lock").clone();
        // Until a version is loaded, every call looks (calls at once must not be answered
        // with the empty catalogue while the first one reads it).
        let looked_this_second = self.checked_at.swap(now, Ordering::AcqRel) >= now;
        if looked_this_second && held.version > 0 {
            return Ok(held);
        }
        if store::catalogue::latest_version(db).await?.unwrap_or(0) == held.version {
            return Ok(held);
        }
        let Some(stored) = store::catalogue::latest(db).await? else {
            return Ok(held);
        };
        let catalogue = Catalogue::parse(&stored.body).map_err(|e| {
            HubError::Internal(format!(
                "stored catalogue {} unreadable: {e}",
                stored.version
            ))
        })?;
        let fresh = Arc::new(Current::new(stored.version, catalogue));
        let mut slot = self.current.write().expect("catalogue lock");
        if slot.version < fresh.version {
            *slot = fresh;
        }
        Ok(slot.clone())
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub version: i64,
    pub digest: String,
    /// False when the file is the current version already (nothing was written).
    pub new: bool,
    pub cert_types: usize,
    pub matters: usize,
}

/// Import a catalogue file as the next version: checked whole (format, codes, references,
/// departments registered here, numbers never reassigned, no type with certificates dropped),
/// stored and audited in one transaction. The same file again changes nothing.
pub async fn import(db: &Db, json: &str, now: i64) -> HubResult<Imported> {
    let catalogue = Catalogue::parse(json)?;
    let digest = catalogue.digest();
    let summary = |version, new| Imported {
        version,
        digest: digest.clone(),
        new,
        cert_types: catalogue.cert_types().len(),
        matters: catalogue.matters().len(),
    };
    let latest = store::catalogue::latest(db).await?;
    if let Some(l) = latest.as_ref().filter(|l| l.digest == digest) {
        return Ok(summary(l.version, false));
    }
    check_departments(db, &catalogue).await?;
    let given = store::catalogue::type_numbers(db).await?;
    let issued = store::catalogue::issued_types(db).await?;
    check_succession(&catalogue, &given, &issued)?;
    let version = latest.map_or(1, |l| l.version + 1);
    let mut tx = db.begin_write().await?;
    let stored = StoredCatalogue {
        version,
        digest: digest.clone(),
        body: serde_json::to_string(catalogue.file()).expect("plain data serialises"),
    };
    store::catalogue::insert(&mut tx, &stored, now).await?;
    store::catalogue::give_numbers(&mut tx, &catalogue.type_numbers_given()).await?;
    let s = summary(version, true);
    let detail = serde_json::json!({
        "version": version, "digest": digest, "name": catalogue.file().name,
        "cert_types": s.cert_types, "matters": s.matters,
    });
    store::audit(&mut tx, now, "catalogue_imported", "operator", None, detail).await?;
    tx.commit().await?;
    Ok(s)
}

/// Every department the catalogue names is registered here.
async fn check_departments(db: &Db, c: &Catalogue) -> HubResult<()> {
    let named = c.cert_types().iter().flat_map(|t| &t.issued_by);
    let named = named.chain(c.matters().iter().flat_map(|m| &m.handled_by));
    let mut unknown: Vec<&str> = vec![];
    let mut seen = std::collections::HashSet::new();
    for d in named.filter(|d| seen.insert(d.as_str())) {
        if registers::department_region(db, d).await?.is_none() {
            unknown.push(d);
        }
    }
    if unknown.is_empty() {
        return Ok(());
    }
    Err(mz_core::CoreError::Malformed {
        what: "catalogue",
        why: format!("departments not registered here: {}", unknown.join(", ")),
    }
    .into())
}

#[cfg(test)]
mod tests;
