-- A device is pending until a face check bound to its key, an active device of the same
-- holder, or a counter confirms it; removed devices are refused. Devices enrolled before this
-- migration stay active (they were enrolled under the old rule: 实名 only).
ALTER TABLE devices ADD COLUMN state TEXT NOT NULL DEFAULT 'active';
ALTER TABLE devices ADD COLUMN confirmed_by TEXT;
ALTER TABLE devices ADD COLUMN last_used_at BIGINT;
-- The one-time code the pending device shows at a counter (its SHA-256 only) and its expiry.
ALTER TABLE devices ADD COLUMN counter_code_hash BYTEA;
ALTER TABLE devices ADD COLUMN counter_code_expires_at BIGINT;
CREATE UNIQUE INDEX devices_counter_code ON devices(counter_code_hash);
CREATE INDEX devices_holder ON devices(holder);
