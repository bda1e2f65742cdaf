//! A budget for request bodies still arriving (trust issue, item 12). Every body is read before
//! its signature can be checked, so anyone can make the hub hold one; a client that announces a
//! large body and stalls holds it until the body timeout. Bodies in flight are limited per peer
//! address and in total: past either, the request is answered `server_busy` at once, without
//! reading its body.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Bytes one peer address may have in bodies still arriving (a face check's frames fit).
pub const PER_ADDRESS: usize = 16 << 20;
/// Bytes all peers together may have in bodies still arriving.
pub const TOTAL: usize = 128 << 20;

#[derive(Default)]
pub struct Bodies {
    inner: Mutex<InFlight>,
}

#[derive(Default)]
struct InFlight {
    total: usize,
    by_address: HashMap<Option<IpAddr>, usize>,
}

/// A reservation, given back when dropped (the body arrived, failed or timed out).
pub struct Reserved {
    bodies: Arc<Bodies>,
    addr: Option<IpAddr>,
    bytes: usize,
}

impl Bodies {
    /// Reserve `bytes` for a body from `addr`; `None` when that would pass a limit.
    pub fn reserve(self: &Arc<Self>, addr: Option<IpAddr>, bytes: usize) -> Option<Reserved> {
        let mut f = self.inner.lock().expect("body budget");
        let mine = f.by_address.get(&addr).copied().unwrap_or(0);
        if f.total + bytes > TOTAL || mine + bytes > PER_ADDRESS {
            return None;
        }
        f.total += bytes;
        *f.by_address.entry(addr).or_default() += bytes;
        Some(Reserved {
            bodies: self.clone(),
            addr,
            bytes,
        })
    }

    /// Bytes reserved now, in total.
    pub fn in_flight(&self) -> usize {
        self.inner.lock().expect("body budget").total
    }
}

impl Drop for Reserved {
    fn drop(&mut self) {
        let mut f = self.bodies.inner.lock().expect("body budget");
        f.total -= self.bytes;
        let left = f.by_address.get_mut(&self.addr).map(|n| {
            *n -= self.bytes;
            *n
        });
        if left == Some(0) {
            f.by_address.remove(&self.addr);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_cannot_take_the_whole_budget_and_bytes_come_back() {
        let b = Arc::new(Bodies::default());
        let a: Option<IpAddr> = Some([10, 0, 0, 1].into());
        let other: Option<IpAddr> = Some([10, 0, 0, 2].into());
        let held: Vec<_> = (0..PER_ADDRESS / (256 << 10))
            .map(|_| b.reserve(a, 256 << 10).unwrap())
            .collect();
        assert!(b.reserve(a, 1).is_none(), "the address is at its limit");
        let o = b.reserve(other, 256 << 10).unwrap();
        drop(held);
        assert_eq!(b.in_flight(), 256 << 10);
        assert!(b.reserve(a, 256 << 10).is_some());
        drop(o);
        // Many addresses together stop at the total.
        let many: Vec<_> = (0..TOTAL / PER_ADDRESS)
            .map(|i| {
                b.reserve(Some([10, 1, 0, i as u8].into()), PER_ADDRESS)
                    .unwrap()
            })
            .collect();
        assert!(b.reserve(Some([10, 2, 0, 0].into()), 1).is_none());
        drop(many);
        assert_eq!(b.in_flight(), 0);
    }
}
