import helpers.shell
import util


def handler(event, context):
    util.run_cmd(event["cmd"])
    helpers.shell.execute(event["other"])
    return {"statusCode": 200}
# expect: Command subprocess.run source=6 sink=util.py:5 steps=1 part=cmd
# expect: Command os.popen source=7 sink=shell.py:5 steps=1 part=other
