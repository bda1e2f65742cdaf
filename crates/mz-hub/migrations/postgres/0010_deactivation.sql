-- The operator deactivates a department (its API key is refused from then on; its terminals
-- are deactivated with it) or a terminal (terminals.active = 0).
ALTER TABLE departments ADD COLUMN deactivated_at BIGINT;
