"""A Writer that follows only Writer's published documentation.

The Knowledge Graph, File and application-graphs endpoints of Writer's public
API (https://api.writer.com), written from Writer's API reference and the
types of its official Python SDK (`writer-sdk`, `src/writerai/types/`,
`resources/`, `pagination.py`), independently of this project's emulator
(`src/emulator/`, which it neither reads nor imports). Wherever the published
contract leaves a choice, this server takes the one the project's emulator
does not, so that a client passing against both depends on the contract
only: see README.md next to this file for the list.

Python 3 standard library only. Usage:

    python3 writer.py --api-key-file PATH [--web-graph NAME]... [--chat-agent NAME]...
                      [--team-graph NAME]... [--polls-to-settle N] [--rate-limit-every N]

Listens on 127.0.0.1:0 and prints, flushed, `published-writer listening on
http://127.0.0.1:PORT`, then one line per seed in the order given:
`seeded web graph "NAME" id=ID`, `seeded chat agent "NAME" id=ID`,
`seeded team graph "NAME" id=ID`. Exits on SIGTERM or SIGINT, and when its
stdin closes; uploaded files live in a temporary folder removed on exit.
"""

import argparse
import datetime
import http.server
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import urllib.parse
import uuid

# The largest JSON request body taken; more is a 413.
MAX_JSON_BYTES = 1024 * 1024
# How much of an upload is read or written at a time: never the whole file.
CHUNK = 64 * 1024
# Writer's page sizes: default 50, at most 100.
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
# The longest name or description, in characters.
MAX_TEXT = 255
URL_TYPES = ("single_page", "sub_pages")
FILE_STATUSES = ("in_progress", "completed", "failed")
# Test seams, by name: a URL whose host ends so is read as Writer's web
# connector would fail to read it; a file whose name holds the marker fails
# processing.
URL_ERROR_HOSTS = (
    (".unreadable.example", "paywall_or_login_page"),
    (".missing.example", "not_found"),
    (".unindexed.example", "not_searchable"),
)
FAILING_FILE_MARKER = ".unprocessable."


def now():
    """A timestamp as Writer's docs allow: RFC 3339 with fractional seconds and `+00:00`."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds")


class ApiError(Exception):
    """An answer other than 200: status, Writer's error body, extra headers."""

    def __init__(self, status, tpe, key, description, extras=None, entry_extras=None, headers=()):
        super().__init__(description)
        self.status = status
        self.body = {
            "tpe": tpe,
            "errors": [{"description": description, "key": key, "extras": entry_extras}],
            "extras": extras,
        }
        self.headers = list(headers)


def not_found(what, ident):
    # `tpe` in the word style here, `fail.*` elsewhere: both are seen.
    return ApiError(404, "NotFound", f"{what}.not_found", f"{what.capitalize()} not found: {ident}", extras=None)


def invalid(description, field=None):
    return ApiError(
        400,
        "fail.validation",
        "fail.validation",
        description,
        extras="Bad request",
        entry_extras={"field": field} if field else None,
    )


