-- Which departments handle which matters (事项): a terminal asks only for the matters its
-- department handles. Loaded by the operator (`mz-hub handle-matter`); the demo's government
-- service centres (综合窗口) handle every matter, specialised offices their own.
CREATE TABLE matter_handlers (
    department TEXT NOT NULL REFERENCES departments(code),
    matter     TEXT NOT NULL,
    PRIMARY KEY (department, matter)
);
