"""Meridian's moto launcher: moto's own server app, with DynamoDB serialized.

Why this exists: moto's DynamoDB backend is not thread-safe. Its conditional
writes evaluate the condition and then write without any lock, so concurrent
requests interleave (two ``attribute_not_exists`` puts both win, a guarded
decrement oversells). Real DynamoDB applies each single-item write atomically,
so every DynamoDB and DynamoDB Streams request is handled under one global
lock here. Other services keep moto's normal thread-per-request concurrency.

Contract (relied on by dev.meridian.testkit.emulator.MotoServer):
  * binds 127.0.0.1 only; ``--port 0`` picks a free port;
  * prints exactly one stdout line ``MOTO_READY port=<port>`` once the
    listening socket is bound (connections queue from then on);
  * exits 0 on SIGTERM/SIGINT, and on stdin EOF with ``--exit-on-stdin-eof``
    (so a parent JVM that dies without cleaning up does not leak the server);
  * exits 3 with an install hint on stderr when moto[server] is not importable.
"""
import argparse
import faulthandler
import io
import logging
import os
import signal
import sys
import threading
import time

MISSING_EXIT_CODE = 3
SLOW_REQUEST_SECONDS = 1.0

# Backends (as resolved by moto's dispatcher) that share DynamoDB table state.
# moto_api is included so /moto-api/reset never runs in the middle of a write.
SERIALIZED_SERVICES = {"dynamodb", "dynamodbstreams", "dynamodb_v20111205", "moto_api"}
SERIALIZED_TARGET_PREFIXES = ("DynamoDB_", "DynamoDBStreams_")


def _buffer_request_body(environ):
    """Read the whole request body before any lock is taken.

    moto reads the body while it handles the request, so under the DynamoDB lock (and, for
    unsigned requests, under its dispatcher's lock). A client that stalls halfway through sending
    then held every other DynamoDB caller: a GetItem once held the lock 425 s. Reading first
    confines a slow client to its own thread.
    """
    started = time.monotonic()
    stream = environ.get("wsgi.input")
    if stream is None:
        return
    length = environ.get("CONTENT_LENGTH")
    if length:
        body = stream.read(int(length))
    elif environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    took = time.monotonic() - started
    if took > SLOW_REQUEST_SECONDS:
        print(f"moto: slow client: {took * 1000:.0f} ms to send a {len(body)}-byte body", file=sys.stderr, flush=True)


