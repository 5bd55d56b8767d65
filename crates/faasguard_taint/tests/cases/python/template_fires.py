import jinja2

env = jinja2.Environment()


def handler(event, context):
    greeting = event["queryStringParameters"]["greeting"]
    page = jinja2.Template("<h1>" + greeting + "</h1>").render()
    other = env.from_string(greeting).render()
    return {"statusCode": 200, "body": page + other}
# expect: Template jinja2.Template source=7 sink=8 steps=1 part=queryStringParameters.greeting
# expect: Template jinja2.Environment().from_string source=7 sink=9 steps=1 part=queryStringParameters.greeting
