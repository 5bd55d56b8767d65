import os


def execute(line):
    out = os.popen(line)
    return out.read()
