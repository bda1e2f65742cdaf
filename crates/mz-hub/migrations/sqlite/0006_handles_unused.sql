-- A device's unused handles (counted to top them up) by a partial index: using a handle now
-- only removes its entry, where the index on (device, used_at) moved it on every redemption.
DROP INDEX handles_device;
CREATE INDEX handles_unused ON handles(device) WHERE used_at IS NULL;
