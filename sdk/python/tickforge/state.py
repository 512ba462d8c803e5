"""The state decoder (docs/state-format.md), driven by a mode's field table.

The table is the `state` member of the mode's entry in GET /api/modes (the same data as the
tables of docs/state-format.md §6), so a change to a mode's state needs no change here. The
decoded state is a tree of `Struct` (a schema instance: its fields as attributes) and `MapRef`
(a map: a dict of key → value); `to_json()` gives plain dicts, equal to what the TypeScript
client's `state.toJSON()` gives.
"""
from __future__ import annotations

import struct
from typing import Any, Callable, Mapping

SWITCH_TO_STRUCTURE = 255
TYPE_ID = 213

ADD = 128
REPLACE = 0
DELETE = 64
DELETE_AND_ADD = 192
CLEAR = 10


class StateError(Exception):
    """State bytes that do not follow the grammar or the field table."""


class Struct:
    """A schema instance: `values` holds the fields set so far; read them as attributes."""

    __slots__ = ("cls", "values", "ref_id")

    def __init__(self, cls: "_Class", ref_id: int = 0) -> None:
        self.cls = cls
        self.values: dict[str, Any] = {}
        self.ref_id = ref_id

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(f"{self.cls.name} has no field {name!r} set") from None

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def to_json(self) -> dict[str, Any]:
        return {k: _json(v) for k, v in self.values.items()}

    def __repr__(self) -> str:
        return f"{self.cls.name}({self.to_json()!r})"


class MapRef(dict):
    """A map of the state: key → value. `slots` maps the wire index of each entry to its key."""

    def __init__(self, ref_id: int) -> None:
        super().__init__()
        self.slots: dict[int, str] = {}
        self.ref_id = ref_id

    def to_json(self) -> dict[str, Any]:
        return {k: _json(v) for k, v in self.items()}


def _json(v: Any) -> Any:
    return v.to_json() if isinstance(v, (Struct, MapRef)) else v


class _Reader:
    __slots__ = ("data", "at")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def byte(self) -> int:
        if self.at >= len(self.data):
            raise StateError("state bytes end in the middle of an operation")
        b = self.data[self.at]
        self.at += 1
        return b

    def fixed(self, fmt: str, size: int) -> Any:
        if self.at + size > len(self.data):
            raise StateError("state bytes end in the middle of a value")
        (v,) = struct.unpack_from(fmt, self.data, self.at)
        self.at += size
        return v

    def number(self) -> int | float:
        p = self.byte()
        if p < 0x80:
            return p
        if p >= 0xE0:
            return p - 0x100
        fmt = _NUMBER_FORMATS.get(p)
        if fmt is None:
            raise StateError(f"0x{p:02x} does not start a number")
        return self.fixed(*fmt)

    def string(self) -> str:
        p = self.byte()
        if p < 0xC0:
            n = p & 0x1F
        elif p == 0xD9:
            n = self.fixed("<B", 1)
        elif p == 0xDA:
            n = self.fixed("<H", 2)
        elif p == 0xDB:
            n = self.fixed("<I", 4)
        else:
            raise StateError(f"0x{p:02x} does not start a string")
        if self.at + n > len(self.data):
            raise StateError("state bytes end in the middle of a string")
        s = self.data[self.at : self.at + n].decode("utf-8")
        self.at += n
        return s


_NUMBER_FORMATS = {
    0xCA: ("<f", 4),
    0xCB: ("<d", 8),
    0xCC: ("<B", 1),
    0xCD: ("<H", 2),
    0xCE: ("<I", 4),
    0xCF: ("<Q", 8),
    0xD0: ("<b", 1),
    0xD1: ("<h", 2),
    0xD2: ("<i", 4),
    0xD3: ("<q", 8),
}

_FIXED = {
    "boolean": None,
    "int8": ("<b", 1),
    "uint8": ("<B", 1),
    "int16": ("<h", 2),
    "uint16": ("<H", 2),
    "int32": ("<i", 4),
    "uint32": ("<I", 4),
    "int64": ("<q", 8),
    "uint64": ("<Q", 8),
    "bigint64": ("<q", 8),
    "biguint64": ("<Q", 8),
    "float32": ("<f", 4),
    "float64": ("<d", 8),
}


def _primitive_reader(wire: str) -> Callable[[_Reader], Any]:
    if wire == "string":
        return _Reader.string
    if wire == "number":
        return _Reader.number
    if wire == "boolean":
        return lambda r: r.byte() != 0
    fmt = _FIXED.get(wire)
    if fmt is None:
        raise StateError(f"wire type {wire!r} is not in docs/state-format.md")
    return lambda r: r.fixed(*fmt)


def _quantized_reader(wire: str, scale: Mapping[str, Any]) -> Callable[[_Reader], float]:
    read = _primitive_reader(wire)
    lo, span, rng = float(scale["min"]), float(scale["span"]), float(scale["max"]) - float(scale["min"])
    # As @colyseus/schema's dequantize: min + (q / span) * (max - min), in float64.
    return lambda r: lo + (read(r) / span) * rng


class _Field:
    __slots__ = ("index", "name", "kind", "read", "child")

    def __init__(self, index: int, name: str, kind: str, read: Callable[[_Reader], Any] | None, child: str | None) -> None:
        self.index, self.name, self.kind, self.read, self.child = index, name, kind, read, child


class _Class:
    __slots__ = ("name", "fields")

    def __init__(self, name: str) -> None:
        self.name = name
        self.fields: dict[int, _Field] = {}