class State:
    """Everything the server knows, behind one lock."""

    def __init__(self, polls_to_settle, folder):
        self.lock = threading.Lock()
        self.polls_to_settle = polls_to_settle
        self.folder = folder
        self.seq = 0
        self.graphs = {}
        self.files = {}
        self.apps = {}
        # The order key of every object ever made, deleted ones included, so
        # that a cursor naming a deleted object still means a place.
        self.places = {}

    def next_seq(self, ident):
        self.seq += 1
        self.places[ident] = self.seq
        return self.seq

    # ---- graphs ----

    def new_graph(self, name, description=None, kind="manual", hidden=False):
        ident = str(uuid.uuid4())
        graph = {
            "id": ident,
            "seq": self.next_seq(ident),
            "created_at": now(),
            "updated_at": None,
            "name": name,
            "description": description,
            "type": kind,
            "urls": [],
            "hidden": hidden,
        }
        graph["updated_at"] = graph["created_at"]
        self.graphs[ident] = graph
        return graph

    def visible_graph(self, ident):
        graph = self.graphs.get(ident)
        if graph is None or graph["hidden"]:
            # A graph deployed to one team is just not there for the API.
            raise not_found("graph", ident)
        return graph

    def observe_graph(self, graph):
        """A read of the graph (`GET /v1/graphs/{id}`; a list does not
        count): each URL still validating moves one step on."""
        for url in graph["urls"]:
            if url["status"]["status"] == "validating":
                if url["polls"] < self.polls_to_settle:
                    url["polls"] += 1
                else:
                    url["status"] = settled_url_status(url["url"])

    def urls_value(self, graph, shape_key):
        """`urls` as Writer may send an empty list: `null`, absent or `[]`."""
        if graph["urls"]:
            return [public_url(u) for u in graph["urls"]]
        return ("null", "absent", "empty")[shape_key % 3]

    def graph_answer(self, graph, full):
        """A graph: `full` as GET sends it (`type`, `file_status`), else as
        create and update send it (neither). An unset description is absent."""
        out = {
            "id": graph["id"],
            "created_at": graph["created_at"],
            "name": graph["name"],
            # Fields the SDK's types do not know: a client must ignore them.
            "updated_at": graph["updated_at"],
            "object": "graph",
        }
        if graph["description"] is not None:
            out["description"] = graph["description"]
        urls = self.urls_value(graph, graph["seq"] + (0 if full else 1))
        if urls == "null":
            out["urls"] = None
        elif urls == "empty":
            out["urls"] = []
        elif urls != "absent":
            out["urls"] = urls
        if full:
            out["type"] = graph["type"]
            counts = {"in_progress": 0, "completed": 0, "failed": 0}
            for f in self.files.values():
                if graph["id"] in f["graph_ids"]:
                    counts[f["status"]] = counts.get(f["status"], 0) + 1
            counts["total"] = sum(1 for f in self.files.values() if graph["id"] in f["graph_ids"])
            out["file_status"] = counts
        return out

    # ---- files ----

    def observe_file(self, f):
        """A read of the file (`GET /v1/files/{id}`; a list does not count):
        one step further in processing."""
        if f["status"] == "in_progress":
            if f["polls"] < self.polls_to_settle:
                f["polls"] += 1
            else:
                f["status"] = "failed" if FAILING_FILE_MARKER in f["name"] else "completed"

    def file_answer(self, f, graph_ids=None):
        return {
            "id": f["id"],
            "created_at": f["created_at"],
            "name": f["name"],
            "graph_ids": list(f["graph_ids"]) if graph_ids is None else graph_ids,
            "status": f["status"],
            # Unknown to the SDK's `File`.
            "size": f["size"],
            "object": "file",
        }

    def visible_file(self, ident):
        f = self.files.get(ident)
        if f is None:
            raise not_found("file", ident)
        return f

    def drop_file(self, f):
        del self.files[f["id"]]
        try:
            os.remove(f["path"])
        except OSError:
            pass

    # ---- pages ----

    def page(self, items, query, answer):
        """A cursor page of `items` (objects with `id` and `seq`) as the
        published list calls answer: `limit` 1..100 (default 50), `order`
        desc by default, `after` / `before` an ID; `{data, has_more}` only."""
        limit = query_int(query, "limit", DEFAULT_LIMIT)
        if not 1 <= limit <= MAX_LIMIT:
            raise invalid(f"limit must be between 1 and {MAX_LIMIT}, not {limit}", "limit")
        order = query_one(query, "order") or "desc"
        if order not in ("asc", "desc"):
            raise invalid(f"order must be asc or desc, not {order!r}", "order")
        desc = order == "desc"
        ordered = sorted(items, key=lambda o: o["seq"], reverse=desc)
        after, before = query_one(query, "after"), query_one(query, "before")
        if after and before:
            raise invalid("give after or before, not both", "after")

        def place(cursor, field):
            if cursor not in self.places:
                raise invalid(f"{field} names no object: {cursor}", field)
            return self.places[cursor]

        if after:
            at = place(after, "after")
            rest = [o for o in ordered if (o["seq"] < at if desc else o["seq"] > at)]
            chosen, has_more = rest[:limit], len(rest) > limit
        elif before:
            at = place(before, "before")
            earlier = [o for o in ordered if (o["seq"] > at if desc else o["seq"] < at)]
            chosen, has_more = earlier[-limit:], len(earlier) > limit
        else:
            chosen, has_more = ordered[:limit], len(ordered) > limit
        return {"data": [answer(o) for o in chosen], "has_more": has_more, "object": "list"}


