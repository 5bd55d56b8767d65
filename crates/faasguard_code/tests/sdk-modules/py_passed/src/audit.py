def write(db, entry):
    db.put_item(TableName="audit", Item=entry)
