-- Mianzheng hub schema (SQLite). Times are unix seconds.

CREATE TABLE hub_meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

-- Population register (人口库): the reference for 实名.
CREATE TABLE people (
    id_number  TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    gender     TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    address    TEXT NOT NULL,
    region     TEXT NOT NULL
);

CREATE TABLE relations (
    a        TEXT NOT NULL REFERENCES people(id_number),
    b        TEXT NOT NULL REFERENCES people(id_number),
    relation TEXT NOT NULL,
    PRIMARY KEY (a, b)
);

-- Legal-person register (法人库).
CREATE TABLE enterprises (
    uscc      TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    legal_rep TEXT NOT NULL REFERENCES people(id_number),
    region    TEXT NOT NULL,
    address   TEXT NOT NULL
);

CREATE TABLE departments (
    code           TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    region         TEXT NOT NULL,
    api_key_id     TEXT NOT NULL UNIQUE,
    api_public_key BLOB NOT NULL,
    created_at     INTEGER NOT NULL
);

CREATE TABLE seal_keys (
    key_id     TEXT PRIMARY KEY,
    department TEXT NOT NULL REFERENCES departments(code),
    public_key BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE terminals (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('counter', 'kiosk')),
    name             TEXT NOT NULL,
    place            TEXT NOT NULL,
    region           TEXT NOT NULL,
    department       TEXT NOT NULL REFERENCES departments(code),
    enrol_code_hash  BLOB,
    enrol_expires_at INTEGER,
    key_id           TEXT UNIQUE,
    public_key       BLOB,
    active           INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL
);

CREATE TABLE holders (
    id          TEXT PRIMARY KEY,
    id_number   TEXT NOT NULL UNIQUE REFERENCES people(id_number),
    assurance   TEXT NOT NULL,
    enrolled_at INTEGER NOT NULL
);

CREATE TABLE devices (
    key_id     TEXT PRIMARY KEY,
    holder     TEXT NOT NULL REFERENCES holders(id),
    public_key BLOB NOT NULL,
    label      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

-- One-time opaque handles a device puts in its codes instead of any personal data.
CREATE TABLE handles (
    handle    BLOB PRIMARY KEY,
    device    TEXT NOT NULL REFERENCES devices(key_id),
    issued_at INTEGER NOT NULL,
    used_at   INTEGER
);
CREATE INDEX handles_device ON handles(device, used_at);

CREATE TABLE certificates (
    license_id  TEXT PRIMARY KEY,
    type_code   TEXT NOT NULL,
    holder_code TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    issuer_code TEXT NOT NULL REFERENCES departments(code),
    body        TEXT NOT NULL,
    status      TEXT NOT NULL,
    disclosable INTEGER NOT NULL,
    valid_to    TEXT,
    issued_at   INTEGER NOT NULL,
    revoked_reason TEXT
);
CREATE INDEX certificates_holder ON certificates(holder_code, type_code, status);

CREATE TABLE redemptions (
    id           TEXT PRIMARY KEY,
    terminal     TEXT NOT NULL REFERENCES terminals(id),
    kind         TEXT NOT NULL,
    subject_code TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    approver     TEXT NOT NULL REFERENCES holders(id),
    scope_type   TEXT,
    grant_id     TEXT,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);

CREATE TABLE auth_requests (
    id           TEXT PRIMARY KEY,
    redemption   TEXT NOT NULL UNIQUE REFERENCES redemptions(id),
    terminal     TEXT NOT NULL REFERENCES terminals(id),
    subject_code TEXT NOT NULL,
    approver     TEXT NOT NULL REFERENCES holders(id),
    matter       TEXT NOT NULL,
    cert_types   TEXT NOT NULL,
    archive      INTEGER NOT NULL,
    state        TEXT NOT NULL,
    approved     TEXT NOT NULL DEFAULT '[]',
    decision     BLOB,
    grant_id     TEXT,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    decided_at   INTEGER,
    released_at  INTEGER,
    released     TEXT
);
CREATE INDEX auth_requests_approver ON auth_requests(approver, state);

CREATE TABLE login_sessions (
    id           TEXT PRIMARY KEY,
    terminal     TEXT NOT NULL REFERENCES terminals(id),
    state        TEXT NOT NULL,
    holder       TEXT REFERENCES holders(id),
    method       TEXT,
    approval     BLOB,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    logged_in_at INTEGER
);

CREATE TABLE grants (
    id               TEXT PRIMARY KEY,
    principal_kind   TEXT NOT NULL,
    principal_code   TEXT NOT NULL,
    principal_holder TEXT NOT NULL REFERENCES holders(id),
    agent_id_number  TEXT NOT NULL,
    cert_types       TEXT NOT NULL,
    matters          TEXT NOT NULL,
    valid_from       INTEGER NOT NULL,
    valid_to         INTEGER NOT NULL,
    signed           BLOB NOT NULL,
    created_at       INTEGER NOT NULL,
    revoked_at       INTEGER,
    revocation       BLOB
);
CREATE INDEX grants_agent ON grants(agent_id_number);
CREATE INDEX grants_principal ON grants(principal_holder);

-- Audit chain: each entry's hash covers the previous one's.
CREATE TABLE audit (
    seq     INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    prev    BLOB NOT NULL,
    event   TEXT NOT NULL,
    actor   TEXT NOT NULL,
    subject TEXT,
    detail  TEXT NOT NULL,
    hash    BLOB NOT NULL
);
CREATE INDEX audit_subject ON audit(subject);

CREATE TABLE checkpoints (
    seq    INTEGER PRIMARY KEY,
    head   BLOB NOT NULL,
    at     INTEGER NOT NULL,
    signed BLOB NOT NULL
);

-- Objections (异议): a holder disputes a certificate; its issuing department resolves.
CREATE TABLE objections (
    id          TEXT PRIMARY KEY,
    license_id  TEXT NOT NULL REFERENCES certificates(license_id),
    holder_code TEXT NOT NULL,
    raised_by   TEXT NOT NULL REFERENCES holders(id),
    reason      TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('open', 'corrected', 'rejected')),
    resolution  TEXT,
    created_at  INTEGER NOT NULL,
    resolved_at INTEGER
);
CREATE UNIQUE INDEX objections_one_open ON objections(license_id) WHERE state = 'open';
