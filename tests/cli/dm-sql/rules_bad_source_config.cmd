rules rules_task.yaml --source-config ../../data/cfg/bad/source-filter-bad-event.yaml
