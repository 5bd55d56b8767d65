import subprocess


class Runner:
    def __init__(self, prefix):
        self.prefix = prefix

    def run(self, arg):
        return subprocess.run(self.prefix + arg, shell=True)

    def run_fixed(self, arg):
        return subprocess.run(["ls", arg])


runner = Runner("ls ")


def handler(event, context):
    runner.run(event["body"])
    runner.run_fixed(event["body"])
    local = Runner("cat ")
    local.run(event["path"])
    return {"statusCode": 200}
# expect: Command subprocess.run source=19 sink=9 steps=1 part=body
# expect: Command subprocess.run source=22 sink=9 steps=1 part=path
