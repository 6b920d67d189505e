"""The schemas of the credit report rules (rulebook/reports.yaml), checked when the rulebook loads."""

from __future__ import annotations

import datetime as dt

from xinyong.core.rulebook import Schema, Spec


class ReportPeriod(Schema):
    years: list[int]  # the periods a report may cover
    lag_working_days: int  # the period ends this many working days before the application date


class FinancialConfirmation(Schema):
    deadline_working_days: int  # a department answers within this many working days (request day = day 0)
    must_state_domains: list[int]  # covered domains whose departments state "no record" themselves


PERIOD = Spec("report.period", ReportPeriod)
DATA_START = Spec("report.data_start", dt.date)
RETENTION = Spec("report.retention", int)  # years a report file is kept
FINANCIAL_CONFIRMATION = Spec("report.financial_confirmation", FinancialConfirmation)
