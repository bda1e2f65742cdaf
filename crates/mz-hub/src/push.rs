//! Live pushes to holders' devices and terminals (server-sent events).

use mz_core::api::PushEvent;
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::mpsc;

/// Subscribers by key (`holder:<id>`, `terminal:<id>`). A slow subscriber loses events rather
/// than holding up the hub; every event is also readable by a plain GET afterwards.
#[derive(Default)]
pub struct Push {
    subs: Mutex<HashMap<String, Vec<mpsc::Sender<PushEvent>>>>,
}

pub const QUEUE: usize = 64;

impl Push {
    pub fn subscribe(&self, key: &str) -> mpsc::Receiver<PushEvent> {
        let (tx, rx) = mpsc::channel(QUEUE);
        self.subs
            .lock()
            .expect("push lock")
            .entry(key.to_string())
            .or_default()
            .push(tx);
        rx
    }

    /// Deliver to every live subscriber of `key`; returns how many got it.
    pub fn send(&self, key: &str, event: &PushEvent) -> usize {
        let mut subs = self.subs.lock().expect("push lock");
        let Some(list) = subs.get_mut(key) else {
            return 0;
        };
        list.retain(|tx| !tx.is_closed());
        let mut n = 0;
        for tx in list.iter() {
            if tx.try_send(event.clone()).is_ok() {
                n += 1;
            }
        }
        if list.is_empty() {
            subs.remove(key);
        }
        n
    }

    pub fn subscribers(&self) -> usize {
        self.subs
            .lock()
            .expect("push lock")
            .values()
            .map(Vec::len)
            .sum()
    }
}

pub fn holder_key(holder_id: &str) -> String {
    format!("holder:{holder_id}")
}
pub fn terminal_key(terminal_id: &str) -> String {
    format!("terminal:{terminal_id}")
}
