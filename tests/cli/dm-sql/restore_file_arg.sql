-- read from a file named on the command line
CREATE TABLE f (a INT);
DROP TABLE f;
