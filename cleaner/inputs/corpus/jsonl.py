"""JSON lines (``.jsonl``, ``.jsonl.gz``, ``.ndjson``...): one object a line, the page in a configurable field.

A line that is no object, has no text field or is too big is an error document and the
reading goes on; the object's other fields pass through untouched (:attr:`Document.fields`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, BinaryIO

from cleaner.errors import InputError
from cleaner.inputs.corpus.documents import (
    TEXT,
    CorpusOptions,
    Document,
    ReadCounts,
    error_document,
    fallback_id,
    reason_of,
)
from cleaner.inputs.decoding import check_line_count, too_large

__all__ = ["json_object", "jsonl_documents"]


def jsonl_documents(stream: BinaryIO, source: str, options: CorpusOptions, counts: ReadCounts) -> Iterator[Document]:
    position = number = 0
    while True:
        try:
            line = stream.readline(options.max_bytes + 1)
        except (InputError, OSError) as err:
            counts.records += 1  # the damaged one: every document is a record read
            yield error_document(fallback_id(source, number + 1), None, source, position, reason_of(err))
            return
        if not line:
            return
        number += 1
        if line.strip() or len(line) > options.max_bytes:  # a blank line is no record
            counts.records += 1
        if len(line) > options.max_bytes and not line.endswith(b"\n"):
            reason = _skip_line(stream)
            yield error_document(fallback_id(source, number), None, source, position,
                         reason or f"line {number}: record " + too_large(None, options.max_bytes))
            if reason:
                return
            position += 1
            continue
        if not line.strip():
            continue
        yield _jsonl_document(line, source, position, number, options)
        position += 1


def _skip_line(stream: BinaryIO) -> str | None:
    """Read past the rest of an over-long line; the reason if the file is damaged there."""
    try:
        while True:
            chunk = stream.readline(64 * 1024)
            if not chunk or chunk.endswith(b"\n"):
                return None
    except (InputError, OSError) as err:
        return reason_of(err)



def _jsonl_document(line: bytes, source: str, position: int, number: int, options: CorpusOptions) -> Document:
    doc_id, url, content, fields = fallback_id(source, number), None, None, {}
    value, reason = json_object(line)
    if value is not None:
        doc_id = _id(_field(value, options.id_key)) or doc_id
        found = _field(value, options.url_key)
        if found is _MISSING and options.url_key == CorpusOptions.url_key:
            found = _field(value, "metadata.url")  # datatrove's shape
        url = found if isinstance(found, str) and found else None
        content, reason = _text_content(_field(value, options.text_key), options)
        fields = _otherheader_fields(value, options)
    if content is None:
        return replace(error_document(doc_id, url, source, position, f"line {number}: {reason}"), fields=fields)
    return Document(doc_id, url, content, TEXT, "utf-8", source, position, fields=fields)


def _otherheader_fields(value: dict[str, Any], options: CorpusOptions) -> dict[str, Any]:
    """The fields besides the text and the id, untouched, merged as datatrove's JSONL reader does.

    Its reader makes a document's metadata of the ``metadata`` object and every other
    top-level field: ``{**value["metadata"], **rest}``. They go into the output's metadata.
    """
    rest = _without(_without(value, options.text_key), options.id_key)
    nested = rest.get("metadata")
    if not isinstance(nested, dict):
        return rest  # no metadata object (or not an object: then it is one more field)
    del rest["metadata"]
    return {**nested, **rest}


def json_object(line: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """The JSON object on a line, or the reason there is none."""
    try:
        value = json.loads(line)
    except UnicodeDecodeError:
        return None, "not valid UTF-8"
    except json.JSONDecodeError as err:
        return None, f"not valid JSON ({err.msg}, column {err.colno})"
    except RecursionError:  # json recurses per nesting level: a line of 5,000 "[" would end the run
        return None, "not valid JSON (nested too deeply)"
    if not isinstance(value, dict):
        return None, "not a JSON object"
    return value, None


def _text_content(text: Any, options: CorpusOptions) -> tuple[bytes | None, str | None]:
    """The text field as UTF-8 bytes, or the reason it cannot be cleaned."""
    key = options.text_key
    if text is _MISSING:
        return None, f"no {key!r} field"
    if not isinstance(text, str):
        kind = "null" if text is None else type(text).__name__.replace("dict", "object").replace("list", "array")
        return None, f"field {key!r} is not a string (got {kind})"
    if not text.strip():
        return None, f"field {key!r} is empty"
    try:
        content = text.encode("utf-8")
    except UnicodeEncodeError as err:
        return None, f"field {key!r} is not valid Unicode (lone surrogate at character {err.start})"
    if len(content) > options.max_bytes:
        return None, "text " + too_large(len(content), options.max_bytes)
    try:
        return check_line_count(content), None
    except InputError as err:
        return None, f"text: {err}"


_MISSING = object()


def _without(value: dict[str, Any], key: str) -> dict[str, Any]:
    """A copy of ``value`` without the field ``key`` names (as :func:`_field` finds it; nested objects copied)."""
    if key in value:
        return {name: item for name, item in value.items() if name != key}
    head, dot, tail = key.partition(".")
    if not dot or not isinstance(value.get(head), dict):
        return dict(value)
    return {name: _without(item, tail) if name == head else item for name, item in value.items()}


def _field(value: dict[str, Any], key: str) -> Any:
    """``value[key]``, or the nested field a dotted ``key`` names; :data:`_MISSING` when absent."""
    if key in value:
        return value[key]
    current: Any = value
    for part in key.split("."):
        if not isinstance(current, dict) or part not in current:
            return _MISSING
        current = current[part]
    return current


def _id(value: Any) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return json.dumps(value)
    return None
