-- Departments' staff consoles (部门工作台) are terminals of kind 'console'.
ALTER TABLE terminals DROP CONSTRAINT terminals_kind_check;
ALTER TABLE terminals ADD CONSTRAINT terminals_kind_check CHECK (kind IN ('counter', 'kiosk', 'console'));
