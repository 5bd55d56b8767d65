import os

from chalice import Chalice

app = Chalice(app_name="demo")


@app.route("/run", methods=["POST"])
def run():
    body = app.current_request.json_body
    os.system(body["cmd"])
    return {"ok": True}
# expect: Command os.system source=10 sink=11 steps=1 part=json_body
