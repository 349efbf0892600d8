restore --log-level loud
