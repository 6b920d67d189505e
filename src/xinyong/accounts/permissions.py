"""The one permission table (权限表): which kind of principal may do which action.

Every view, API endpoint and command asks ``allowed(principal, action)``; the permission-matrix test
(``accounts/tests/test_permission_matrix.py``) is generated from ``TABLE`` and from the table of
routes, so the two cannot drift apart. Object-level rules (a provider sees only its own batches, a
querier sees another subject's non-public data only under a grant or a legal purpose) sit on top of
this table, in the services and in ``disclosure``.
"""

from __future__ import annotations

from enum import StrEnum

from xinyong.accounts.models import Role, User
from xinyong.catalog.models import Provider


class Principal(StrEnum):
    PUBLIC = "public"
    SUBJECT = "subject"
    PROVIDER_STAFF = "provider_staff"
    PROVIDER_SYSTEM = "provider_system"
    UNIT_OFFICER = "unit_officer"
    FINANCIAL_BUREAU = "financial_bureau"  # an officer of the unit marked Unit.financial_bureau
    CATALOGUE_ADMIN = Role.CATALOGUE_ADMIN.value
    OBJECTION_HANDLER = Role.OBJECTION_HANDLER.value
    CITY_REPAIR_REVIEWER = Role.CITY_REPAIR_REVIEWER.value
    PROVINCIAL_REPAIR_REVIEWER = Role.PROVINCIAL_REPAIR_REVIEWER.value
    AUDITOR = Role.AUDITOR.value


class Action(StrEnum):
    SUBMIT_RECORDS = "records.submit"  # push records (API)
    UPLOAD_FILES = "records.upload"  # import files in the workspace
    VIEW_OWN_BATCHES = "batches.view_own"
    VIEW_ALL_BATCHES = "batches.view_all"
    VIEW_OWN_CODE_CONFLICTS = "code_conflicts.view_own"
    VIEW_ALL_CODE_CONFLICTS = "code_conflicts.view_all"
    EDIT_CATALOGUE = "catalogue.edit"  # the admin: domains, kinds, providers, units, calendar
    QUERY_FOR_PURPOSE = "subjects.query_for_purpose"  # 政务共享: a stated legal purpose
    QUERY_UNDER_GRANT = "subjects.query_under_grant"  # 授权查询
    VIEW_OWN_RECORD = "subjects.view_own"  # the subject itself
    MANAGE_OWN_GRANTS = "grants.manage_own"
    VIEW_OWN_LOOKUPS = "lookups.view_own"  # who looked at my data
    VERIFY_IDENTITY = "identity.verify"
    EXPORT_AUDIT = "audit.export"
    RECORD_COMMITMENTS = "commitments.record"  # 信用承诺: the accepting unit records commitments and outcomes
    CHECK_NOTIFICATION_COMMITMENT = "commitments.check"  # may this subject use 告知承诺?
    VIEW_OWN_COMMITMENTS = "commitments.view_own"  # 我的信用承诺
    CONFIRM_REPORT_PART = "reports.confirm_part"  # 金融专用版: a department confirms its part
    MANAGE_REPORTS = "reports.manage"  # revoke reports (admin)
    MANAGE_FINANCIAL_LIST = "reports.financial_list"  # 金融专用版企业名单: the financial bureau keeps it
    REPAIRS_APPLY = "repairs.apply"  # 信用修复: apply for one's own records
    REPAIRS_REVIEW_CITY = "repairs.review_city"  # 市级初审
    REPAIRS_REVIEW_PROVINCE = "repairs.review_province"  # 省级复核
    REPAIRS_VIEW_ALL = "repairs.view_all"  # any repair case (centre)
    FILE_OBJECTION = "objections.file"  # 异议: a subject objects to its own record, follows its cases
    ANSWER_OBJECTION = "objections.answer"  # the record's provider checks a forwarded objection
    HANDLE_OBJECTIONS = "objections.handle"  # the centre compares, forwards, closes; sees every case
    VIEW_OWN_QUALITY = "quality.view_own"  # 数据质量: a provider's own scorecard, rank and rows to fix
    VIEW_ALL_QUALITY = "quality.view_all"  # every provider's scorecard, the monthly notice (centre)
    DECLARE_TOTALS = "quality.declare"  # 申报数: a provider declares what it decided each month
    SAMPLE_RECORDS = "quality.sample"  # 抽样核查: draw a month's sample and review it
    JUDGE_CODES = "quality.judge_codes"  # 重错码研判: judge suspected duplicate or wrong codes, reverse
    RUN_CHECKS = "measures.check"  # 联合奖惩核查: counter checks, feedback, batch checks (信用互查)
    VIEW_MEASURE_STATISTICS = "measures.statistics"  # 奖惩反馈统计 (centre)
    ANSWER_ASSIST = "checks.assist_answer"  # 协查: a department answers a batch check's request
    VIEW_OWN_EVALUATION = "evaluation.view_own"  # 公共信用综合评价: the subject's own grade and hints
    VIEW_EVALUATIONS = "evaluation.view_all"  # every grade, the distribution, tags (centre)
    SPOT_CHECKS = "evaluation.spot_checks"  # 双随机抽查名单 by grade: a department's own, the centre any
    VIEW_RISK_WARNINGS = "risk_warnings.view"  # 信用风险预警: government and the centre, never the public
    RECORD_INTERVIEWS = "interviews.record"  # 约谈: a department with a record in the warning, or its decider
    VIEW_OWN_RISK_WARNINGS = "risk_warnings.view_own"  # the subject: its own warnings and why
    VIEW_GOVERNANCE_LEDGER = "interviews.ledger"  # 严重失信主体治理台账
    MANAGE_EXCHANGE = "exchange.manage"  # 上报省平台: reconciliation, dead letters and their retry
    WATCH_SUBJECTS = "exchange.watch"  # 信用监测: follow subjects, a webhook for their changes


