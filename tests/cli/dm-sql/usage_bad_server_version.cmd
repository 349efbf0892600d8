restore --server-version ten