def settled_url_status(url):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return {"status": "error", "error_type": "invalid_url"}
    host = parts.hostname.lower()
    for suffix, error_type in URL_ERROR_HOSTS:
        if host.endswith(suffix):
            return {"status": "error", "error_type": error_type}
    # Success: `error_type` absent, not null.
    return {"status": "success"}


def public_url(u):
    out = {"url": u["url"], "type": u["type"], "status": dict(u["status"])}
    if u["exclude_urls"] is not None:
        out["exclude_urls"] = list(u["exclude_urls"])
    return out


def query_one(query, name):
    values = query.get(name)
    return values[-1] if values else None


def query_int(query, name, default):
    text = query_one(query, name)
    if text is None or text == "":
        return default
    try:
        return int(text)
    except ValueError:
        raise invalid(f"{name} must be an integer, not {text!r}", name) from None


# ---- Content-Disposition (RFC 6266, with RFC 5987/8187 extended values) ----


def disposition_params(value):
    """The parameters of a Content-Disposition value, names lower-cased."""
    params = {}
    i, n = 0, len(value)
    # Skip the disposition type.
    while i < n and value[i] != ";":
        i += 1
    while i < n:
        i += 1  # the ';'
        while i < n and value[i] in " \t":
            i += 1
        start = i
        while i < n and value[i] not in "=;":
            i += 1
        name = value[start:i].strip().lower()
        if i >= n or value[i] == ";":
            continue
        i += 1  # '='
        while i < n and value[i] in " \t":
            i += 1
        if i < n and value[i] == '"':
            i += 1
            out = []
            while i < n and value[i] != '"':
                if value[i] == "\\" and i + 1 < n:
                    i += 1
                out.append(value[i])
                i += 1
            i += 1  # closing quote
            text = "".join(out)
            while i < n and value[i] != ";":
                i += 1
        else:
            start = i
            while i < n and value[i] != ";":
                i += 1
            text = value[start:i].strip()
        if name and name not in params:
            params[name] = text
    return params


def extended_value(text):
    """`charset'language'pct-encoded` (RFC 8187) decoded, or None."""
    parts = text.split("'", 2)
    if len(parts) != 3:
        return None
    charset = parts[0].strip().lower()
    if charset not in ("utf-8", "iso-8859-1"):
        return None
    try:
        return urllib.parse.unquote(parts[2], encoding=charset, errors="strict")
    except (UnicodeDecodeError, LookupError):
        return None


def file_name(disposition):
    """The file's name from Content-Disposition: `filename*` wins over `filename`."""
    if not disposition:
        return None
    params = disposition_params(disposition)
    if "filename*" in params:
        name = extended_value(params["filename*"])
        if name:
            return name
    name = params.get("filename")
    if name:
        # http.server decodes header bytes as Latin-1: raw UTF-8 names (not
        # RFC conformant, but common) are taken as UTF-8.
        try:
            name = name.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
        return name
    return None


