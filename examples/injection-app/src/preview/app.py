"""GET /preview?key=shared/...&page=0&width=800

Renders one page of a shared document as a PNG for the file browser. The
route is public: share links are opened before anyone signs in.
"""

import base64
import json
import logging
import os
import subprocess

import boto3

logger = logging.getLogger()
logger.setLevel(logging.INFO)

s3 = boto3.client("s3")
BUCKET = os.environ["UPLOAD_BUCKET"]
WORK_DIR = "/tmp/preview"


def _response(status, body, content_type="application/json", binary=False):
    return {
        "statusCode": status,
        "headers": {"Content-Type": content_type, "Cache-Control": "max-age=300"},
        "body": body,
        "isBase64Encoded": binary,
    }


def render_page(source, page, width):
    """Renders `page` of `source` with ImageMagick; returns the PNG bytes."""
    target = os.path.join(WORK_DIR, "page.png")
    # ImageMagick wants "file[page]", quoted for the shell.
    cmd = f"convert -density 150 '{source}[{page}]' -resize {width}x -strip {target}"
    subprocess.run(cmd, shell=True, check=True, timeout=20)
    with open(target, "rb") as fh:
        return fh.read()


def handler(event, context):
    params = event.get("queryStringParameters") or {}
    key = params.get("key", "")
    page = int(params.get("page", "0"))
    width = params.get("width", "800")
    if not key.startswith("shared/"):
        return _response(403, json.dumps({"error": "not a shared document"}))

    os.makedirs(WORK_DIR, exist_ok=True)
    source = os.path.join(WORK_DIR, "source")
    try:
        s3.download_file(BUCKET, key, source)
        png = render_page(source, page, width)
    except Exception as e:
        logger.exception("preview of %s failed", key)
        return _response(500, json.dumps({"error": str(e)}))
    return _response(200, base64.b64encode(png).decode("ascii"), "image/png", binary=True)
