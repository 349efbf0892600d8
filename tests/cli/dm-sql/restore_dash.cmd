restore -
