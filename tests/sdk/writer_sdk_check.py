"""Writer's official Python SDK (`writer-sdk`, import name `writerai`) against
writer-emulator: every Knowledge Graph, File and agent-graph call the SDK
has, with every answer checked against the types the SDK declares (each
required field present, each value of its declared type, literal or shape).
Any difference is a bug of the emulator's.

Run by tests/api/writer_sdk.rs, which starts the emulator with one seeded
web graph and one seeded chat agent and passes, in the environment:
WRITER_BASE_URL, WRITER_API_KEY, WRITER_WEB_GRAPH_ID, WRITER_CHAT_AGENT_ID,
WRITER_PROCESSING_MS. Prints one line per step and ends with `N checks passed`.

Also run by tests/api/published_writer.rs against the published Writer
(tests/published_writer/writer.py), which adds: WRITER_SDK_MAX_RETRIES (the
SDK's own retries, for a server answering 429 now and then; default 0),
WRITER_TEAM_GRAPH_ID (a graph deployed to one team, which the API must not
show) and WRITER_POLLS_TO_SETTLE (how many reads a file stays in progress):
with the last two, the published Writer's own steps run as well.
"""

import datetime
import os
import sys
import tempfile
import time
import types
import typing
from urllib.parse import quote

import pydantic
import writerai
from writerai.types import (
    File,
    FileDeleteResponse,
    FileRetryResponse,
    Graph,
    GraphCreateResponse,
    GraphDeleteResponse,
    GraphRemoveFileFromGraphResponse,
    GraphUpdateResponse,
)
from writerai.types.applications import ApplicationGraphsResponse

CHECKS = 0


def ok(condition, message):
    global CHECKS
    CHECKS += 1
    if not condition:
        raise AssertionError(message)


