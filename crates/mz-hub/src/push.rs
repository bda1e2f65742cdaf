//! Live pushes to holders' devices and terminals (server-sent events).

use mz_core::api::PushEvent;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Mutex;
use tokio::sync::mpsc;

/// Subscribers by key (`holder:<id>`, `terminal:<id>`). A slow subscriber loses events rather
/// than holding up the hub; every event is also readable by a plain GET afterwards.
#[derive(Default)]
pub struct Push {
    subs: Mutex<HashMap<String, Vec<mpsc::Sender<PushEvent>>>>,
    subscribed: std::sync::atomic::AtomicUsize,
}

pub const QUEUE: usize = 64;
/// Live streams one subscriber key (a holder, a terminal) may hold at once (item 12).
pub const MAX_STREAMS_PER_KEY: usize = 8;
/// Every this many subscriptions, streams dropped by their clients are forgotten everywhere
/// (not only when their key is next pushed to).
const PRUNE_EVERY: usize = 256;

impl Push {
    /// A new stream for `key`, after forgetting its dropped ones. Past [`MAX_STREAMS_PER_KEY`]
    /// live ones the oldest is closed: a client that reconnects after a network drop gets in
    /// before the hub has noticed its old stream is gone (that can take a keep-alive or two),
    /// and no key ever holds more.
    pub fn subscribe(&self, key: &str) -> mpsc::Receiver<PushEvent> {
        let mut subs = self.subs.lock().expect("push lock");
        let n = self.subscribed.fetch_add(1, Ordering::Relaxed);
        if n % PRUNE_EVERY == PRUNE_EVERY - 1 {
            subs.retain(|_, list| {
                list.retain(|tx| !tx.is_closed());
                !list.is_empty()
            });
        }
        let list = subs.entry(key.to_string()).or_default();
        list.retain(|tx| !tx.is_closed());
        if list.len() >= MAX_STREAMS_PER_KEY {
            // Dropping its sender ends the oldest stream.
            list.remove(0);
        }
        let (tx, rx) = mpsc::channel(QUEUE);
        list.push(tx);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_holds_a_bounded_number_of_streams_the_newest_winning() {
        let p = Push::default();
        let mut live: Vec<_> = (0..MAX_STREAMS_PER_KEY)
            .map(|_| p.subscribe("holder:a"))
            .collect();
        // One more: the oldest stream ends, the key still holds the cap.
        let _newest = p.subscribe("holder:a");
        assert_eq!(p.subscribers(), MAX_STREAMS_PER_KEY);
        assert!(live[0].try_recv().is_err() && live[0].is_closed());
        assert!(!live[1].is_closed());
        // Another key is not affected.
        let _other = p.subscribe("holder:b");
        // A client that goes away frees its place at once, without a push to its key.
        live.pop();
        let _again = p.subscribe("holder:a");
        assert_eq!(p.subscribers(), MAX_STREAMS_PER_KEY + 1);
        assert!(!live[1].is_closed());
    }
}
