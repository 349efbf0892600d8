rules rules_task.yaml --source-config rules_source.yaml
