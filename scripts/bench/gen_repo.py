"""Writes a synthetic Feast feature repo for benchmarks.

Usage: gen_repo.py OUT_DIR VIEWS FILES [FEATURES_PER_VIEW]
Every view has its own FileSource and 20 typed features; one service per
file serves the file's views. The repo is valid Feast (feast plan reads it).
"""

import sys
from pathlib import Path

TYPES = ["Int64", "Float32", "Float64", "String", "Bool", "Int32", "Array(Int64)", "Array(String)"]


def main() -> None:
    out, views, files = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    per_view = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    out.mkdir(parents=True, exist_ok=True)
    (out / "feature_store.yaml").write_text(
        "project: bench\nprovider: local\nregistry: data/registry.db\n"
        "online_store:\n  type: sqlite\n  path: data/online_store.db\n"
        "offline_store:\n  type: file\nentity_key_serialization_version: 3\n"
    )
    (out / "entities.py").write_text(
        "from feast import Entity, ValueType\n\n"
        'customer = Entity(name="customer", join_keys=["customer_id"], value_type=ValueType.INT64)\n'
    )
    per_file = views // files
    for f in range(files):
        lines = [
            "from datetime import timedelta\n",
            "from feast import FeatureService, FeatureView, Field, FileSource",
            "from feast.types import Array, Bool, Float32, Float64, Int32, Int64, String\n",
            "from entities import customer\n",
        ]
        names = []
        for v in range(per_file):
            name = f"view_{f}_{v}"
            names.append(name)
            lines.append(
                f'{name}_source = FileSource(name="{name}_source", path="data/{name}.parquet", timestamp_field="event_timestamp")\n'
            )
            lines.append(f"{name} = FeatureView(")
            lines.append(f'    name="{name}",')
            lines.append("    entities=[customer],")
            lines.append("    ttl=timedelta(days=1),")
            lines.append("    schema=[")
            for i in range(per_view):
                lines.append(f'        Field(name="f{i}", dtype={TYPES[i % len(TYPES)]}),')
            lines.append("    ],")
            lines.append(f"    source={name}_source,")
            lines.append(")\n")
        lines.append(f'service_{f} = FeatureService(name="service_{f}", features=[{", ".join(names)}])\n')
        (out / f"views_{f:03}.py").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
