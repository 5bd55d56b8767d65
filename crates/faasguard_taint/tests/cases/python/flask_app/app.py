import os
import sqlite3

import serverless_wsgi
from flask import Flask, redirect, render_template_string, request

app = Flask(__name__)


@app.route("/search")
def search():
    q = request.args.get("q", "")
    db = sqlite3.connect("/tmp/db")
    db.execute(f"SELECT * FROM items WHERE name LIKE '%{q}%'")
    return render_template_string("<p>" + request.form["title"] + "</p>")


@app.route("/go")
def go():
    return redirect(request.args["next"])


@app.route("/files/<name>")
def files(name):
    return open(os.path.join("/srv", name)).read()


@app.post("/ping")
def ping():
    data = request.get_json()
    os.system("ping " + data["host"])
    return "ok"


def handler(event, context):
    return serverless_wsgi.handle_request(app, event, context)
# expect: Sql db.execute source=12 sink=14 steps=1 part=args.q
# expect: Template flask.render_template_string source=15 sink=15 steps=0 part=form.title
# expect: OpenRedirect flask.redirect source=20 sink=20 steps=0 part=args.next
# expect: Path open source=25 sink=25 steps=0 part=name
# expect: Command os.system source=30 sink=31 steps=1 part=get_json()
