from lxml import etree

TEMPLATE = "<config><mode>fast</mode></config>"


def handler(event, context):
    doc = etree.fromstring(TEMPLATE)
    return {"statusCode": 200, "body": doc.tag}
