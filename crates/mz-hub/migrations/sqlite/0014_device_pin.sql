-- A device's PIN as the hub knows it: a hash of its verifier, the failures counted by the hub
-- (restoring an old store file or changing the device's clock does not reset them), and until
-- when approvals from the device are accepted after a correct PIN.
ALTER TABLE devices ADD COLUMN pin_hash TEXT;
ALTER TABLE devices ADD COLUMN pin_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN pin_locked_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN pin_ok_until BIGINT NOT NULL DEFAULT 0;
