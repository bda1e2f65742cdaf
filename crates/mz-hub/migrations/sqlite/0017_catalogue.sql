-- The catalogue is data the region's operators import (`mz-hub catalogue import FILE`): each
-- import is a new version, kept whole. Which departments handle which matters and may issue
-- which types is part of it, so the two tables the operator kept by hand go.
CREATE TABLE catalogues (
    version     BIGINT PRIMARY KEY,
    digest      TEXT NOT NULL,
    body        TEXT NOT NULL,
    imported_at BIGINT NOT NULL
);
-- Every certificate type number a version gave: numbers travel in codes, signed decisions and
-- grants, so one never names another type.
CREATE TABLE type_numbers (
    no   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE
);
DROP TABLE matter_handlers;
DROP TABLE issuable;
