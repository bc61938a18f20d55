"""Employee attrition feature repo: the base of every fixture variant.

Modelled on the seed article's employee_attrition project. Each variant in
scripts/fixtures/generate.py edits this file in one way and is applied with
the real `feast` into its own registry.
"""

from datetime import timedelta

import pandas as pd

from feast import (
    Entity,
    FeatureService,
    FeatureView,
    Field,
    FileSource,
    Project,
    RequestSource,
    ValueType,
)
from feast.on_demand_feature_view import on_demand_feature_view
from feast.types import (
    Array,
    Bool,
    Float32,
    Float64,
    ImageBytes,
    Int32,
    Int64,
    Json,
    Map,
    PdfBytes,
    Set,
    String,
    Struct,
    UnixTimestamp,
)

project = Project(
    name="employee_attrition",
    description="Features for the employee attrition model",
    owner="ml-platform@example.com",
)

employee = Entity(
    name="employee",
    join_keys=["employee_id"],
    value_type=ValueType.INT64,
    description="Employee identifier",
)

department = Entity(
    name="department",
    join_keys=["department_id"],
    value_type=ValueType.INT64,
    description="Department identifier",
)

employee_source = FileSource(
    name="employee_source",
    path="data/employee_attrition.parquet",
    timestamp_field="event_timestamp",
    created_timestamp_column="created",
)

department_source = FileSource(
    name="department_source",
    path="data/department_stats.parquet",
    timestamp_field="event_timestamp",
)

employee_features = FeatureView(
    name="employee_features",
    entities=[employee],
    ttl=timedelta(days=7),
    schema=[
        Field(name="employee_id", dtype=Int64),
        Field(name="tenure", dtype=Float32),
        Field(name="performance_score", dtype=Float32),
        Field(name="salary_band", dtype=Int64),
        Field(name="overtime", dtype=Int64),
        Field(name="promotion_stagnation", dtype=Float32),
        Field(name="career_velocity", dtype=Float32),
        Field(name="overall_satisfaction", dtype=Float32),
    ],
    source=employee_source,
    online=True,
    description="Core attrition signals, in the order the model was trained on",
    tags={"team": "hr-analytics"},
    owner="hr-ml@example.com",
)

employee_profile = FeatureView(
    name="employee_profile",
    entities=[employee],
    ttl=timedelta(days=30),
    schema=[
        Field(name="department_name", dtype=String),
        Field(name="skills", dtype=Array(String)),
        Field(name="review_scores", dtype=Array(Float64)),
        Field(name="certifications", dtype=Set(String)),
        Field(name="is_remote", dtype=Bool),
        Field(name="hired_at", dtype=UnixTimestamp),
        Field(name="attributes", dtype=Map),
        Field(name="raw_record", dtype=Json),
        Field(name="address", dtype=Struct({"city": String, "zip": Int32})),
        Field(name="quarterly_ratings", dtype=Array(Array(Int64))),
        Field(name="contract_pdf", dtype=PdfBytes),
        Field(name="badge_photo", dtype=ImageBytes),
    ],
    source=employee_source,
    online=True,
    tags={"team": "hr-analytics"},
)

department_stats = FeatureView(
    name="department_stats",
    entities=[department],
    ttl=timedelta(days=1),
    schema=[
        Field(name="headcount", dtype=Int64),
        Field(name="avg_tenure", dtype=Float64),
        Field(name="attrition_rate", dtype=Float32),
    ],
    source=department_source,
    online=True,
)

review_request = RequestSource(
    name="review_request",
    schema=[
        Field(name="days_since_review", dtype=Int64),
        Field(name="requested_raise_pct", dtype=Float64),
    ],
)


@on_demand_feature_view(
    sources=[employee_features, review_request],
    schema=[
        Field(name="tenure_per_band", dtype=Float64),
        Field(name="review_overdue", dtype=Int64),
    ],
)
def attrition_risk(inputs: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame()
    out["tenure_per_band"] = inputs["tenure"] / (inputs["salary_band"] + 1)
    out["review_overdue"] = (inputs["days_since_review"] > 365).astype("int64")
    return out


attrition_model_v1 = FeatureService(
    name="attrition_model_v1",
    features=[employee_features, attrition_risk],
    description="Attrition model v1: whole views, consumed by position",
    owner="hr-ml@example.com",
)

attrition_model_lite = FeatureService(
    name="attrition_model_lite",
    features=[
        employee_features[["tenure", "overtime"]],
        department_stats[["attrition_rate"]].with_name("dept"),
    ],
    description="Light model: tenure, overtime and the department attrition rate",
)
