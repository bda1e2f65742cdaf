-- Proofs a kiosk orders for a self-service matter (房查证明, 社保参保证明): the issuing
-- department's own service answers with the proof, sealed by it, or a refusal and its reason.
-- The proof's check token (printed in its QR code) is kept only as its SHA-256.
CREATE TABLE proof_orders (
    id           TEXT PRIMARY KEY,
    request      TEXT NOT NULL UNIQUE REFERENCES auth_requests(id),
    terminal     TEXT NOT NULL REFERENCES terminals(id),
    department   TEXT NOT NULL REFERENCES departments(code),
    matter       TEXT NOT NULL,
    cert_type    TEXT NOT NULL,
    subject_code TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    state        TEXT NOT NULL,
    reason       TEXT,
    license_id   TEXT UNIQUE REFERENCES certificates(license_id),
    check_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    answered_at  BIGINT
);
CREATE INDEX proof_orders_pending ON proof_orders(department, state, created_at);
