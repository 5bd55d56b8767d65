import os

from jinja2 import Environment

env = Environment()
TEMPLATE = os.environ.get("TEMPLATE", "<h1>{{ title }}</h1>")


def handler(event, context):
    page = env.from_string(TEMPLATE).render(title=event["title"])
    return {"statusCode": 200, "body": page}
