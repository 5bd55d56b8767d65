import defusedxml.ElementTree as SafeET
from lxml import etree

PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def handler(event, context):
    doc = etree.fromstring(event["body"].encode(), parser=PARSER)
    other = SafeET.fromstring(event["body"])
    return {"statusCode": 200, "body": doc.tag + other.tag}
