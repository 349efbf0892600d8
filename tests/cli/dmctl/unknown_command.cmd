query-status
