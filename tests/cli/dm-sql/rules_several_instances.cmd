rules ../../data/cfg/good/dm-task-advanced.yaml
