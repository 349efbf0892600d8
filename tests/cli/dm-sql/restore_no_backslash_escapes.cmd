restore --no-backslash-escapes
