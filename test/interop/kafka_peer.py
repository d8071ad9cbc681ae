"""A Kafka peer that is not kafkajs: librdkafka through confluent-kafka, as an upstream CRM
connector or an internal consumer written in another language would use it.

Reads one JSON command on stdin and prints one JSON result on stdout:
  produce: {"command": "produce", "bootstrap": str, "steps": [step]}
    step: {"topic": str, "config": {librdkafka producer settings}, "transaction": null | "commit" | "abort",
           "records": [{"key": str | null, "value": str | null, "valueBase64": str, "valuePadTo": int,
                        "headers": [[name, text], ...]}]}
    -> {"delivered": [{"step", "index", "topic", "partition", "offset"}], "errors": [str]}
  consume: {"command": "consume", "bootstrap": str, "topics": [physical topic], "topicPrefix": str,
            "group": str, "expect": {physical topic: minimum records}, "timeoutS": number, "asyncapi": path}
    -> {"records": [{"topic", "partition", "offset", "key", "headers", "type", "problems": [str]}],
        "counts": {topic: n}, "timedOut": bool}
Every record read is checked against the AsyncAPI document: the value is a UTF-8 JSON envelope
valid against its message's payload schema, the key is the field the message names
(x-kafka-key), and the headers event-type / event-id match the envelope.
"""

import base64
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer
from jsonschema import Draft202012Validator


def record_value(record):
    if "valueBase64" in record:
        return base64.b64decode(record["valueBase64"])
    value = record.get("value")
    if value is None:
        return None
    data = value.encode("utf-8")
    pad_to = record.get("valuePadTo")
    if pad_to:
        data = data + b" " * (pad_to - len(data))
    return data


def produce(command):
    delivered, errors = [], []
    for step_index, step in enumerate(command["steps"]):
        config = {"bootstrap.servers": command["bootstrap"], "message.max.bytes": 1048588, **step.get("config", {})}
        transaction = step.get("transaction")
        if transaction:
            config["transactional.id"] = f"interop-{time.time_ns()}-{step_index}"
        producer = Producer(config)
        if transaction:
            producer.init_transactions(30)
            producer.begin_transaction()

        for index, record in enumerate(step["records"]):
            key = record.get("key")
            headers = [(name, text.encode("utf-8")) for name, text in record.get("headers", [])]
            try:
                producer.produce(
                    step["topic"],
                    key=None if key is None else key.encode("utf-8"),
                    value=record_value(record),
                    headers=headers or None,
                    on_delivery=lambda err, msg, i=index, s=step_index: report_indexed(err, msg, s, i, delivered, errors),
                )
            except (KafkaException, BufferError) as e:
                errors.append(f"step {step_index} record {index}: {e}")
        if transaction == "commit":
            producer.commit_transaction(30)
        elif transaction == "abort":
            producer.flush(30)
            producer.abort_transaction(30)
        remaining = producer.flush(30)
        if remaining:
            errors.append(f"step {step_index}: {remaining} record(s) not delivered within 30 s")
    return {"delivered": delivered, "errors": errors}


def report_indexed(err, msg, step_index, index, delivered, errors):
    if err is not None:
        errors.append(f"step {step_index} record {index}: {err}")
        return
    delivered.append({"step": step_index, "index": index, "topic": msg.topic(), "partition": msg.partition(), "offset": msg.offset()})


def asyncapi_checker(path):
    doc = json.load(open(path, encoding="utf-8"))
    messages = doc["components"]["messages"]

    def validator_for(message):
        # "#/components/schemas/X" references resolve against the schema's own root.
        return Draft202012Validator({**message["payload"], "components": doc["components"]})

    validators = {name: validator_for(m) for name, m in messages.items() if name != "dead-letter"}

    def check(key, headers, value):
        problems = []
        try:
            envelope = json.loads(value.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            return None, [f"value is not UTF-8 JSON: {e}"]
        event_type = envelope.get("type")
        message = messages.get(event_type)
        if message is None:
            return event_type, [f"type {event_type!r} is not a message of the AsyncAPI document"]
        for error in validators[event_type].iter_errors(envelope):
            problems.append(f"payload: {'/'.join(str(p) for p in error.absolute_path)}: {error.message}")
        field = message.get("x-kafka-key", "")
        if field.startswith("data."):
            expected = (envelope.get("data") or {}).get(field[len("data."):])
            if key != expected:
                problems.append(f"key {key!r} is not {field} = {expected!r}")
        else:
            problems.append(f"message {event_type} names no key field (x-kafka-key)")
        if headers.get("event-type") != event_type:
            problems.append(f"header event-type {headers.get('event-type')!r} is not {event_type!r}")
        if headers.get("event-id") != envelope.get("id"):
            problems.append(f"header event-id {headers.get('event-id')!r} is not the envelope id {envelope.get('id')!r}")
        return event_type, problems

    return check


def consume(command):
    check = asyncapi_checker(command["asyncapi"])
    consumer = Consumer(
        {
            "bootstrap.servers": command["bootstrap"],
            "group.id": command["group"],
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "isolation.level": "read_committed",
        }
    )
    consumer.subscribe(command["topics"])
    expect = command.get("expect", {})
    counts = {t: 0 for t in command["topics"]}
    records = []
    deadline = time.time() + command.get("timeoutS", 60)
    timed_out = False
    while any(counts[t] < n for t, n in expect.items()):
        if time.time() > deadline:
            timed_out = True
            break
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            records.append({"topic": msg.topic(), "problems": [f"consumer error: {msg.error()}"]})
            continue
        key = None if msg.key() is None else msg.key().decode("utf-8", errors="replace")
        headers = {name: value.decode("utf-8", errors="replace") for name, value in (msg.headers() or [])}
        event_type, problems = check(key, headers, msg.value() or b"")
        counts[msg.topic()] = counts.get(msg.topic(), 0) + 1
        records.append(
            {"topic": msg.topic(), "partition": msg.partition(), "offset": msg.offset(), "key": key,
             "headers": headers, "type": event_type, "problems": problems}
        )
    consumer.close()
    return {"records": records, "counts": counts, "timedOut": timed_out}


def main():
    command = json.load(sys.stdin)
    if command["command"] == "produce":
        result = produce(command)
    elif command["command"] == "consume":
        result = consume(command)
    else:
        raise SystemExit(f"unknown command {command['command']!r}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
