eval 'CASE WHEN a > 10 THEN '"'"'big'"'"' WHEN a > 0 THEN '"'"'small'"'"' ELSE '"'"'none'"'"' END' --table 'CREATE TABLE t (a INT, b VARCHAR(20), c DECIMAL(10,2), d DATE)' --row '{"a": 3}'
