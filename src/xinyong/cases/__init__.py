"""The case kit (办件工具): what the case workflows (异议, 信用修复, 信用承诺 …) share.

Not a Django app (it owns no table): an abstract event model (``cases.models.CaseEvent``) and the
helpers every workflow's verbs use (``cases.kit.CaseKit``). It sits in the cases layer, above accounts,
audit and catalog, below the apps that use it; docs/architecture.md, "Case workflows", explains.
"""
