-- A kiosk login with another region's identity code: the holder stays with their own hub,
-- which holds the redemption; this hub keeps where, the masked name it was told, and the
-- certificate types in reach (JSON list) for the session's self-service requests.
ALTER TABLE login_sessions ADD COLUMN remote_owner TEXT;
ALTER TABLE login_sessions ADD COLUMN remote_redemption TEXT;
ALTER TABLE login_sessions ADD COLUMN remote_name TEXT;
ALTER TABLE login_sessions ADD COLUMN remote_available TEXT;
