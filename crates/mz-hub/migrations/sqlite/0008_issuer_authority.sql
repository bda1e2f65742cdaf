-- Which certificate types each department may issue (issuer authority): a department issues
-- only the types listed for it here. Loaded by the operator (`mz-hub department allow-issue`)
-- and, for the demo, from what each demo department issues.
CREATE TABLE issuable (
    department TEXT NOT NULL REFERENCES departments(code),
    type_code  TEXT NOT NULL,
    PRIMARY KEY (department, type_code)
);
