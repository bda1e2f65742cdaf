//! What makes a catalogue file acceptable, and what a new version may not change of the last.

use super::{CatalogueFile, CertType, Matter, SubjectKind, FORMAT};
use crate::error::{CoreError, Result};
use crate::ids::Uscc;
use std::collections::{HashMap, HashSet};

/// The most problems one error names; the operator fixes them and imports again.
const MAX_NAMED: usize = 20;
/// Limits that keep one import's work bounded (a large city has about 600 types and a few
/// thousand matters).
pub const MAX_TYPES: usize = 999;
pub const MAX_MATTERS: usize = 20_000;
pub const MAX_MATERIALS: usize = 64;
pub const MAX_FIELDS: usize = 64;

/// Every problem of a catalogue file, or none.
pub(super) fn check(f: &CatalogueFile) -> Result<()> {
    let mut p = Problems::default();
    if f.format != FORMAT {
        p.add(format!("format is {:?}, not {FORMAT:?}", f.format));
    }
    p.limit("certificate types", f.cert_types.len(), MAX_TYPES);
    p.limit("matters", f.matters.len(), MAX_MATTERS);
    let mut codes = HashMap::new();
    let mut nos = HashSet::new();
    for t in &f.cert_types {
        check_type(t, &mut p);
        if codes.insert(t.code.as_str(), t).is_some() {
            p.add(format!("certificate type {} is listed twice", t.code));
        }
        if !nos.insert(t.no) {
            p.add(format!("certificate type number {} is used twice", t.no));
        }
    }
    let mut matters = HashSet::new();
    for m in &f.matters {
        check_matter(m, &codes, &mut p);
        if !matters.insert(m.code.as_str()) {
            p.add(format!("matter {} is listed twice", m.code));
        }
    }
    p.into_result()
}

fn check_type(t: &CertType, p: &mut Problems) {
    let at = format!("certificate type {}", t.code);
    p.code(&at, &t.code);
    if !(1..=999).contains(&t.no) {
        p.add(format!("{at}: number {} is not 1–999", t.no));
    }
    p.text(&at, "name", &t.name);
    p.text(&at, "name_en", &t.name_en);
    p.limit(&format!("{at}: fields"), t.fields.len(), MAX_FIELDS);
    if t.fields.is_empty() || t.fields.iter().any(|f| f.trim().is_empty()) {
        p.add(format!("{at}: needs its face fields, none empty"));
    }
    p.departments(&at, "issued_by", &t.issued_by);
}

fn check_matter(m: &Matter, types: &HashMap<&str, &CertType>, p: &mut Problems) {
    let at = format!("matter {}", m.code);
    p.code(&at, &m.code);
    p.text(&at, "name", &m.name);
    p.text(&at, "name_en", &m.name_en);
    p.limit(
        &format!("{at}: materials"),
        m.materials.len(),
        MAX_MATERIALS,
    );
    if m.replaceable_types().next().is_none() {
        p.add(format!(
            "{at}: no material is replaced by a certificate (免提交)"
        ));
    }
    let mut named = HashSet::new();
    for material in &m.materials {
        p.text(&at, "material name", &material.name);
        if let Some(t) = &material.replaced_by {
            if !types.contains_key(t.as_str()) {
                p.add(format!(
                    "{at}: material {} names unknown type {t}",
                    material.name
                ));
            }
            if !named.insert(t.as_str()) {
                p.add(format!("{at}: type {t} replaces two materials"));
            }
        }
    }
    p.departments(&at, "handled_by", &m.handled_by);
    if !(1..=100).contains(&m.retention_years) {
        p.add(format!(
            "{at}: retention_years {} is not 1–100",
            m.retention_years
        ));
    }
    if let Some(proof) = &m.issues {
        check_proof(&at, m, types.get(proof.as_str()), p);
    }
    if let Some(rule) = &m.proxy {
        if m.subject != SubjectKind::Person {
            p.add(format!(
                "{at}: only a person's matter may be applied for on their behalf"
            ));
        }
        if !(0..=150).contains(&rule.min_age) {
            p.add(format!("{at}: proxy min_age {} is not 0–150", rule.min_age));
        }
        p.text(&at, "proxy received_by", &rule.received_by);
    }
}

