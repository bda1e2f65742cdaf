-- A show-code names one certificate: its type and its ordinal among the holder's of that type.
-- A request under it covers that certificate only.
ALTER TABLE redemptions ADD COLUMN scope_ordinal INTEGER;
