-- Departments' staff consoles (部门工作台) are terminals of kind 'console'. SQLite cannot alter a
-- CHECK constraint, and rebuilding the table needs foreign keys off, which a migration's
-- transaction cannot turn off. Widening a CHECK changes nothing stored (every existing row
-- passes the wider one), so the table's definition is edited in place, as SQLite's
-- documentation allows for such changes ("Making Other Kinds Of Table Schema Changes").
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (kind IN (''counter'', ''kiosk''))', 'CHECK (kind IN (''counter'', ''kiosk'', ''console''))')
 WHERE type = 'table' AND name = 'terminals';
PRAGMA writable_schema = RESET;
