def enqueue(queue, body):
    queue.send_message(MessageBody=body)
