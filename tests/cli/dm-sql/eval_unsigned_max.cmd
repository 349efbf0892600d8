eval 'u - 1' --table 'CREATE TABLE t (u BIGINT UNSIGNED)' --row '{"u": 18446744073709551615}'
