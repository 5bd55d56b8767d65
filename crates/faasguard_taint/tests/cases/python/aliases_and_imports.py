import subprocess as sp
from os import system as run_shell
from yaml import load as yload
import urllib.request as ur

check = sp.check_output


def handler(event, context):
    v = event.get("value")
    run_shell(v)
    check(v, shell=True)
    yload(v)
    ur.urlopen(v)
    return {"statusCode": 200}
# expect: Command os.system source=10 sink=11 steps=1 part=value
# expect: Command subprocess.check_output source=10 sink=12 steps=1 part=value
# expect: Deserialization yaml.load source=10 sink=13 steps=1 part=value
# expect: Ssrf urllib.request.urlopen source=10 sink=14 steps=1 part=value
