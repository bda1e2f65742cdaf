-- The licences a request covers, fixed when it is made (the holder approves those, not
-- whatever of that type is issued later); a request without them releases nothing.
ALTER TABLE auth_requests ADD COLUMN licences TEXT;
