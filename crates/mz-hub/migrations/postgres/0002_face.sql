-- Face verification (实人) and applications filed for someone else (代办).

-- Reference photos of the population register, with the embedding computed once from each.
CREATE TABLE person_photos (
    id_number  TEXT PRIMARY KEY REFERENCES people(id_number),
    photo      BYTEA NOT NULL,
    embedding  BYTEA,
    updated_at BIGINT NOT NULL
);

-- Applications for a matter, filed by the person or by an agent for them.
CREATE TABLE applications (
    id          TEXT PRIMARY KEY,
    matter      TEXT NOT NULL,
    applicant   TEXT NOT NULL REFERENCES people(id_number),
    agent       TEXT REFERENCES holders(id),
    department  TEXT NOT NULL REFERENCES departments(code),
    state       TEXT NOT NULL CHECK (state IN ('awaiting_face', 'filed')),
    released    TEXT NOT NULL DEFAULT '[]',
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    filed_at    BIGINT
);

-- A live face check: the poses asked for, whose face, who asked and why. Frames are never
-- stored; the decision and its figures go to the audit chain.
CREATE TABLE face_challenges (
    id          TEXT PRIMARY KEY,
    purpose     TEXT NOT NULL CHECK (purpose IN ('enrol', 'proxy', 'counter')),
    subject     TEXT NOT NULL REFERENCES people(id_number),
    requester   TEXT NOT NULL,
    application TEXT REFERENCES applications(id),
    steps       TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('open', 'passed', 'refused')),
    attempts    BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    decided_at  BIGINT
);

CREATE UNIQUE INDEX applications_filed_once ON applications(matter, applicant) WHERE state = 'filed';
CREATE INDEX applications_agent ON applications(agent);
