//! Hub-to-hub calls (see `crate::federation`).