# ---- HTTP ----


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self):
        return "published-writer"

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        if self.server.verbose:
            super().log_message(format, *args)

    # -- the request body: Content-Length or chunked, read in pieces --

    def body_chunks(self):
        if getattr(self, "_body_read", False):
            return
        self._body_read = True
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            while True:
                line = self.rfile.readline(1024)
                if not line:
                    raise ConnectionError("the body ended early")
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return
                left = size
                while left:
                    piece = self.rfile.read(min(left, CHUNK))
                    if not piece:
                        raise ConnectionError("the body ended early")
                    left -= len(piece)
                    yield piece
                self.rfile.readline(1024)
        else:
            left = int(self.headers.get("Content-Length") or 0)
            while left > 0:
                piece = self.rfile.read(min(left, CHUNK))
                if not piece:
                    raise ConnectionError("the body ended early")
                left -= len(piece)
                yield piece

    def drain(self):
        try:
            for _ in self.body_chunks():
                pass
        except (ConnectionError, ValueError, OSError):
            self.close_connection = True

    def json_body(self):
        data = bytearray()
        for piece in self.body_chunks():
            data += piece
            if len(data) > MAX_JSON_BYTES:
                self.close_connection = True
                raise ApiError(413, "fail.payload_too_large", "payload_too_large", "Payload too large")
        if not data.strip():
            return {}
        try:
            body = json.loads(data)
        except ValueError:
            raise invalid("the body is not JSON") from None
        if not isinstance(body, dict):
            raise invalid("the body must be a JSON object")
        return body

    # -- answers --

    def send_json(self, status, value, headers=()):
        self.drain()
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, v in headers:
            self.send_header(name, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def handle_one(self):
        self._body_read = False
        state = self.server.state
        try:
            with state.lock:
                self.server.requests += 1
                count = self.server.requests
            every = self.server.rate_limit_every
            if every and count % every == 0:
                raise ApiError(
                    429,
                    "fail.rate_limit",
                    "rate_limit_exceeded",
                    "Too many requests: at most 400 a minute",
                    extras="Rate limit exceeded",
                    headers=[("Retry-After", "1")],
                )
            auth = self.headers.get("Authorization") or ""
            scheme, _, key = auth.partition(" ")
            if scheme.lower() != "bearer" or key.strip() != self.server.api_key:
                raise ApiError(
                    401,
                    "fail.auth",
                    "fail.auth",
                    "Unauthorized: a valid API key is required as `Authorization: Bearer <key>`",
                    extras="Invalid API key",
                )
            parts = urllib.parse.urlsplit(self.path)
            segments = [urllib.parse.unquote(s) for s in parts.path.split("/")[1:]]
            query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
            route(self, self.command, segments, query)
        except ApiError as e:
            self.send_json(e.status, e.body, e.headers)
        except (ConnectionError, BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_one


def method_not_allowed(allowed):
    return ApiError(
        405,
        "fail.method_not_allowed",
        "method_not_allowed",
        "Method not allowed",
        headers=[("Allow", ", ".join(allowed))],
    )


def route(h, method, segments, query):
    state = h.server.state
    if segments[:1] != ["v1"]:
        raise ApiError(404, "NotFound", "route.not_found", "Not found")
    rest = segments[1:]
    table = [
        (["graphs"], {"GET": list_graphs, "POST": create_graph}),
        (["graphs", None], {"GET": get_graph, "PUT": update_graph, "DELETE": delete_graph}),
        (["graphs", None, "file"], {"POST": add_file_to_graph}),
        (["graphs", None, "file", None], {"DELETE": remove_file_from_graph}),
        (["files"], {"GET": list_files, "POST": upload_file}),
        (["files", "retry"], {"POST": retry_files}),
        (["files", None], {"GET": get_file, "DELETE": delete_file}),
        (["files", None, "download"], {"GET": download_file}),
        (["applications", None, "graphs"], {"GET": get_app_graphs, "PUT": set_app_graphs}),
    ]
    for pattern, methods in table:
        if len(pattern) != len(rest):
            continue
        if any(p is not None and p != s for p, s in zip(pattern, rest)):
            continue
        handler = methods.get(method)
        if handler is None:
            raise method_not_allowed(sorted(methods))
        ids = [s for p, s in zip(pattern, rest) if p is None]
        if any(not i for i in ids):
            raise ApiError(404, "NotFound", "route.not_found", "Not found")
        return handler(h, state, query, *ids)
    raise ApiError(404, "NotFound", "route.not_found", "Not found")


def text_field(body, name, required=False):
    if name not in body:
        if required:
            raise invalid(f"{name} is required", name)
        return None
    value = body[name]
    if not isinstance(value, str):
        raise invalid(f"{name} must be a string", name)
    if len(value) > MAX_TEXT:
        raise invalid(f"{name} must be at most {MAX_TEXT} characters", name)
    return value


# ---- graphs ----


def list_graphs(h, state, query):
    with state.lock:
        visible = [g for g in state.graphs.values() if not g["hidden"]]

        page = state.page(visible, query, lambda g: state.graph_answer(g, full=True))
    h.send_json(200, page)


def create_graph(h, state, query):
    body = h.json_body()
    name = text_field(body, "name")
    description = text_field(body, "description")
    with state.lock:
        graph = state.new_graph("" if name is None else name, description)
        answer = state.graph_answer(graph, full=False)
    h.send_json(200, answer)


def get_graph(h, state, query, graph_id):
    with state.lock:
        graph = state.visible_graph(graph_id)
        state.observe_graph(graph)
        answer = state.graph_answer(graph, full=True)
    h.send_json(200, answer)


def parse_urls(value):
    if not isinstance(value, list):
        raise invalid("urls must be an array", "urls")
    urls = []
    for i, u in enumerate(value):
        if not isinstance(u, dict):
            raise invalid(f"urls[{i}] must be an object", "urls")
        url, kind = u.get("url"), u.get("type")
        if not isinstance(url, str) or not url:
            raise invalid(f"urls[{i}].url is required", "urls")
        if kind not in URL_TYPES:
            raise invalid(f"urls[{i}].type must be single_page or sub_pages", "urls")
        excludes = u.get("exclude_urls")
        if excludes is not None and (
            not isinstance(excludes, list) or not all(isinstance(e, str) for e in excludes)
        ):
            raise invalid(f"urls[{i}].exclude_urls must be an array of strings", "urls")
        # Every URL sent is validated again, whether or not it was there before.
        urls.append(
            {
                "url": url,
                "type": kind,
                "exclude_urls": excludes,
                "status": {"status": "validating"},
                "polls": 0,
            }
        )
    return urls


def update_graph(h, state, query, graph_id):
    body = h.json_body()
    name = text_field(body, "name")
    description = text_field(body, "description")
    urls = parse_urls(body["urls"]) if "urls" in body else None
    with state.lock:
        graph = state.visible_graph(graph_id)
        if urls is not None and graph["type"] != "web":
            raise invalid(
                f"urls can only be set on a Knowledge Graph of type web; this one is {graph['type']}",
                "urls",
            )
        if name is not None:
            graph["name"] = name
        if description is not None:
            graph["description"] = description
        if urls is not None:
            graph["urls"] = urls
        graph["updated_at"] = now()
        answer = state.graph_answer(graph, full=False)
    h.send_json(200, answer)


def delete_graph(h, state, query, graph_id):
    with state.lock:
        graph = state.visible_graph(graph_id)
        del state.graphs[graph_id]
        # Its files stay, out of this graph; no agent answers from it any more.
        for f in state.files.values():
            if graph_id in f["graph_ids"]:
                f["graph_ids"].remove(graph_id)
        for app in state.apps.values():
            if graph_id in app["graph_ids"]:
                app["graph_ids"].remove(graph_id)
    h.send_json(200, {"id": graph["id"], "deleted": True})


def add_file_to_graph(h, state, query, graph_id):
    body = h.json_body()
    file_id = body.get("file_id")
    if not isinstance(file_id, str) or not file_id:
        raise invalid("file_id is required", "file_id")
    with state.lock:
        state.visible_graph(graph_id)
        f = state.visible_file(file_id)
        if graph_id in f["graph_ids"]:
            raise ApiError(409, "fail.conflict", "file.already_in_graph", "File already in graph", extras=None)
        f["graph_ids"].append(graph_id)
        answer = state.file_answer(f)
    h.send_json(200, answer)


def remove_file_from_graph(h, state, query, graph_id, file_id):
    with state.lock:
        state.visible_graph(graph_id)
        f = state.visible_file(file_id)
        if graph_id not in f["graph_ids"]:
            raise not_found("file", f"{file_id} in graph {graph_id}")
        f["graph_ids"].remove(graph_id)
    h.send_json(200, {"id": file_id, "deleted": True})


# ---- files ----


def list_files(h, state, query):
    graph_id = query_one(query, "graph_id")
    status = query_one(query, "status")
    if status is not None and status not in FILE_STATUSES:
        raise invalid(f"status must be one of {', '.join(FILE_STATUSES)}", "status")
    types = query_one(query, "file_types")
    extensions = None
    if types:
        extensions = {t.strip().lower().lstrip(".") for t in types.split(",") if t.strip()}
    with state.lock:
        chosen = []
        for f in state.files.values():
            if graph_id is not None and graph_id not in f["graph_ids"]:
                continue
            if status is not None and f["status"] != status:
                continue
            if extensions is not None:
                ext = f["name"].rsplit(".", 1)[-1].lower() if "." in f["name"] else ""
                if ext not in extensions:
                    continue
            chosen.append(f)

        page = state.page(chosen, query, state.file_answer)
    h.send_json(200, page)


def upload_file(h, state, query):
    name = file_name(h.headers.get("Content-Disposition"))
    if not name:
        raise invalid(
            "Content-Disposition must name the file: attachment; filename=... or filename*=UTF-8''...",
            "Content-Disposition",
        )
    graph_id = query_one(query, "graphId")
    if graph_id is not None:
        with state.lock:
            state.visible_graph(graph_id)
    # Any Content-Type is taken (Writer's SDK sends text/plain for every file).
    content_type = h.headers.get("Content-Type") or "application/octet-stream"
    fd, path = tempfile.mkstemp(dir=state.folder, prefix="upload-")
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            for piece in h.body_chunks():
                out.write(piece)
                size += len(piece)
    except (ConnectionError, ValueError, OSError):
        h.close_connection = True
        os.remove(path)
        return
    with state.lock:
        if graph_id is not None and (graph_id not in state.graphs or state.graphs[graph_id]["hidden"]):
            os.remove(path)
            raise not_found("graph", graph_id)
        ident = str(uuid.uuid4())
        f = {
            "id": ident,
            "seq": state.next_seq(ident),
            "created_at": now(),
            "name": name,
            # The graph is there at once, but the upload's answer does not show it.
            "graph_ids": [graph_id] if graph_id else [],
            "status": "in_progress",
            "polls": 0,
            "path": path,
            "size": size,
            "content_type": content_type,
        }
        state.files[ident] = f
        answer = state.file_answer(f, graph_ids=[])
    h.send_json(200, answer)


def get_file(h, state, query, file_id):
    with state.lock:
        f = state.visible_file(file_id)
        state.observe_file(f)
        answer = state.file_answer(f)
    h.send_json(200, answer)


def delete_file(h, state, query, file_id):
    with state.lock:
        f = state.visible_file(file_id)
        state.drop_file(f)
    h.send_json(200, {"id": file_id, "deleted": True})


def download_file(h, state, query, file_id):
    with state.lock:
        f = state.visible_file(file_id)
        path, size, name = f["path"], f["size"], f["name"]
        # Open under the lock: a delete after this still lets the copy finish.
        source = open(path, "rb")
    h.drain()
    with source:
        h.send_response(200)
        h.send_header("Content-Type", "application/octet-stream")
        h.send_header("Content-Length", str(size))
        h.send_header(
            "Content-Disposition",
            "attachment; filename*=UTF-8''" + urllib.parse.quote(name, safe=""),
        )
        h.end_headers()
        while True:
            piece = source.read(CHUNK)
            if not piece:
                break
            h.wfile.write(piece)


def retry_files(h, state, query):
    body = h.json_body()
    ids = body.get("file_ids")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise invalid("file_ids must be a non-empty array of file IDs", "file_ids")
    with state.lock:
        unknown = [i for i in ids if i not in state.files]
        if unknown:
            raise invalid(f"unknown file IDs: {', '.join(unknown)}", "file_ids")
        for i in ids:
            f = state.files[i]
            if f["status"] == "failed":
                f["status"], f["polls"] = "in_progress", 0
    # `success` is optional in the published answer: absent here.
    h.send_json(200, {})


# ---- an application's graphs ----


def app_of(state, app_id):
    app = state.apps.get(app_id)
    if app is None:
        raise not_found("application", app_id)
    return app


def get_app_graphs(h, state, query, app_id):
    with state.lock:
        app = app_of(state, app_id)
        answer = {"graph_ids": list(app["graph_ids"])}
    h.send_json(200, answer)


def set_app_graphs(h, state, query, app_id):
    body = h.json_body()
    ids = body.get("graph_ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise invalid("graph_ids must be an array of Knowledge Graph IDs", "graph_ids")
    with state.lock:
        app = app_of(state, app_id)
        unknown = [i for i in ids if i not in state.graphs or state.graphs[i]["hidden"]]
        if unknown:
            raise invalid(f"unknown Knowledge Graph IDs: {', '.join(unknown)}", "graph_ids")
        # The whole list is replaced (duplicates kept once, in the order sent).
        app["graph_ids"] = list(dict.fromkeys(ids))
        answer = {"graph_ids": list(app["graph_ids"])}
    h.send_json(200, answer)


# ---- the process ----


class Seed(argparse.Action):
    """Keeps every seed flag in one list, in the order given."""

    def __call__(self, parser, namespace, value, option_string=None):
        seeds = getattr(namespace, "seeds", None) or []
        seeds.append((self.dest, value))
        namespace.seeds = seeds


def main():
    parser = argparse.ArgumentParser(description="A Writer that follows only the published documentation.")
    parser.add_argument("--api-key-file", required=True, help="file holding the one API key taken")
    parser.add_argument("--web-graph", dest="web", action=Seed, help="seed a web graph (as AI Studio makes one)")
    parser.add_argument("--chat-agent", dest="agent", action=Seed, help="seed a no-code chat agent")
    parser.add_argument("--team-graph", dest="team", action=Seed, help="seed a graph deployed to one team: invisible")
    parser.add_argument("--polls-to-settle", type=int, default=3, help="reads a file or URL stays in progress")
    parser.add_argument("--rate-limit-every", type=int, default=0, help="answer every Nth request 429")
    parser.add_argument("--verbose", action="store_true", help="log each request on stderr")
    parser.set_defaults(seeds=[])
    args = parser.parse_args()
    if args.polls_to_settle < 0 or args.rate_limit_every < 0:
        parser.error("--polls-to-settle and --rate-limit-every take 0 or more")
    with open(args.api_key_file, encoding="utf-8") as f:
        api_key = f.read().strip()
    if not api_key:
        parser.error(f"{args.api_key_file} holds no key")

    folder = tempfile.mkdtemp(prefix="published-writer-")
    state = State(args.polls_to_settle, folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.state = state
    server.api_key = api_key
    server.requests = 0
    server.rate_limit_every = args.rate_limit_every
    server.verbose = args.verbose

    lines = [f"published-writer listening on http://127.0.0.1:{server.server_address[1]}"]
    with state.lock:
        for kind, name in args.seeds:
            if kind == "agent":
                ident = str(uuid.uuid4())
                state.apps[ident] = {"id": ident, "name": name, "graph_ids": []}
                lines.append(f'seeded chat agent "{name}" id={ident}')
            else:
                graph = state.new_graph(name, kind="web" if kind == "web" else "manual", hidden=kind == "team")
                label = "web graph" if kind == "web" else "team graph"
                lines.append(f'seeded {label} "{name}" id={graph["id"]}')

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def watch_stdin():
        # The raw descriptor, not sys.stdin: a buffered reader's lock held
        # by this daemon thread would abort the interpreter's shutdown.
        try:
            while os.read(0, 4096):
                pass
        except OSError:
            pass
        stop.set()

    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    for line in lines:
        print(line)
    sys.stdout.flush()
    threading.Thread(target=watch_stdin, daemon=True).start()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
