eval 1 --row '{"a": 1}'
