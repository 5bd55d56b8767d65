def save(name, data):
    with open("/tmp/" + name, "w") as f:
        f.write(data)
