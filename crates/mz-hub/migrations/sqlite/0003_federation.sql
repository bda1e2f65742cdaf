-- Federation: hubs of parent and child regions, and the terminals and departments of other
-- hubs that this hub has served through them.

CREATE TABLE peers (
    region     TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('parent', 'child')),
    name       TEXT NOT NULL,
    url        TEXT NOT NULL,
    key_id     TEXT NOT NULL UNIQUE,
    public_key BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX peers_one_parent ON peers(role) WHERE role = 'parent';

-- A department or terminal of another hub, as the hub it came through vouched for it:
-- `origin` is that hub's region (NULL for this hub's own). Such a terminal has no key here and
-- cannot call this hub itself; `remote_id` is its id at its own hub.
ALTER TABLE departments ADD COLUMN origin TEXT;
ALTER TABLE terminals ADD COLUMN origin TEXT;
ALTER TABLE terminals ADD COLUMN remote_id TEXT;

-- At the terminal's hub: redemptions and requests held by another hub, by the id that hub gave.
CREATE TABLE remote_refs (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('redemption', 'request')),
    terminal   TEXT NOT NULL REFERENCES terminals(id),
    owner      TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