def _compile_field(f: Mapping[str, Any]) -> _Field:
    t = f["type"]
    kind = t["kind"]
    if kind == "primitive":
        return _Field(f["index"], f["name"], "value", _primitive_reader(t["wire"]), None)
    if kind == "quantized":
        return _Field(f["index"], f["name"], "value", _quantized_reader(t["wire"], t["scale"]), None)
    if kind == "ref":
        return _Field(f["index"], f["name"], "ref", None, t["schema"])
    if kind == "map":
        of = t["of"]
        if "schema" in of:
            return _Field(f["index"], f["name"], "map", None, of["schema"])
        return _Field(f["index"], f["name"], "map", _primitive_reader(of["wire"]), None)
    raise StateError(f"field {f['name']!r}: {kind} fields are not supported by this decoder (no shipped mode has one)")


class StateDecoder:
    """Decodes a mode's full states and patches into `state`.

    `format` is the mode's field table: `GET /api/modes`'s `state` ({"root", "classes"}).
    `decode_full(bytes)` starts over from a WELCOME's or RESYNC's full state; `decode_patch(bytes)`
    applies one PATCH. `state` is the root `Struct`.
    """

    def __init__(self, format: Mapping[str, Any]) -> None:
        self.classes: dict[str, _Class] = {}
        for c in format["classes"]:
            cls = _Class(c["name"])
            for f in c["fields"]:
                field = _compile_field(f)
                cls.fields[field.index] = field
            self.classes[cls.name] = cls
        self.root_class = self.classes[format["root"]]
        self.state = Struct(self.root_class)
        # refId → structure; for a map, also the class (or reader) of its values
        self.refs: dict[int, Struct | MapRef] = {0: self.state}
        self.map_of: dict[int, str | Callable[[_Reader], Any]] = {}

    def decode_full(self, data: bytes) -> Struct:
        self.state = Struct(self.root_class)
        self.refs = {0: self.state}
        self.map_of = {}
        self.decode_patch(data)
        return self.state

    def decode_patch(self, data: bytes) -> None:
        r = _Reader(data)
        ref: Struct | MapRef = self.state
        ref_id = 0
        end = len(data)
        while r.at < end:
            if data[r.at] == SWITCH_TO_STRUCTURE:
                r.at += 1
                ref_id = r.number()
                nxt = self.refs.get(ref_id)
                if nxt is None:
                    raise StateError(f"switch to unknown refId {ref_id}")
                ref = nxt
            elif isinstance(ref, Struct):
                self._schema_op(r, ref)
            else:
                self._map_op(r, ref, ref_id)

    # -- schema instances (docs/state-format.md §3) --

    def _schema_op(self, r: _Reader, ref: Struct) -> None:
        first = r.byte()
        op = first & 0xC0
        index = first % (op or 255)
        field = ref.cls.fields.get(index)
        if field is None:
            raise StateError(f"{ref.cls.name} has no field {index}")
        previous = ref.values.get(field.name)
        if op == DELETE:
            self._drop(previous)
            ref.values.pop(field.name, None)
            return
        if field.kind == "value":
            ref.values[field.name] = field.read(r)
            return
        value = self._child(r, op, field.child, field.read if field.kind == "map" else None, field.kind)
        if previous is not value:
            self._drop(previous)
        ref.values[field.name] = value

    # -- maps (docs/state-format.md §4) --

    def _map_op(self, r: _Reader, ref: MapRef, ref_id: int) -> None:
        op = r.byte()
        if op == CLEAR:
            for v in ref.values():
                self._drop(v)
            ref.clear()
            ref.slots.clear()
            return
        index = r.number()
        if op & ADD:
            key = r.string()
            ref.slots[index] = key
        else:
            key = ref.slots.get(index)
            if key is None:
                if op == DELETE:
                    return  # an entry added and removed within one tick: its ADD was never sent
                raise StateError(f"map refId {ref_id} has no entry {index}")
        previous = ref.get(key)
        if op == DELETE:
            self._drop(previous)
            ref.pop(key, None)
            del ref.slots[index]
            return
        of = self.map_of[ref_id]
        value = of(r) if callable(of) else self._child(r, op, of, None, "ref")
        if previous is not value:
            self._drop(previous)
        ref[key] = value

    def _child(self, r: _Reader, op: int, schema: str | None, map_reader: Callable[[_Reader], Any] | None, kind: str) -> Struct | MapRef:
        ref_id = r.number()
        if op & ADD and r.at < len(r.data) and r.data[r.at] == TYPE_ID:
            raise StateError("TYPE_ID (schema inheritance) is not used by Tickforge modes")
        known = self.refs.get(ref_id)
        if known is not None:
            return known
        if kind == "map":
            m = MapRef(ref_id)
            self.refs[ref_id] = m
            self.map_of[ref_id] = map_reader if map_reader is not None else schema  # type: ignore[assignment]
            return m
        s = Struct(self.classes[schema], ref_id)  # type: ignore[index]
        self.refs[ref_id] = s
        return s

    def _drop(self, value: Any) -> None:
        """Forgets a removed structure and everything under it (docs/state-format.md §5)."""
        if not isinstance(value, (Struct, MapRef)) or self.refs.get(value.ref_id) is not value:
            return
        del self.refs[value.ref_id]
        self.map_of.pop(value.ref_id, None)
        children = value.values.values() if isinstance(value, Struct) else value.values()
        for child in list(children):
            self._drop(child)