def _answer_write_meter(environ, start_response):
    """GET: the write units metered so far, per region; DELETE: start again from zero."""
    import json

    if environ.get("REQUEST_METHOD") == "DELETE":
        METER.reset()
    body = json.dumps({"regions": METER.snapshot()}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


class SerializedDynamoDb:
    """WSGI wrapper around moto's DomainDispatcherApplication."""

    def __init__(self, dispatcher):
        self.dispatcher = dispatcher
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == WRITE_METER_PATH:
            return _answer_write_meter(environ, start_response)
        _buffer_request_body(environ)
        # Same two steps as DomainDispatcherApplication.__call__, split so the
        # resolved backend decides whether the request needs the lock.
        app = self.dispatcher.get_application(environ)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if getattr(app, "service", None) not in SERIALIZED_SERVICES and not target.startswith(
            SERIALIZED_TARGET_PREFIXES
        ):
            return app(environ, start_response)
        waited = time.monotonic()
        with self.lock:
            started = time.monotonic()
            METER.replicated_request = environ.get(REPLICATED_WRITE_HEADER) == "true"
            result = app(environ, start_response)
            # Drain the body inside the lock: a lazily generated body could
            # still be reading table state after we release it.
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
            held = time.monotonic() - started
        if held > SLOW_REQUEST_SECONDS:
            # Every other DynamoDB caller waited this long: worth a line for whoever debugs a stall.
            print(
                f"moto: slow DynamoDB request {target or environ.get('PATH_INFO')} held the lock {held * 1000:.0f} ms"
                f" (waited {(started - waited) * 1000:.0f} ms for it)",
                file=sys.stderr,
                flush=True,
            )
        return [body]


def _cache_jsonpath_parsing():
    """Parse each JSONPath once.

    For every event it delivers to a target, moto's EventBridge evaluates eight JSONPath
    expressions, and jsonpath_ng builds a new LALR parser for each parse (about 12 ms of CPU on a
    quiet machine, far more under contention). Holding the GIL that long per event starved every
    DynamoDB request: a 3-region stack stalled while seeding. Parsed paths are immutable
    expression trees, so sharing them is safe.
    """
    try:
        import functools

        import jsonpath_ng.ext
    except ImportError:  # moto without EventBridge extras: nothing to speed up
        return
    jsonpath_ng.ext.parse = functools.lru_cache(maxsize=1024)(jsonpath_ng.ext.parse)


def _deliver_events_with_their_account():
    """Deliver the "account" field of an event to rule targets.

    EventBridge delivers the whole event to a target without an input transformer, "account"
    included. moto's default input template leaves it out, so a receiver that checks the account
    (Meridian's reconciler refuses events of another account as forged) saw "" and dead-lettered
    every event of the local stack, which then converged by replication alone.
    """
    try:
        from moto.events.utils import EventTemplateParser
    except ImportError:  # moto without EventBridge: nothing to deliver
        return
    EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE = (
        '{"id": "<id>", "time": <time>, "version": "0", "detail-type": "<detail-type>", "source": "<source>", '
        '"account": "<account>", "region": "<region>", "resources": <resources>, "detail": <detail>}'
    )


def _cache_backend_listing():
    """List moto's service packages once.

    moto's dispatcher lists its package directory (about 150 stat calls, 1 ms) under its own
    global lock to route every request: a fifth of the emulator's capacity at 200 requests a
    second. The installed packages do not change while the server runs.
    """
    from moto import backends

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules


def _back_up_transactions_by_item():
    """Make TransactWriteItems back up the items it touches, not whole tables.

    moto backs up a transaction by deep-copying every table it names, once per item, and rolls a
    failed one back by replacing the table objects with those copies. Two faults follow:
      * cost grows with the table, stream records included (never trimmed): placing an order took
        1.4-2.4 s of moto's lock after ten minutes of a 3-region stack;
      * the replaced table has a new stream shard object, so every shard iterator already handed
        out (replication, the publisher's event source) keeps reading the old one: after the first
        failed transaction (an order meeting its stock condition) a region's stream went silent.
    Here the "copy" remembers the touched items and the stream's length, and the rollback puts
    those items back into the live table and drops the stream records the failed transaction
    wrote. All DynamoDB requests run under one lock, so nothing observes the intermediate state.
    """
    import copy as copy_module

    from moto.dynamodb import models as dynamodb_models
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    class ItemBackup:
        def __init__(self, table, slots):
            self.table = table
            self.items = {slot: copy_module.deepcopy(table.get_item(*slot)) for slot in slots}
            self.stream_length = None if table.stream_shard is None else len(table.stream_shard.items)

        def restore(self):
            table = self.table
            for (hash_value, range_value), item in self.items.items():
                if range_value is None:
                    if item is None:
                        table.items.pop(hash_value, None)
                    else:
                        table.items[hash_value] = item
                elif item is None:
                    table.items.get(hash_value, {}).pop(range_value, None)
                else:
                    table.items[hash_value][range_value] = item
            if self.stream_length is not None:
                del table.stream_shard.items[self.stream_length :]
            return table

    pending = {}  # id(live table) -> ItemBackup, during one transact_write_items call

    class CopyModule:
        """moto's dynamodb models module calls copy.deepcopy(table) for its backup; hand it ours."""

        copy = staticmethod(copy_module.copy)

        @staticmethod
        def deepcopy(value, memo=None):
            if isinstance(value, Table) and id(value) in pending:
                return pending[id(value)]
            return copy_module.deepcopy(value, memo)

    def slots_by_table(backend, transact_items):
        slots = {}
        for entry in transact_items:
            try:
                op_type, op = next(iter(entry.items()))
                table = backend.tables[op["TableName"]]
                key = op["Item"] if op_type == "Put" else op["Key"]
                hash_value = DynamoType(key[table.hash_key_attr])
                range_value = None if table.range_key_attr is None else DynamoType(key[table.range_key_attr])
            except (KeyError, StopIteration, AttributeError, TypeError):
                continue  # malformed: moto rejects it before writing anything for it
            slots.setdefault(op["TableName"], set()).add((hash_value, range_value))
        return slots

    original = dynamodb_models.DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        for name, slots in slots_by_table(self, transact_items).items():
            pending[id(self.tables[name])] = ItemBackup(self.tables[name], slots)
        try:
            return original(self, transact_items)
        finally:
            for name, table in list(self.tables.items()):
                if isinstance(table, ItemBackup):  # moto rolled back: "restore" our backup in place
                    self.tables[name] = table.restore()
            pending.clear()

    dynamodb_models.copy = CopyModule
    dynamodb_models.DynamoDBBackend.transact_write_items = transact_write_items


def _one_stream_record_per_created_item():
    """An UpdateItem that creates its item writes one INSERT record, as DynamoDB does.

    moto creates the item with its key alone, then applies the update, and streams both states:
    a key-only INSERT, then the INSERT of the real item. A replica applying the first briefly
    holds a bare key where an allocation should be, and a reader in that window fails on it (the
    reconciler did). The key-only record is dropped and the real one takes its sequence number.
    """
    from moto.dynamodb import models as dynamodb_models

    original = dynamodb_models.DynamoDBBackend.update_item

    def update_item(self, table_name, key, *args, **kwargs):
        shard = self.get_table(table_name).stream_shard
        before = None if shard is None else len(shard.items)
        item = original(self, table_name, key, *args, **kwargs)
        if before is not None and len(shard.items) == before + 2:
            bare, created = shard.items[before], shard.items[before + 1]
            if bare.record["eventName"] == "INSERT" and created.record["eventName"] == "INSERT":
                created.record["dynamodb"]["SequenceNumber"] = bare.record["dynamodb"]["SequenceNumber"]
                del shard.items[before]
        return item

    dynamodb_models.DynamoDBBackend.update_item = update_item


def _query_reads_one_partition():
    """A Query on a table's key reads that partition, not the whole table.

    moto answers every Query by sorting every item of the table, then keeping the partition's, so
    a Query costs time in proportion to the table: with 3,000 other items, 27.9 ms instead of
    3.5 ms (median of 50 on this machine). DynamoDB reads only the partition. For a Query on the table's own key (not an index)
    of a table with a sort key, moto's query runs unchanged but sees only that partition's items,
    sorted as before; everything after (key conditions, filters, pages, order) is moto's own.
    """
    from moto.dynamodb.models.table import Table

    original = Table.query

    def query(self, hash_key, *args, **kwargs):
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        if index_name is not None or hash_key is None or not self.range_key_attr:
            return original(self, hash_key, *args, **kwargs)
        partition = self.items.get(hash_key, {})
        self.all_items = lambda: sorted(partition.values(), key=lambda item: item.range_key)
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    Table.query = query


WRITE_METER_PATH = "/_meridian/write-units"
REPLICATED_WRITE_HEADER = "HTTP_X_MERIDIAN_REPLICATED_WRITE"


class WriteMeter:
    """Write request units per region, priced as DynamoDB on-demand prices them.

    moto answers ConsumedCapacity with constants, so the drill's cost model could only assume what
    a write costs. Here each item write is metered as DynamoDB bills it: ceil(KB) of the larger of
    the item before and after (at least 1), twice that inside TransactWriteItems (ConditionCheck
    included), and a write refused by its condition still costs what it would have written. Writes
    the global-table stand-in makes (it sends REPLICATED_WRITE_HEADER) are replicated units (rWRU),
    kept apart. Runs under the DynamoDB lock, so the before/after reads see no other request.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.regions = {}
        self.replicated_request = False
        self.transaction_depth = 0

    FIELDS = ("singleItemWrites", "singleWriteUnits", "transactionalItemWrites", "transactionalWriteUnits",
              "replicatedItemWrites", "replicatedWriteUnits")

    def add(self, region, item_kind, units, transactional):
        """item_kind: the partition key's text up to its first '#' (ORDER, STOCK, HEARTBEAT...)."""
        write = "replicated" if self.replicated_request else "transactional" if transactional else "single"
        with self.lock:
            totals = self.regions.setdefault(region, {"byKind": {}})
            for counts in (totals, totals["byKind"].setdefault(item_kind, {})):
                for field in self.FIELDS:
                    counts.setdefault(field, 0)
                counts[write + "ItemWrites"] += 1
                counts[write + "WriteUnits"] += units

    def snapshot(self):
        import copy

        with self.lock:
            return copy.deepcopy(self.regions)

    def reset(self):
        with self.lock:
            self.regions.clear()


METER = WriteMeter()


def _item_kind(table, key_or_item):
    try:
        return str(next(iter(key_or_item[table.hash_key_attr].values()))).split("#", 1)[0]
    except Exception:
        return "other"


def _item_size(table, key_or_item):
    from moto.dynamodb.models.dynamo_type import DynamoType

    try:
        hash_value = DynamoType(key_or_item[table.hash_key_attr])
        range_value = None if table.range_key_attr is None else DynamoType(key_or_item[table.range_key_attr])
        item = table.get_item(hash_value, range_value)
    except Exception:  # malformed key: moto refuses the request, nothing is written
        return None
    return 0 if item is None else item.size()


def _units(before, after):
    largest = max(before or 0, after or 0)
    return max(1, -(-largest // 1024))


def _meter_writes():
    """Wraps moto's single-item writes and TransactWriteItems with the WriteMeter."""
    from moto.dynamodb import models as dynamodb_models

    backend_class = dynamodb_models.DynamoDBBackend

    def metered(original, key_of):
        def write(self, table_name, *args, **kwargs):
            if METER.transaction_depth:
                return original(self, table_name, *args, **kwargs)
            table = self.tables.get(table_name)
            key = key_of(args, kwargs)
            before = None if table is None else _item_size(table, key)
            try:
                return original(self, table_name, *args, **kwargs)
            finally:
                if before is not None:
                    METER.add(self.region_name, _item_kind(table, key), _units(before, _item_size(table, key)),
                              transactional=False)
        return write

    backend_class.put_item = metered(backend_class.put_item, lambda a, k: k.get("item_attrs", a[0] if a else {}))
    backend_class.update_item = metered(backend_class.update_item, lambda a, k: k.get("key", a[0] if a else {}))
    backend_class.delete_item = metered(backend_class.delete_item, lambda a, k: k.get("key", a[0] if a else {}))

    original_transaction = backend_class.transact_write_items

    def transact_write_items(self, transact_items):
        touched = []
        for entry in transact_items:
            try:
                _, op = next(iter(entry.items()))
                table = self.tables[op["TableName"]]
                key = op.get("Item") or op["Key"]
            except (KeyError, StopIteration, AttributeError, TypeError):
                continue
            touched.append((table, key, _item_size(table, key)))
        METER.transaction_depth += 1
        try:
            return original_transaction(self, transact_items)
        finally:
            METER.transaction_depth -= 1
            for table, key, before in touched:
                if before is not None:
                    METER.add(self.region_name, _item_kind(table, key), 2 * _units(before, _item_size(table, key)),
                              transactional=True)

    backend_class.transact_write_items = transact_write_items


def _exit_on_stdin_eof():
    # os.read, not sys.stdin: a daemon thread blocked inside sys.stdin holds its buffer lock,
    # and interpreter shutdown then waits 1 s for it and aborts ("Fatal Python error").
    try:
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    os.kill(os.getpid(), signal.SIGTERM)


_stopping = threading.Event()


def _stop(signum, frame):
    # werkzeug's serve_forever treats KeyboardInterrupt as a clean shutdown
    # and closes the listening socket on the way out. Raised once: a second
    # signal during that shutdown would escape main and exit 130.
    if not _stopping.is_set():
        _stopping.set()
        raise KeyboardInterrupt


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)

    try:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server
    except ImportError as e:
        print(
            f"moto with server extras is not importable by {sys.executable}: {e}. "
            "Install it with: pip install 'moto[server]'",
            file=sys.stderr,
            flush=True,
        )
        return MISSING_EXIT_CODE

    # Per-request access logs cost time and fill the parent's pipe; errors still log.
    logging.getLogger("werkzeug").setLevel(logging.INFO if args.verbose else logging.WARNING)

    # `kill -USR1 <pid>` prints every thread's stack (visible with -Dmeridian.moto.verbose=true): what a stalled emulator is doing.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)

    _cache_jsonpath_parsing()
    _deliver_events_with_their_account()
    _cache_backend_listing()
    _back_up_transactions_by_item()
    _one_stream_record_per_created_item()
    _query_reads_one_partition()
    _meter_writes()
    app = SerializedDynamoDb(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", args.port, app, threaded=True)
    if args.exit_on_stdin_eof:
        threading.Thread(target=_exit_on_stdin_eof, name="stdin-eof", daemon=True).start()
    print(f"MOTO_READY port={server.server_port}", flush=True)
    try:
        server.serve_forever()  # returns (after closing the socket) on SIGTERM/SIGINT
    except KeyboardInterrupt:
        # The signal arrived just before serve_forever took over (or as it returned).
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
