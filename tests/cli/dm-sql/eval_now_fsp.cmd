eval 'CONCAT(NOW(3), '"'"' / '"'"', UTC_TIMESTAMP(), '"'"' / '"'"', CURDATE(), '"'"' / '"'"', CURTIME(6))' --now '2023-11-15 03:43:20.987654' --time-zone +05:30
