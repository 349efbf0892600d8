rules rules_task.yaml
