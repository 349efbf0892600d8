evaluate 1+1
