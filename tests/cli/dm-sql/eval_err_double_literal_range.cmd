eval '1e400 > 0'
