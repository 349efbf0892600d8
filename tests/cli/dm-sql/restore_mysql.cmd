restore --mysql