/// A matter's proof is a known type about the same kind of subject that someone may issue.
fn check_proof(at: &str, m: &Matter, proof: Option<&&CertType>, p: &mut Problems) {
    match proof {
        None => p.add(format!("{at}: issues an unknown type")),
        Some(t) if t.subject != m.subject => p.add(format!(
            "{at}: issues {}, which is about another kind of subject",
            t.code
        )),
        Some(t) if t.issued_by.is_empty() => p.add(format!(
            "{at}: issues {}, which no department issues",
            t.code
        )),
        Some(_) => {}
    }
}

/// A certificate type's number as some version of the catalogue gave it. Numbers travel in
/// codes, signed decisions and grants, so a number once given never names another type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeNumber {
    pub no: u16,
    pub code: String,
}

/// What a new version may not change: a number given before names the same type (and a type
/// keeps its number); a type of which certificates exist stays in the catalogue.
pub fn check_succession(
    new: &super::Catalogue,
    given: &[TypeNumber],
    issued_types: &[String],
) -> Result<()> {
    let mut p = Problems::default();
    for g in given {
        let by_no = new.cert_type_by_no(g.no).ok().map(|t| t.code.as_str());
        if by_no.is_some_and(|c| c != g.code) {
            p.add(format!(
                "number {} was given to {} and cannot name {}",
                g.no,
                g.code,
                by_no.unwrap_or_default()
            ));
        }
        if let Ok(t) = new.cert_type(&g.code) {
            if t.no != g.no {
                p.add(format!(
                    "certificate type {} has number {} and cannot change it to {}",
                    g.code, g.no, t.no
                ));
            }
        }
    }
    for t in issued_types {
        if new.cert_type(t).is_err() {
            p.add(format!(
                "certificate type {t} has certificates issued and cannot be removed"
            ));
        }
    }
    p.into_result()
}

#[derive(Default)]
struct Problems(Vec<String>, usize);

impl Problems {
    fn add(&mut self, problem: String) {
        self.1 += 1;
        if self.0.len() < MAX_NAMED {
            self.0.push(problem);
        }
    }
    fn limit(&mut self, what: &str, n: usize, max: usize) {
        if n > max {
            self.add(format!("{what}: {n} is more than {max}"));
        }
    }
    fn text(&mut self, at: &str, what: &str, s: &str) {
        if s.trim().is_empty() || s.chars().count() > 200 {
            self.add(format!("{at}: {what} must be 1–200 characters"));
        }
    }
    fn code(&mut self, at: &str, code: &str) {
        let ok = (2..=48).contains(&code.len())
            && code.starts_with(|c: char| c.is_ascii_lowercase())
            && code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            self.add(format!(
                "{at}: a code is 2–48 characters of a-z, 0-9 and _, from a letter"
            ));
        }
    }
    fn departments(&mut self, at: &str, what: &str, codes: &[String]) {
        let mut seen = HashSet::new();
        for c in codes {
            if let Err(e) = Uscc::parse(c) {
                self.add(format!("{at}: {what} {c:?}: {e}"));
            }
            if !seen.insert(c) {
                self.add(format!("{at}: {what} names {c} twice"));
            }
        }
    }
    fn into_result(self) -> Result<()> {
        if self.1 == 0 {
            return Ok(());
        }
        let more = self.1 - self.0.len();
        let tail = if more > 0 {
            format!("; and {more} more")
        } else {
            String::new()
        };
        Err(CoreError::Malformed {
            what: "catalogue",
            why: format!("{}{tail}", self.0.join("; ")),
        })
    }
}
