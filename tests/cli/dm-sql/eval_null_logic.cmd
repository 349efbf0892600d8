eval 'CONCAT_WS('"'"','"'"', NULL OR a > 1, NULL AND 0, NOT NULL, a XOR NULL)' --table 'CREATE TABLE t (a INT, b VARCHAR(20), c DECIMAL(10,2), d DATE)' --row '{"a": 5}'
