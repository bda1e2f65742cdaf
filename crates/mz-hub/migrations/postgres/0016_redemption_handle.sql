-- The handle a code redemption used up: the same terminal retrying the same code gets the same
-- redemption (its first answer may have been lost), anyone else code_already_used.
ALTER TABLE redemptions ADD COLUMN handle BYTEA;
CREATE INDEX redemptions_handle ON redemptions(handle);
