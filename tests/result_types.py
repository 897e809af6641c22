"""A SELECT whose result has every MaxCompute type the instance tunnel carries (a row of values
and a row of NULLs), shared by the emulator's tunnel tests and the gateway's
ReadInstanceResult tests, with the column types PyODPS reads from its schema."""

from __future__ import annotations

ALL_TYPES = """
select 9007199254740993::bigint as big, 2147483647::int as i, (-32768)::smallint as sm,
    (-128)::tinyint as ti, 0.1::double as dbl, 1.5::float as fl,
    12345678901234567890.123456789::decimal(38,9) as dec, 'héllo, "w"' as s,
    true as bo, DATE '1969-12-31' as d, TIMESTAMP '1969-12-31 23:59:59.999' as dtm,
    '2024-02-29 12:34:56.123456789'::TIMESTAMP_NS as ts, '\\x00\\xff'::blob as bin,
    [1, null, 3] as arr, map(['a', 'b'], [1.5, null]) as m,
    {'x': 7, 'y': 'z', 'w': null::date} as st
union all
select null, null, null, null, null, null, null, null, null, null, null, null, null,
    null, null, null
order by big nulls last
"""

TYPES = [
    "bigint",
    "int",
    "smallint",
    "tinyint",
    "double",
    "float",
    "decimal(38,9)",
    "string",
    "boolean",
    "date",
    "datetime",
    "timestamp",
    "binary",
    "array<int>",
    "map<string,decimal(2,1)>",
    "struct<`x`:int,`y`:string,`w`:date>",
]
"""The column types as PyODPS's schema gives them (struct field names quoted)."""
