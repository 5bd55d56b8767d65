from a import back


def relay(c, n):
    c.head_object(Bucket="b", Key=str(n))
    back(c, n)
