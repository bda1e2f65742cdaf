-- 预归档: a request made with "archive" keeps, at release, the certificates released and the
-- holder's signed decision as the department's archive record, until the catalogue's retention
-- period for the matter ends.
CREATE TABLE archives (
    id           TEXT PRIMARY KEY,
    request      TEXT NOT NULL UNIQUE REFERENCES auth_requests(id),
    department   TEXT NOT NULL REFERENCES departments(code),
    terminal     TEXT NOT NULL REFERENCES terminals(id),
    matter       TEXT NOT NULL,
    subject_code TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    consent      TEXT NOT NULL,
    decision     BYTEA,
    certificates TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    keep_until   BIGINT NOT NULL
);
CREATE INDEX archives_department ON archives(department, created_at);
