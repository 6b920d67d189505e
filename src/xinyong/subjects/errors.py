"""Error codes of subject search (信用主体检索). Documented in docs/error-codes.md; never renamed or reused."""

from __future__ import annotations

from xinyong.core.errors import register

SEARCH_QUERY_TOO_SHORT = register(
    "search.query_too_short",
    400,
    "请输入名称中至少 {chars} 个字，或完整的统一社会信用代码、身份证号码。",
    "Enter at least {chars} characters of a name, or a full USCC or ID number.",
)
SEARCH_PAGE_TOO_DEEP = register(
    "search.page_too_deep",
    400,
    "检索结果最多可翻阅前 {window} 条，请输入更完整的名称。",
    "Only the first {window} results can be paged through; narrow the query.",
)
