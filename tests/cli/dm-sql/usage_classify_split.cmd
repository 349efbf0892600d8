classify --split
