import os

import boto3

orders = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])
