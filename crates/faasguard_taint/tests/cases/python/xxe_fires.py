from lxml import etree


def handler(event, context):
    doc = etree.fromstring(event["body"].encode())
    return {"statusCode": 200, "body": doc.tag}
# expect: Xxe lxml.etree.fromstring source=5 sink=5 steps=0 part=body
