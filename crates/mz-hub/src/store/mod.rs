//! Storage: everything that speaks SQL. The database and its write gate ([`Db`], [`WriteTx`]),
//! the audit chain's appends, the redemption hot path (the lane on SQLite, the batcher
//! elsewhere), and the queries the operations share.

pub mod archives;
pub mod audit;
pub mod batch;
pub mod callers;
pub mod catalogue;
pub mod certificates;
pub mod db;
pub mod devices;
pub mod face;
pub mod federation;
pub mod grants;
pub mod holders;
pub mod lane;
pub mod login;
pub mod objections;
pub mod proofs;
pub mod public;
pub mod redeem;
pub mod registers;
pub mod requests;
pub mod sql;
pub mod terminals;

pub use audit::{audit, audit_many, row_to_entry, NewEntry, WriteTx};
pub use callers::*;
pub use db::{Backend, Db, RedeemLane, READERS};
pub use sql::Sql;
