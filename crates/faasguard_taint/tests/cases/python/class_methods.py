import subprocess

from django.http import HttpResponse
from django.views import View


class Export(View):
    def run(self, cmd):
        return subprocess.run(cmd, shell=True)

    def build(self, arg):
        return "tar -czf out.tgz " + arg

    def get(self, request):
        self.run(self.build(request.GET["path"]))
        self.run("date")
        return HttpResponse("ok")
# expect: Command subprocess.run source=15 sink=9 steps=2 part=GET.path
