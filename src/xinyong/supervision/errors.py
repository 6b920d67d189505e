"""Error codes of risk warnings and interviews (信用风险预警、约谈), listed in docs/error-codes.md."""

from __future__ import annotations

from xinyong.core.errors import register

NOT_YOUR_DEPARTMENT = register(
    "interviews.not_your_department",
    403,
    "只有在该预警中有记录的执法部门，或作出该失信记录认定的部门，可以录入约谈（谁认定、谁约谈）。",
    "Only a department with a record in the warning, or the department that decided the record, may interview.",
)
NO_DEPARTMENT = register(
    "interviews.no_department",
    403,
    "您的单位不是信息提供单位，尚无可约谈的记录。",
    "Your unit reports no records, so it has nothing to interview on.",
)
WARNING_WITHDRAWN = register(
    "interviews.warning_withdrawn",
    409,
    "该信用风险预警已于 {at} 撤回，不能再据此约谈。",
    "The warning was withdrawn; interview on a record instead.",
)
NOT_DISHONESTY = register(
    "interviews.not_dishonesty",
    400,
    "约谈依据须为本部门认定的失信信息记录。",
    "An interview without a warning must rest on a dishonesty record the department decided.",
)
TYPE_UNKNOWN = register(
    "interviews.type_unknown",
    400,
    "约谈类型“{type}”不在规则 {rule} 中（应为提示约谈或警示约谈）。",
    "Interview type {type!r} is not in rule {rule}.",
)
DEADLINE_BEFORE_INTERVIEW = register(
    "interviews.deadline_before_interview",
    400,
    "整改期限 {deadline} 早于约谈日期 {held_on}。",
    "The rectification deadline is before the interview.",
)
FUTURE_INTERVIEW = register(
    "interviews.future_date",
    400,
    "约谈日期 {held_on} 晚于今天：请在约谈后录入。",
    "Record an interview after it has taken place.",
)
DATE_BEFORE_RULES = register(
    "interviews.date_before_rules",
    400,
    "约谈日期 {held_on} 早于约谈规则（{rule}）的施行日期。",
    "The interview date is before the interview rule took effect.",
)
DEADLINE_BEYOND_CALENDAR = register(
    "interviews.deadline_beyond_calendar",
    400,
    "整改期限 {deadline} 所在的 {year} 年尚无节假日安排，无法判断是否逢节假日顺延：请选择已公布节假日安排年份内的日期。",
    "The working-day calendar does not cover the deadline's year yet; choose a deadline within a covered year.",
)
INTAKE_REFUSED = register(
    "interviews.intake_refused",
    422,
    "约谈记录未能归集：{detail}",
    "The interview record was refused by the intake pipeline.",
)
