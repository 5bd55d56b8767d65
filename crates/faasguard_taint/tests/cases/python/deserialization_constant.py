import pickle

with open("/opt/model.pkl", "rb") as f:
    MODEL = pickle.load(f)


def handler(event, context):
    cached = pickle.loads(b"\x80\x04K\x01.")
    return {"statusCode": 200, "body": str((MODEL, cached))}
