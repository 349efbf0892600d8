rules ../../data/cfg/good/dm-task-advanced.yaml --source mysql-replica-02 --source-config rules_source.yaml