def check_value(value, annotation, path):
    """`value` is of the type `annotation` (as the SDK's models declare it)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            ok(type(None) in args, f"{path} is null, which its type {annotation} does not allow")
            return
        inner = [a for a in args if a is not type(None)]
        ok(len(inner) == 1, f"{path}: unexpected union {annotation}")
        check_value(value, inner[0], path)
    elif origin is typing.Literal:
        ok(value in args, f"{path} is {value!r}, not one of {args}")
    elif origin in (list, typing.List):
        ok(isinstance(value, list), f"{path} is {type(value).__name__}, not a list")
        for i, item in enumerate(value):
            check_value(item, args[0], f"{path}[{i}]")
    elif annotation is str:
        ok(isinstance(value, str), f"{path} is {value!r}, not a string")
    elif annotation is bool:
        ok(isinstance(value, bool), f"{path} is {value!r}, not a boolean")
    elif annotation is int:
        ok(isinstance(value, int) and not isinstance(value, bool), f"{path} is {value!r}, not an integer")
    elif annotation is datetime.datetime:
        ok(isinstance(value, datetime.datetime), f"{path} is {value!r}, not a date-time")
        ok(value.tzinfo is not None, f"{path} has no time zone")
    elif isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        check_model(value, annotation, path)
    else:
        raise AssertionError(f"{path}: the check does not know the type {annotation}")


def check_model(model, cls, path=None):
    """Every field `cls` declares: present when required, and of its type."""
    path = path or cls.__name__
    ok(isinstance(model, cls), f"{path} is {type(model).__name__}, not {cls.__name__}")
    for name, field in cls.model_fields.items():
        if field.is_required():
            ok(name in model.model_fields_set, f"{path}.{name} is missing")
        if name in model.model_fields_set or field.is_required():
            check_value(getattr(model, name), field.annotation, f"{path}.{name}")
    return model


def step(text):
    print(f"- {text}", flush=True)


def wait_until(what, read, done, timeout):
    """`read()` until `done(result)`; the last result. Bounded by `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = read()
        if done(result):
            return result
        ok(time.monotonic() < deadline, f"{what}: still not done after {timeout}s: {result}")
        time.sleep(0.1)


def error_body(error, status):
    """A Writer error: the status, and the body `{tpe, errors: [{description, key, extras}], extras}`."""
    ok(error.status_code == status, f"status {error.status_code}, expected {status}")
    body = error.body
    ok(isinstance(body, dict), f"error body {body!r} is not an object")
    ok(isinstance(body.get("tpe"), str), f"error body {body} has no tpe")
    errors = body.get("errors")
    ok(isinstance(errors, list) and errors, f"error body {body} has no errors")
    for e in errors:
        ok(isinstance(e.get("description"), str) and e["description"], f"{e} has no description")
        ok(isinstance(e.get("key"), str), f"{e} has no key")
    return body


def expect_error(status, call):
    try:
        call()
    except writerai.APIStatusError as error:
        return error_body(error, status)
    raise AssertionError(f"expected an error {status}, the call succeeded")


def main():
    processing = int(os.environ["WRITER_PROCESSING_MS"]) / 1000
    bound = max(10.0, 20 * processing)
    web_graph_id = os.environ["WRITER_WEB_GRAPH_ID"]
    agent_id = os.environ["WRITER_CHAT_AGENT_ID"]
    client = writerai.Writer(
        api_key=os.environ["WRITER_API_KEY"],
        base_url=os.environ["WRITER_BASE_URL"],
        max_retries=int(os.environ.get("WRITER_SDK_MAX_RETRIES", "0")),
        timeout=30,
        _strict_response_validation=True,
    )

    step("graphs: create, retrieve, update")
    created = check_model(
        client.graphs.create(name="SDK handbook", description="made by the SDK test"),
        GraphCreateResponse,
    )
    ok(created.name == "SDK handbook", f"name {created.name!r}")
    ok(created.description == "made by the SDK test", f"description {created.description!r}")
    graph = check_model(client.graphs.retrieve(created.id), Graph)
    ok(graph.id == created.id and graph.type == "manual", f"{graph}")
    ok(graph.created_at == created.created_at, f"{graph.created_at} != {created.created_at}")
    fs = graph.file_status
    ok((fs.in_progress, fs.completed, fs.failed, fs.total) == (0, 0, 0, 0), f"{fs}")
    updated = check_model(client.graphs.update(created.id, name="SDK handbook v2"), GraphUpdateResponse)
    ok(updated.name == "SDK handbook v2", f"{updated}")
    ok(updated.description == "made by the SDK test", "an absent field is left as it was")
    ok(client.graphs.retrieve(created.id).name == "SDK handbook v2", "the update is kept")

    step("graphs: list across pages, both orders")
    more = [check_model(client.graphs.create(name=f"SDK page {i}"), GraphCreateResponse) for i in range(7)]
    page = client.graphs.list(limit=3)
    pages, seen = 0, []
    while True:
        pages += 1
        ok(len(page.data) <= 3, f"a page of {len(page.data)} with limit 3")
        for g in page.data:
            check_model(g, Graph)
        seen.extend(g.id for g in page.data)
        if not page.has_next_page():
            break
        page = page.get_next_page()
    expected = {web_graph_id, created.id, *(g.id for g in more)}
    ok(set(seen) == expected, f"listed {seen}, expected {expected}")
    ok(len(seen) == len(set(seen)), f"a graph listed twice: {seen}")
    ok(pages >= 3, f"{pages} pages of 3 for {len(seen)} graphs")
    ok(seen[:2] == [more[6].id, more[5].id], "desc (the default) is newest first")
    ascending = [g.id for g in client.graphs.list(limit=4, order="asc")]
    ok(ascending == list(reversed(seen)), f"asc is the reverse of desc: {ascending}")

    step("web graph: urls replaced whole, validating then success or error")
    urls = [
        {"url": "https://docs.example.com/handbook", "type": "sub_pages",
         "exclude_urls": ["https://docs.example.com/handbook/old"]},
        {"url": "https://paywall.unreadable.example/news", "type": "single_page"},
    ]
    answer = check_model(client.graphs.update(web_graph_id, urls=urls), GraphUpdateResponse)
    ok([u.url for u in answer.urls] == [u["url"] for u in urls], f"{answer.urls}")
    ok(all(u.status.status == "validating" for u in answer.urls), f"{answer.urls}")
    ok(answer.urls[0].exclude_urls == urls[0]["exclude_urls"], f"{answer.urls[0]}")
    web = wait_until(
        "URL validation",
        lambda: check_model(client.graphs.retrieve(web_graph_id), Graph),
        lambda g: all(u.status.status != "validating" for u in g.urls),
        bound,
    )
    ok(web.type == "web", f"{web.type}")
    ok(web.urls[0].status.status == "success" and web.urls[0].status.error_type is None, f"{web.urls[0]}")
    ok(web.urls[1].status.status == "error", f"{web.urls[1]}")
    ok(web.urls[1].status.error_type == "paywall_or_login_page", f"{web.urls[1]}")
    answer = check_model(client.graphs.update(web_graph_id, urls=[urls[1]]), GraphUpdateResponse)
    ok([u.url for u in answer.urls] == [urls[1]["url"]], f"replaced whole: {answer.urls}")
    answer = check_model(client.graphs.update(web_graph_id, urls=[]), GraphUpdateResponse)
    ok(not answer.urls, f"[] clears the list: {answer.urls}")
    body = expect_error(400, lambda: client.graphs.update(created.id, urls=urls))
    ok("web" in str(body), f"a manual graph refuses urls: {body}")

    step("files: upload with graph_id, retrieve until processed")
    name = "€ rates – 2025.txt"
    content = "Ünïcode handbook\n".encode() * 1000
    uploaded = check_model(
        client.files.upload(
            content=content,
            content_disposition=f"attachment; filename*=UTF-8''{quote(name)}",
            content_type="text/plain",
            graph_id=created.id,
        ),
        File,
    )
    ok(uploaded.name == name, f"name {uploaded.name!r}")
    ok(uploaded.graph_ids == [], f"the upload answer shows no graph yet: {uploaded.graph_ids}")
    ok(uploaded.status == "in_progress", f"status {uploaded.status}")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "policy.pdf")
        with open(path, "wb") as f:
            f.write(b"%PDF-1.4 not really a pdf\n" * 100)
        second = check_model(
            client.files.upload(
                content=open(path, "rb"),
                content_disposition='attachment; filename="policy.pdf"',
                content_type="application/pdf",
                graph_id=created.id,
            ),
            File,
        )
    ok(second.name == "policy.pdf", f"{second.name}")
    done = wait_until(
        "file processing",
        lambda: check_model(client.files.retrieve(uploaded.id), File),
        lambda f: f.status != "in_progress",
        bound,
    )
    ok(done.status == "completed", f"status {done.status}")
    ok(done.graph_ids == [created.id], f"a later GET shows the graph: {done.graph_ids}")
    ok(done.created_at == uploaded.created_at, "created_at does not move")
    wait_until(
        "second file",
        lambda: client.files.retrieve(second.id),
        lambda f: f.status == "completed",
        bound,
    )
    downloaded = client.files.download(uploaded.id).read()
    ok(downloaded == content, f"download: {len(downloaded)} bytes, uploaded {len(content)}")

    step("files: list by graph_id, across pages")
    listed = [check_model(f, File) for f in client.files.list(graph_id=created.id, limit=1)]
    ok([f.id for f in listed] == [second.id, uploaded.id], f"{[f.id for f in listed]}")
    only_pdf = [f.id for f in client.files.list(graph_id=created.id, file_types="pdf")]
    ok(only_pdf == [second.id], f"file_types=pdf: {only_pdf}")
    completed = [f.id for f in client.files.list(status="completed", order="asc")]
    ok(completed == [uploaded.id, second.id], f"status=completed: {completed}")
    graph = check_model(client.graphs.retrieve(created.id), Graph)
    fs = graph.file_status
    ok((fs.in_progress, fs.completed, fs.failed, fs.total) == (0, 2, 0, 2), f"{fs}")

    step("files: add to and remove from a graph")
    other = more[0].id
    added = check_model(client.graphs.add_file_to_graph(other, file_id=uploaded.id), File)
    ok(sorted(added.graph_ids) == sorted([created.id, other]), f"{added.graph_ids}")
    ok([f.id for f in client.files.list(graph_id=other)] == [uploaded.id], "listed in the other graph")
    expect_error(409, lambda: client.graphs.add_file_to_graph(other, file_id=uploaded.id))
    removed = check_model(
        client.graphs.remove_file_from_graph(file_id=uploaded.id, graph_id=other),
        GraphRemoveFileFromGraphResponse,
    )
    ok(removed.id == uploaded.id and removed.deleted is True, f"{removed}")
    ok(client.files.retrieve(uploaded.id).graph_ids == [created.id], "removed from that graph only")
    ok(list(client.files.list(graph_id=other)) == [], "no longer listed there")
    retried = check_model(client.files.retry(file_ids=[uploaded.id]), FileRetryResponse)
    ok(retried.success in (True, None), f"{retried}")

    step("chat agent: graphs replaced whole")
    graphs = check_model(client.applications.graphs.list(agent_id), ApplicationGraphsResponse)
    ok(graphs.graph_ids == [], f"{graphs}")
    graphs = check_model(
        client.applications.graphs.update(agent_id, graph_ids=[created.id, web_graph_id]),
        ApplicationGraphsResponse,
    )
    ok(sorted(graphs.graph_ids) == sorted([created.id, web_graph_id]), f"{graphs}")
    graphs = check_model(client.applications.graphs.list(agent_id), ApplicationGraphsResponse)
    ok(sorted(graphs.graph_ids) == sorted([created.id, web_graph_id]), f"{graphs}")
    graphs = check_model(client.applications.graphs.update(agent_id, graph_ids=[other]), ApplicationGraphsResponse)
    ok(graphs.graph_ids == [other], f"replaced, not added to: {graphs}")
    unknown = "00000000-0000-4000-8000-000000000000"
    body = expect_error(400, lambda: client.applications.graphs.update(agent_id, graph_ids=[other, unknown]))
    ok(unknown in str(body), f"the unknown graph is named: {body}")
    ok(client.applications.graphs.list(agent_id).graph_ids == [other], "a refused update changes nothing")
    expect_error(404, lambda: client.applications.graphs.list(unknown))
    expect_error(404, lambda: client.applications.graphs.update(unknown, graph_ids=[]))
    graphs = check_model(client.applications.graphs.update(agent_id, graph_ids=[]), ApplicationGraphsResponse)
    ok(graphs.graph_ids == [], f"[] empties the list: {graphs}")

    step("delete files and graphs")
    for f in (uploaded, second):
        deleted = check_model(client.files.delete(f.id), FileDeleteResponse)
        ok(deleted.id == f.id and deleted.deleted is True, f"{deleted}")
        expect_error(404, lambda: client.files.retrieve(f.id))
    for g in [created, *more]:
        deleted = check_model(client.graphs.delete(g.id), GraphDeleteResponse)
        ok(deleted.id == g.id and deleted.deleted is True, f"{deleted}")
        expect_error(404, lambda: client.graphs.retrieve(g.id))
    left = [g.id for g in client.graphs.list()]
    ok(left == [web_graph_id], f"only the seeded web graph is left: {left}")
    if os.environ.get("WRITER_TEAM_GRAPH_ID"):
        published_writer_steps(client, web_graph_id)
    print(f"writer-sdk {writerai.__version__}: {CHECKS} checks passed", flush=True)


def published_writer_steps(client, web_graph_id):
    """What the published Writer does that the emulator need not: checked
    through the SDK, so that the SDK is seen to take it."""
    team_graph_id = os.environ["WRITER_TEAM_GRAPH_ID"]
    polls = int(os.environ["WRITER_POLLS_TO_SETTLE"])

    step("published: a graph deployed to one team is invisible")
    body = expect_error(404, lambda: client.graphs.retrieve(team_graph_id))
    ok(team_graph_id in str(body), f"{body}")
    ok(team_graph_id not in [g.id for g in client.graphs.list()], "not listed")

    step("published: pages after and before a cursor")
    made = [client.graphs.create(name=f"SDK cursor {i}").id for i in range(5)]
    forwards = client.graphs.list(limit=2, order="asc")
    ok([g.id for g in forwards.data] == [web_graph_id, made[0]], f"asc: {[g.id for g in forwards.data]}")
    ok(forwards.has_more, "more than one page of 2")
    second = forwards.get_next_page()
    ok([g.id for g in second.data] == made[1:3], f"after {made[0]}: {[g.id for g in second.data]}")
    backwards = client.graphs.list(limit=2, order="asc", before=made[3])
    ok([g.id for g in backwards.data] == made[1:3], f"before {made[3]}: {[g.id for g in backwards.data]}")
    ok(backwards.has_more, "older graphs are before that page")
    older = backwards.get_next_page()
    ok([g.id for g in older.data] == [web_graph_id, made[0]], f"the page before: {[g.id for g in older.data]}")
    for g in made:
        client.graphs.delete(g)

    step("published: a file stays in progress for a counted number of reads")
    f = client.files.upload(
        content=b"counted",
        content_disposition="attachment; filename=counted.txt",
        content_type="text/plain",
    )
    seen = [client.files.retrieve(f.id).status for _ in range(polls + 1)]
    ok(seen == ["in_progress"] * polls + ["completed"], f"{seen}")
    client.files.delete(f.id)

    step("published: URL errors by name, an unknown key refused")
    client.graphs.update(web_graph_id, urls=[
        {"url": "https://gone.missing.example/", "type": "single_page"},
        {"url": "ftp://files.example.com/", "type": "single_page"},
    ])
    for _ in range(polls + 1):
        web = check_model(client.graphs.retrieve(web_graph_id), Graph)
    ok([u.status.error_type for u in web.urls] == ["not_found", "invalid_url"], f"{web.urls}")
    client.graphs.update(web_graph_id, urls=[])
    stranger = writerai.Writer(api_key="test-unknown-key-not-real", base_url=client.base_url, max_retries=3)
    try:
        stranger.graphs.list()
        ok(False, "an unknown key was taken")
    except writerai.AuthenticationError as error:
        error_body(error, 401)


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAILED: {e}", file=sys.stderr, flush=True)
        sys.exit(1)
