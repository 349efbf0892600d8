eval 'c * 1.5 + 0.001' --table 'CREATE TABLE t (a INT, b VARCHAR(20), c DECIMAL(10,2), d DATE)' --row '{"c": 2.5}'
