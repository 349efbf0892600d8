eval '0.1e0 + 0.2e0'
