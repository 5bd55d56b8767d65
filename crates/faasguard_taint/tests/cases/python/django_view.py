from django.db import connection
from django.http import HttpResponse


def orders(request):
    status = request.GET.get("status")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM orders WHERE status = '" + status + "'")
    return HttpResponse("ok")
# expect: Sql cursor.execute source=6 sink=8 steps=1 part=GET.status
