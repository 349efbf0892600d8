rules ../../data/cfg/bad/task-dangling-route.yaml
