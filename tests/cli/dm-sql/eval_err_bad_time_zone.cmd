eval 1 --time-zone 5