CENTRE = {
    Principal.CATALOGUE_ADMIN,
    Principal.OBJECTION_HANDLER,
    Principal.CITY_REPAIR_REVIEWER,
    Principal.PROVINCIAL_REPAIR_REVIEWER,
    Principal.AUDITOR,
}

TABLE: dict[Action, frozenset[Principal]] = {
    Action.SUBMIT_RECORDS: frozenset({Principal.PROVIDER_SYSTEM}),
    Action.UPLOAD_FILES: frozenset({Principal.PROVIDER_STAFF}),
    Action.VIEW_OWN_BATCHES: frozenset({Principal.PROVIDER_STAFF, Principal.PROVIDER_SYSTEM}),
    Action.VIEW_ALL_BATCHES: frozenset(CENTRE),
    Action.VIEW_OWN_CODE_CONFLICTS: frozenset({Principal.PROVIDER_STAFF, Principal.PROVIDER_SYSTEM}),
    Action.VIEW_ALL_CODE_CONFLICTS: frozenset(CENTRE),
    Action.EDIT_CATALOGUE: frozenset({Principal.CATALOGUE_ADMIN}),
    Action.QUERY_FOR_PURPOSE: frozenset({Principal.UNIT_OFFICER}),
    Action.QUERY_UNDER_GRANT: frozenset(
        {Principal.SUBJECT, Principal.UNIT_OFFICER, Principal.PROVIDER_STAFF}
    ),
    Action.VIEW_OWN_RECORD: frozenset({Principal.SUBJECT}),
    Action.MANAGE_OWN_GRANTS: frozenset({Principal.SUBJECT}),
    Action.VIEW_OWN_LOOKUPS: frozenset({Principal.SUBJECT}),
    Action.VERIFY_IDENTITY: frozenset({Principal.SUBJECT}),
    Action.EXPORT_AUDIT: frozenset({Principal.AUDITOR}),
    Action.RECORD_COMMITMENTS: frozenset(
        {Principal.UNIT_OFFICER, Principal.PROVIDER_STAFF, Principal.PROVIDER_SYSTEM}
    ),
    Action.CHECK_NOTIFICATION_COMMITMENT: frozenset(
        {Principal.UNIT_OFFICER, Principal.PROVIDER_STAFF, Principal.PROVIDER_SYSTEM}
    ),
    Action.VIEW_OWN_COMMITMENTS: frozenset({Principal.SUBJECT}),
    Action.CONFIRM_REPORT_PART: frozenset({Principal.PROVIDER_STAFF}),
    Action.MANAGE_REPORTS: frozenset({Principal.CATALOGUE_ADMIN}),
    Action.MANAGE_FINANCIAL_LIST: frozenset({Principal.FINANCIAL_BUREAU}),
    Action.REPAIRS_APPLY: frozenset({Principal.SUBJECT}),
    Action.REPAIRS_REVIEW_CITY: frozenset({Principal.CITY_REPAIR_REVIEWER}),
    Action.REPAIRS_REVIEW_PROVINCE: frozenset({Principal.PROVINCIAL_REPAIR_REVIEWER}),
    Action.REPAIRS_VIEW_ALL: frozenset(CENTRE),
    Action.FILE_OBJECTION: frozenset({Principal.SUBJECT}),
    Action.ANSWER_OBJECTION: frozenset({Principal.PROVIDER_STAFF}),
    Action.HANDLE_OBJECTIONS: frozenset({Principal.OBJECTION_HANDLER}),
    Action.VIEW_OWN_QUALITY: frozenset({Principal.PROVIDER_STAFF, Principal.PROVIDER_SYSTEM}),
    Action.VIEW_ALL_QUALITY: frozenset(CENTRE),
    Action.DECLARE_TOTALS: frozenset({Principal.PROVIDER_STAFF, Principal.PROVIDER_SYSTEM}),
    Action.SAMPLE_RECORDS: frozenset({Principal.CATALOGUE_ADMIN}),
    Action.JUDGE_CODES: frozenset({Principal.CATALOGUE_ADMIN}),
    Action.RUN_CHECKS: frozenset({Principal.UNIT_OFFICER}),
    Action.VIEW_MEASURE_STATISTICS: frozenset(CENTRE),
    Action.ANSWER_ASSIST: frozenset({Principal.PROVIDER_STAFF}),
    Action.VIEW_OWN_EVALUATION: frozenset({Principal.SUBJECT}),
    Action.VIEW_EVALUATIONS: frozenset(CENTRE),
    Action.SPOT_CHECKS: frozenset({Principal.PROVIDER_STAFF, Principal.PROVIDER_SYSTEM, *CENTRE}),
    Action.VIEW_RISK_WARNINGS: frozenset({Principal.UNIT_OFFICER, Principal.PROVIDER_STAFF, *CENTRE}),
    Action.RECORD_INTERVIEWS: frozenset(
        {Principal.UNIT_OFFICER, Principal.PROVIDER_STAFF, Principal.PROVIDER_SYSTEM}
    ),
    Action.VIEW_OWN_RISK_WARNINGS: frozenset({Principal.SUBJECT}),
    Action.VIEW_GOVERNANCE_LEDGER: frozenset({Principal.UNIT_OFFICER, Principal.PROVIDER_STAFF, *CENTRE}),
    Action.MANAGE_EXCHANGE: frozenset(CENTRE),
    Action.WATCH_SUBJECTS: frozenset({Principal.SUBJECT, Principal.UNIT_OFFICER}),
}


