"""A deliberately tiny invoice renderer (a real one would use a PDF library)."""


def render_invoice(order):
    if "total" not in order:
        raise ValueError("order has no total")
    lines = [
        "%PDF-1.4",
        f"% invoice for order {order['order_id']['S']}",
        f"% total {order['total']['N']} {order['currency']['S']}",
    ]
    return "\n".join(lines).encode("utf-8")
