"""Creates an order. Callers need the function key (authLevel function)."""
import json

import azure.functions as func


def main(req: func.HttpRequest) -> func.HttpResponse:
    try:
        order = req.get_json()
    except ValueError:
        return func.HttpResponse("expected a JSON body", status_code=400)
    return func.HttpResponse(json.dumps({"created": order.get("id")}), status_code=201,
                             mimetype="application/json")
