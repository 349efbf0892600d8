restore --bogus
