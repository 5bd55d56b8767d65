import os


def store_receipt(client, order_id):
    client.put_object(Bucket=os.environ["RECEIPTS"], Key=f"r/{order_id}.json", Body=b"{}")
