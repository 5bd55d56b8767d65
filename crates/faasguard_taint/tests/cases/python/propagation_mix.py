import json
import os
import subprocess


def handler(event, context):
    body = json.loads(event["body"])
    user, repo = body.get("user"), body["repo"]
    a = "git clone https://github.com/%s/%s" % (user, repo)
    b = "echo {}".format(repo)
    c = "ls " + os.path.join("/tmp", user)
    args = ["tar", "-czf"]
    args.append(user)
    d = "echo "
    d += repo.strip().lower()
    for item in body["items"]:
        os.system("touch " + item)
    os.system(a)
    os.popen(b)
    subprocess.call(c, shell=True)
    subprocess.call(args)
    os.system(d)
    os.system(" ".join(args))
    return {"statusCode": 200}
# expect: Command os.system source=7 sink=17 steps=2 part=body
# expect: Command os.system source=7 sink=18 steps=3 part=body
# expect: Command os.popen source=7 sink=19 steps=3 part=body
# expect: Command subprocess.call source=7 sink=20 steps=3 part=body
# expect: Command os.system source=7 sink=22 steps=3 part=body
# expect: Command os.system source=7 sink=23 steps=3 part=body
