//! Live pushes to holders' devices and terminals (server-sent events), with ids a client can
//! resume from.
//!
//! Every event pushed to a key is numbered (`<epoch>.<seq>`: the epoch is this process's, the
//! sequence the key's). The last [`RESUME_EVENTS`] events of a key, for [`RESUME_SECS`], are
//! kept: a client that reconnects with `Last-Event-ID` gets the ones it missed before the live
//! ones; one that missed more (or comes from another process) gets a `resync` event telling it
//! to read the state again.

use mz_core::api::PushEvent;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

pub const QUEUE: usize = 64;
/// Live streams one subscriber key (a holder, a terminal) may hold at once (item 12).
pub const MAX_STREAMS_PER_KEY: usize = 8;
/// Every this many subscriptions or pushes, keys with no stream and nothing to resume from
/// are forgotten.
const PRUNE_EVERY: usize = 256;
/// How many events of a key are kept for a client that reconnects.
pub const RESUME_EVENTS: usize = 32;
/// How long an event is kept for a client that reconnects.
pub const RESUME_SECS: u64 = 300;

/// An event with its SSE id (none for `ready`: it does not move a client's place).
#[derive(Debug, Clone)]
pub struct Numbered {
    pub id: Option<String>,
    pub event: PushEvent,
}

#[derive(Default)]
struct Channel {
    seq: u64,
    recent: VecDeque<(u64, Instant, PushEvent)>,
    streams: Vec<mpsc::Sender<Numbered>>,
}

impl Channel {
    fn forget_old(&mut self, now: Instant) {
        let keep = Duration::from_secs(RESUME_SECS);
        while self
            .recent
            .front()
            .is_some_and(|(_, at, _)| now.duration_since(*at) > keep)
            || self.recent.len() > RESUME_EVENTS
        {
            self.recent.pop_front();
        }
    }
    /// The events after `seq`, if every one of them is still kept.
    fn after(&self, seq: u64) -> Option<Vec<(u64, PushEvent)>> {
        if seq > self.seq {
            return None;
        }
        let missed: Vec<_> = self
            .recent
            .iter()
            .filter(|(s, _, _)| *s > seq)
            .map(|(s, _, e)| (*s, e.clone()))
            .collect();
        (missed.len() as u64 == self.seq - seq).then_some(missed)
    }
}

/// Subscribers by key (`holder:<id>`, `terminal:<id>`). A slow subscriber loses events rather
/// than holding up the hub; every event is also readable by a plain GET afterwards.
pub struct Push {
    epoch: String,
    channels: Mutex<HashMap<String, Channel>>,
    calls: AtomicUsize,
}

impl Default for Push {
    fn default() -> Self {
        Push {
            epoch: uuid::Uuid::new_v4().simple().to_string()[..8].to_string(),
            channels: Mutex::default(),
            calls: AtomicUsize::new(0),
        }
    }
}

impl Push {
    fn id(&self, seq: u64) -> String {
        format!("{}.{seq}", self.epoch)
    }

    /// The sequence number in `last_event_id`, if this process gave it.
    fn seq_of(&self, last_event_id: &str) -> Option<u64> {
        let (epoch, seq) = last_event_id.split_once('.')?;
        (epoch == self.epoch).then(|| seq.parse().ok()).flatten()
    }

    fn prune(&self, channels: &mut HashMap<String, Channel>, now: Instant) {
        if self.calls.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY != PRUNE_EVERY - 1 {
            return;
        }
        channels.retain(|_, ch| {
            ch.streams.retain(|tx| !tx.is_closed());
            ch.forget_old(now);
            !ch.streams.is_empty() || !ch.recent.is_empty()
        });
    }

    /// A new stream for `key`. With the id of the last event the client saw, the events it
    /// missed come first, or a `resync` when they are no longer all kept. Past
    /// [`MAX_STREAMS_PER_KEY`] live streams the oldest is closed: a client that reconnects
    /// after a network drop gets in before the hub has noticed its old stream is gone.
    pub fn subscribe(&self, key: &str, last_event_id: Option<&str>) -> mpsc::Receiver<Numbered> {
        let now = Instant::now();
        let mut channels = self.channels.lock().expect("push lock");
        self.prune(&mut channels, now);
        let ch = channels.entry(key.to_string()).or_default();
        ch.streams.retain(|tx| !tx.is_closed());
        if ch.streams.len() >= MAX_STREAMS_PER_KEY {
            // Dropping its sender ends the oldest stream.
            ch.streams.remove(0);
        }
        ch.forget_old(now);
        let (tx, rx) = mpsc::channel(QUEUE + RESUME_EVENTS);
        if let Some(last) = last_event_id {
            let missed = self.seq_of(last).and_then(|seq| ch.after(seq));
            let first: Vec<Numbered> = match missed {
                Some(events) => events
                    .into_iter()
                    .map(|(s, event)| Numbered {
                        id: Some(self.id(s)),
                        event,
                    })
                    .collect(),
                None => vec![Numbered {
                    id: Some(self.id(ch.seq)),
                    event: PushEvent::Resync {},
                }],
            };
            for n in first {
                let _ = tx.try_send(n);
            }
        }
        ch.streams.push(tx);
        rx
    }

    /// Number `event`, keep it for resuming and deliver it to every live stream of `key`;
    /// returns how many got it.
    pub fn send(&self, key: &str, event: &PushEvent) -> usize {
        let now = Instant::now();
        let mut channels = self.channels.lock().expect("push lock");
        self.prune(&mut channels, now);
        let ch = channels.entry(key.to_string()).or_default();
        ch.seq += 1;
        ch.recent.push_back((ch.seq, now, event.clone()));
        ch.forget_old(now);
        ch.streams.retain(|tx| !tx.is_closed());
        let numbered = Numbered {
            id: Some(self.id(ch.seq)),
            event: event.clone(),
        };
        ch.streams
            .iter()
            .filter(|tx| tx.try_send(numbered.clone()).is_ok())
            .count()
    }

    pub fn subscribers(&self) -> usize {
        self.channels
            .lock()
            .expect("push lock")
            .values()
            .map(|ch| ch.streams.iter().filter(|tx| !tx.is_closed()).count())
            .sum()
    }
}

pub fn holder_key(holder_id: &str) -> String {
    format!("holder:{holder_id}")
}
pub fn terminal_key(terminal_id: &str) -> String {
    format!("terminal:{terminal_id}")
}
pub fn department_key(code: &str) -> String {
    format!("department:{code}")
}

#[cfg(test)]
mod tests;
