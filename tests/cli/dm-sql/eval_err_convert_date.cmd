eval d --table 'CREATE TABLE t (a INT, b VARCHAR(20), c DECIMAL(10,2), d DATE)' --row '{"d": "2024-02-30"}'
