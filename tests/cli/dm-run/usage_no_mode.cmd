task.yaml