def principals_of(who: User | Provider | None) -> frozenset[Principal]:
    """What a request's identity counts as. A centre account counts as each of its sub-roles."""
    if who is None:
        return frozenset({Principal.PUBLIC})
    if isinstance(who, Provider):
        return frozenset({Principal.PROVIDER_SYSTEM}) if who.active else frozenset({Principal.PUBLIC})
    if not who.is_authenticated or not who.is_active:
        return frozenset({Principal.PUBLIC})
    if who.kind == User.Kind.CENTRE:
        return frozenset(Principal(role) for role in who.roles)
    if who.kind == User.Kind.UNIT:
        if who.unit is None or not who.unit.active:
            return frozenset()
        if who.unit.financial_bureau:
            return frozenset({Principal.UNIT_OFFICER, Principal.FINANCIAL_BUREAU})
        return frozenset({Principal.UNIT_OFFICER})
    if who.kind == User.Kind.PROVIDER:
        active = who.provider is not None and who.provider.active
        return frozenset({Principal.PROVIDER_STAFF}) if active else frozenset()
    # A subject account acts for its subject only once real-name verification has bound it to one.
    return frozenset({Principal.SUBJECT}) if who.subject_code and who.verified_at else frozenset()


def allowed(who: User | Provider | None, action: Action) -> bool:
    return bool(principals_of(who) & TABLE[action])
