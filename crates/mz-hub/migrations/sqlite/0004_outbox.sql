-- Calls to other hubs that must arrive even when the other hub cannot be reached for a while
-- (a holder's decision for another region's terminal). Kept until delivered (at least once),
-- retried with growing pauses.
CREATE TABLE fed_outbox (
    id         TEXT PRIMARY KEY,
    region     TEXT NOT NULL,
    call       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    INTEGER NOT NULL,
    last_error TEXT
);
CREATE INDEX fed_outbox_due ON fed_outbox(next_at);
