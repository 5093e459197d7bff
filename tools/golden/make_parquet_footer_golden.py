"""Crafts Parquet files whose footer declares sizes the data cannot have, for the reader's footer checks:

    /usr/bin/python3 tools/golden/make_parquet_footer_golden.py tests/Peakformer.Tests/Golden

Each is wf_f32.parquet (written by parquet-wasm, see make_waveform_parquet.mjs: 3 rows of 1200 float32 samples, one
row group) with the footer's FileMetaData decoded and re-encoded by the small Thrift compact-protocol codec below (no
Parquet library involved), one field changed: row_groups[0].columns['waveforms'].meta_data.num_values (field 5),
the number of values the row group declares for the column. The pages are untouched.

wf_rows_gt_values.parquet  num_values 2: fewer values than the group's 3 rows (each row holds one sample or more)
wf_over_cap.parquet        num_values 2^24 + 1: one more than the 2^24 float32 samples a row group may hold

The same for truth columns of sim_truth.parquet (make_waveform_parquet.mjs: 12 rows in groups of 5, 5 and 2), in
its first row group:
truth_scalar_values.parquet  'momentum_gev' (one number per row) declares num_values 10^6 for the group's 5 rows
truth_list_bytes.parquet     'electron_time_ns' (a list per row) declares total_uncompressed_size (field 6) 2^40
"""
import os, struct, sys

out = sys.argv[1] if len(sys.argv) > 1 else "."
golden = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../tests/Peakformer.Tests/Golden")


def varint(data, at):
    shift = value = 0
    while True:
        b = data[at]; at += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, at


def zigzag(n): return (n >> 1) ^ -(n & 1)
def unzigzag(n): return (n << 1) ^ (n >> 63)


def put_varint(n):
    b = bytearray()
    while True:
        if n < 0x80:
            b.append(n); return bytes(b)
        b.append((n & 0x7F) | 0x80); n >>= 7


def read_value(data, at, kind):
    if kind in (1, 2): return kind == 1, at  # a bool field's value is its type
    if kind == 3: return data[at], at + 1
    if kind in (4, 5, 6):
        v, at = varint(data, at); return zigzag(v), at
    if kind == 7: return data[at:at + 8], at + 8
    if kind == 8:
        n, at = varint(data, at); return data[at:at + n], at + n
    if kind in (9, 10):
        head = data[at]; at += 1
        size, elem = head >> 4, head & 0x0F
        if size == 15: size, at = varint(data, at)
        items = []
        for _ in range(size):
            if elem in (1, 2):  # bools in a list are one byte each
                items.append(data[at] == 1); at += 1
            else:
                v, at = read_value(data, at, elem); items.append(v)
        return (elem, items), at
    if kind == 12: return read_struct(data, at)
    raise ValueError(f"thrift type {kind} not expected in a Parquet footer")


def read_struct(data, at):
    fields, last = [], 0
    while True:
        head = data[at]; at += 1
        if head == 0: return fields, at
        delta, kind = head >> 4, head & 0x0F
        if delta: fid = last + delta
        else:
            v, at = varint(data, at); fid = zigzag(v)
        value, at = read_value(data, at, kind)
        fields.append([fid, kind, value]); last = fid


def write_value(kind, value):
    if kind in (1, 2): return b""
    if kind == 3: return bytes([value])
    if kind in (4, 5, 6): return put_varint(unzigzag(value) & ((1 << 64) - 1))
    if kind == 7: return bytes(value)
    if kind == 8: return put_varint(len(value)) + bytes(value)
    if kind in (9, 10):
        elem, items = value
        head = bytes([(len(items) << 4) | elem]) if len(items) < 15 else bytes([0xF0 | elem]) + put_varint(len(items))
        body = b"".join(bytes([1 if v else 2]) if elem in (1, 2) else write_value(elem, v) for v in items)
        return head + body
    if kind == 12: return write_struct(value)
    raise ValueError(kind)


def write_struct(fields):
    b, last = bytearray(), 0
    for fid, kind, value in fields:
        kind = (1 if value else 2) if kind in (1, 2) else kind
        if 0 < fid - last <= 15: b.append(((fid - last) << 4) | kind)
        else: b.append(kind); b += put_varint(unzigzag(fid) & 0xFFFF)
        b += write_value(kind, value); last = fid
    return bytes(b + b"\x00")


def field(fields, fid): return next(f for f in fields if f[0] == fid)


def craft(name, num_values, source="wf_f32.parquet", column_name=b"waveforms", fid=5, rows=3, written=3600):
    data = open(os.path.join(golden, source), "rb").read()
    assert data[:4] == b"PAR1" and data[-4:] == b"PAR1"
    length = struct.unpack("<I", data[-8:-4])[0]
    start = len(data) - 8 - length
    meta, end = read_struct(data, start)
    # The codec re-encodes the untouched footer to its own bytes: only the changed field differs in the output.
    assert end == start + length and write_struct(meta) == data[start:end]
    groups = field(meta, 4)[2][1]
    assert field(groups[0], 3)[2] == rows  # the first row group (the one changed) has this many rows
    column = next(c for c in field(groups[0], 1)[2][1] if column_name in field(field(c, 3)[2], 3)[2][1])
    values = field(field(column, 3)[2], fid)
    assert written is None or values[2] == written, values
    values[2] = num_values
    footer = write_struct(meta)
    open(os.path.join(out, name), "wb").write(data[:start] + footer + struct.pack("<I", len(footer)) + b"PAR1")
    print(f"{name}: field {fid} of {column_name.decode()} {values[2]}, footer {length} -> {len(footer)} bytes")


craft("wf_rows_gt_values.parquet", 2)
craft("wf_over_cap.parquet", (1 << 24) + 1)
craft("truth_scalar_values.parquet", 10**6, "sim_truth.parquet", b"momentum_gev", 5, 5, 5)
craft("truth_list_bytes.parquet", 1 << 40, "sim_truth.parquet", b"electron_time_ns", 6, 5, None)
