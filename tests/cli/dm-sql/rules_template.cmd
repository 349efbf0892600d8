rules ../../data/cfg/good/dm-task-advanced.yaml --source mysql-replica-01
