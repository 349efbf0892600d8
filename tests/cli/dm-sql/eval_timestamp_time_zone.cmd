eval ts --table 'CREATE TABLE t (ts TIMESTAMP NULL)' --row '{"ts": "2024-06-01 12:30:00"}' --time-zone +05:30
