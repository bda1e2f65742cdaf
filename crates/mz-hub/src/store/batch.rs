//! Batching for the hot path (show-code redemption): requests that arrive while the database
//! is busy are answered together — their handles looked up, and their verified redemptions
//! and audit entries written in one transaction (one commit). No timer: a batch is whatever
//! queued while the previous one ran, so a lone request goes at once and a busy hub gets
//! larger batches. Each caller gets its own result, and only after the commit. (On SQLite the
//! lane, `super::lane`, batches the same way on its own thread.)

use std::future::Future;
use tokio::sync::{mpsc, oneshot};

/// Most jobs in one batch (keeps a statement's parameters well under SQLite's limit).
pub const MAX_BATCH: usize = 256;

pub struct Batcher<J, R> {
    tx: mpsc::UnboundedSender<(J, oneshot::Sender<R>)>,
}

impl<J: Send + 'static, R: Send + 'static> Batcher<J, R> {
    /// Start the batch loop on the current tokio runtime. `run` gets the jobs in arrival order
    /// and returns one result per job, in the same order.
    pub fn start<F, Fut>(run: F) -> Self
    where
        F: Fn(Vec<J>) -> Fut + Send + 'static,
        Fut: Future<Output = Vec<R>> + Send,
    {
        let (tx, mut rx) = mpsc::unbounded_channel::<(J, oneshot::Sender<R>)>();
        tokio::spawn(async move {
            let mut jobs = Vec::new();
            let mut replies = Vec::new();
            while let Some((j, r)) = rx.recv().await {
                jobs.push(j);
                replies.push(r);
                while jobs.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok((j, r)) => {
                            jobs.push(j);
                            replies.push(r);
                        }
                        Err(_) => break,
                    }
                }
                let results = run(std::mem::take(&mut jobs)).await;
                debug_assert_eq!(results.len(), replies.len());
                for (reply, result) in replies.drain(..).zip(results) {
                    let _ = reply.send(result); // the caller may have gone; its result stands
                }
            }
        });
        Batcher { tx }
    }

    /// Queue one job and wait for its result.
    pub async fn run(&self, job: J) -> Option<R> {
        let (tx, rx) = oneshot::channel();
        self.tx.send((job, tx)).ok()?;
        rx.await.ok()
    }
}
