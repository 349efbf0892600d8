restore --split
