def save(client, key):
    client.put_object(Bucket="b", Key=key)


def unused(client):
    client.get_object(Bucket="b", Key="k")
