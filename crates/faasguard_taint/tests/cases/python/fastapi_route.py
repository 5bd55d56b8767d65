import os

from fastapi import FastAPI, Request
from mangum import Mangum

app = FastAPI()


@app.get("/items/{item_id}")
def read_item(item_id: str, q: str = None):
    os.system("grep " + item_id + " /srv/items")
    return {"item_id": item_id}


@app.post("/raw")
async def raw(request: Request):
    data = await request.json()
    return eval(data["expr"])


handler = Mangum(app)
# expect: Command os.system source=11 sink=11 steps=0 part=item_id
# expect: CodeExecution eval source=17 sink=18 steps=1 part=json()
