import html

import jinja2

PAGE = jinja2.Template("<h1>Hello {{ name }}</h1>")


def handler(event, context):
    name = event["queryStringParameters"]["name"]
    page = PAGE.render(name=name)
    banner = jinja2.Template("<p>" + html.escape(name) + "</p>").render()
    return {"statusCode": 200, "body": page + banner}
