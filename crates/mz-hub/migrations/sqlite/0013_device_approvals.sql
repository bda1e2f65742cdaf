-- The device that decided a request, and the device that logged a holder in to a kiosk: removing
-- a device withdraws its approvals not yet released and ends the kiosk sessions it opened.
ALTER TABLE auth_requests ADD COLUMN decided_by TEXT;
ALTER TABLE login_sessions ADD COLUMN device TEXT;
