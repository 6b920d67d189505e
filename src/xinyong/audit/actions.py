"""The audit actions: every ``action`` an entry on the trail can carry, registered once, like error codes.

A regulator reads the trail by its actions, so an action is a published name: ``record`` refuses one
that is not registered here, ``docs/audit.md`` lists them all with their meaning, and a test keeps the
two in step (audit/tests/test_actions.py). An action never changes meaning; entries already written
keep theirs, so a retired action stays registered.

Actions a helper builds from parts (the case kit's ``<prefix>.<step>``, ``records.overlay.<kind>``,
``admin.<change>``) are registered in full, one per expansion.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AuditAction:
    name: str
    meaning: str  # Chinese, as docs/audit.md shows it


REGISTRY: dict[str, AuditAction] = {}


class UnknownAuditAction(ValueError):
    pass


def register(name: str, meaning: str) -> str:
    if name in REGISTRY:
        raise ValueError(f"audit action {name} registered twice")
    REGISTRY[name] = AuditAction(name, meaning)
    return name


def check(name: str) -> str:
    """``name`` if registered; otherwise ``UnknownAuditAction`` (a typo must not reach the trail)."""
    if name not in REGISTRY:
        raise UnknownAuditAction(f"audit action {name!r} is not registered in xinyong.audit.actions")
    return name


# --- Accounts, identities and grants ---------------------------------------------------------------------
register("identity.verify", "实名核验并绑定信用主体")
register("identity.unbind", "解除实名绑定")
register("grant.create", "授予数据权限")
register("grant.revoke", "撤销数据权限")
register("accounts.backup_codes.issue", "为信用中心工作人员生成一组备用码（旧的一组作废）")
register("accounts.backup_code.use", "信用中心工作人员用备用码代替动态口令登录")

# --- Providers and their keys ----------------------------------------------------------------------------
register("provider.create", "新建信息提供单位")
register("provider.grant", "授予信息提供单位报送的信息类别")
register("api_key.issue", "签发接口密钥")
register("api_key.revoke_all", "停用信息提供单位的全部接口密钥")

# --- Collection (归集) -------------------------------------------------------------------------------------
register("batch.submit", "接口报送一批记录")
register("batch.register", "登记一个导入文件")
register("batch.finish", "导入文件处理完毕")
register("batch.rejections.download", "下载批次的退回明细")

# --- Records and their publication -----------------------------------------------------------------------
register("publication.expire", "记录公示期满，停止公示")
register("publication.refresh", "按现行规则重新判定记录的公示")
for _kind, _label in (
    ("objection_pending", "异议处理中"),
    ("corrected", "已更正"),
    ("revoked", "已撤销"),
    ("repaired", "已修复"),
):
    register(f"records.overlay.{_kind}", f"为记录加注“{_label}”")
    register(f"records.overlay.{_kind}.ended", f"结束记录的“{_label}”标注")

# --- Disclosure (查询) -------------------------------------------------------------------------------------
register("subject.view_own", "信用主体查看本主体的信息")
register("subject.view_nonpublic", "查看他人的非公开信息（授权查询、政务共享）")
register("evidence.read", "查看案件的证明材料")

# --- Objections (异议), case kit prefix "objection" --------------------------------------------------------
register("objection.view", "查看异议申请")
register("objection.file", "提出并受理异议申请")
register("objection.forward", "转交信息提供单位核查")
register("objection.answer", "信息提供单位反馈核查结果")
register("objection.close", "异议办结")
register("objection.escalate", "异议逾期督办")
register("objection.arrived", "遗漏异议所涉记录已报送")

# --- Credit repair (信用修复), case kit prefix "repair" ----------------------------------------------------
register("repair.view", "查看信用修复申请")
register("repair.apply", "提交信用修复申请")
register("repair.city_approve", "市级初审通过")
register("repair.city_reject", "市级初审不予修复")
register("repair.provincial_approve", "省级复核通过，停止公示")
register("repair.provincial_reject", "省级复核不予修复")
register("repair.city_overdue", "市级初审逾期")
register("repair.provincial_overdue", "省级复核逾期")

# --- Credit commitments (信用承诺), case kit prefix "commitments" ------------------------------------------
register("commitments.record", "录入信用承诺")
register("commitments.fulfilment", "确认已践诺")
register("commitments.broken", "认定违反承诺，生成失信记录")
register("commitments.false", "认定虚假承诺，生成失信记录")
register("commitments.overdue", "承诺逾期未践诺")
register("commitments.eligibility", "查询主体能否适用告知承诺")

# --- Social credit warnings (社会信用预警) ------------------------------------------------------------------
register("warning.raise", "发出社会信用预警")
register("warning.withdraw", "撤回社会信用预警")

# --- Credit evaluation (公共信用综合评价), spot checks and tags ------------------------------------------------
register("evaluation.run", "运行公共信用综合评价（全部或指定主体）")
register("evaluation.view", "查看信用主体的公共信用综合评价")
register("spot_check.draw", "生成按信用等级的双随机抽查名单（含随机种子与抽查比例）")
# --- Credit risk warnings (信用风险预警) and interviews (约谈) -----------------------------------------------
register("risk_warning.raise", "发出信用风险预警并发送有关执法部门")
register("risk_warning.withdraw", "预警条件不再满足，自动撤回信用风险预警")
register("risk_warning.view", "查看信用风险预警（非公开信息）")
register("interviews.record", "录入约谈（提示约谈或警示约谈），记入主体信用记录")
register("interviews.rectified", "认定约谈后整改完成")
register("interviews.not_rectified", "认定约谈后未整改")
register("interviews.overdue", "约谈整改期限届满未认定结果")
register("interviews.ledger_export", "下载严重失信主体治理台账")

# --- Credit reports (信用报告) -----------------------------------------------------------------------------
register("reports.request", "申请信用报告（含复用已出具的报告）")
register("reports.issue", "出具并签署信用报告")
register("reports.download", "下载信用报告")
register("reports.revoke", "作废信用报告")
register("reports.reissue", "重新出具信用报告")
register("reports.confirm", "部门确认金融专用版报告的信息")
register("reports.refer", "部门答复“请到本单位办理”")
register("reports.confirmation_overdue", "部门逾期未确认")
register("reports.purge", "删除保存期满的报告文件")
register("reports.financial_list", "维护金融专用版名单")

# --- Data quality (数据质量) --------------------------------------------------------------------------------
register("quality.declare", "申报当月各类信息的决定数（上报率分母）")
register("quality.notice", "生成数据质量月度通报")
register("quality.alert", "向信息提供单位发出迟报、漏报、未更正提醒")
register("quality.sample.draw", "抽取数据质量核查样本（记录种子与样本量）")
register("quality.sample.review", "核查抽样记录（正确 / 有误及字段）")
register("quality.code.judge_same", "研判重错码为同一主体")
register("quality.code.judge_different", "研判重错码为不同主体")
register("quality.code.judge_wrong_code", "研判为代码错误，记录改挂正确主体")
register("quality.code.reverse", "撤销重错码研判，记录恢复原状")
# --- Joint rewards and punishments (联合奖惩) and batch checks (信用互查) -------------------------------------
register("measures.check", "联合奖惩嵌入式核查（查询主体适用的奖惩措施）")
register("measures.feedback", "反馈奖惩措施的实施情况")
register("measures.relink", "重建组织的相关责任人关联")
register("checks.batch_submit", "提交信用互查批量核查")
register("checks.batch_check", "信用互查批量核查中查询该主体")
register("checks.batch_download", "下载批量核查结果")
register("assist.send", "向部门发起协查")
register("assist.answer", "部门答复协查")
register("assist.overdue", "协查逾期未答复")
# --- Data exchange (数据交换) ---------------------------------------------------------------------------------
register("exchange.feed.read", "读取变更订阅源的一页（非公开部分）")
register("exchange.upstream.send", "向省公共信用信息平台上报一轮变更（各结果条数）")
register("exchange.upstream.retry", "重新上报一条失败的变更")
register("exchange.watch.follow", "信用监测：关注信用主体")
register("exchange.watch.unfollow", "信用监测：取消关注")
register("exchange.webhook.register", "信用监测：设置回调地址并签发签名密钥")

# --- Administration ---------------------------------------------------------------------------------------
register("admin.add", "在管理后台新增对象")
register("admin.change", "在管理后台修改对象")
register("admin.delete", "在管理后台删除对象")
register("audit.export", "导出审计日志")
