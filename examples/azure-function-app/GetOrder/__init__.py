"""Returns one order. Deliberately callable by anyone (authLevel anonymous)."""
import json
import os

import azure.functions as func


def main(req: func.HttpRequest) -> func.HttpResponse:
    order_id = req.route_params.get("id", "")
    # A real app would query the database named by ORDERS_DB_CONNECTION_STRING.
    order = {"id": order_id, "status": "shipped", "db": bool(os.environ.get("ORDERS_DB_CONNECTION_STRING"))}
    return func.HttpResponse(json.dumps(order), mimetype="application/json")
