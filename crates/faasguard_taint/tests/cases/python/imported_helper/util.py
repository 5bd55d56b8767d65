import subprocess


def run_cmd(cmd):
    subprocess.run(cmd, shell=True)


def build(arg):
    line = "echo " + arg
    run_cmd(line)
    return line
