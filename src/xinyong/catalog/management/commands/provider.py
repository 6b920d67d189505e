"""``xinyong provider create|rotate-key|list``: manage data-providing units (信息提供单位)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinyong.catalog.models import Domain, Provider, RecordKind
from xinyong.catalog.services import create_provider, rotate_key
from xinyong.subjects.codes import normalise, uscc_problem


class Command(BaseCommand):
    help = "Create a provider (prints its API key once), rotate its key, or list providers."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="register a provider and print its first API key")
        create.add_argument("--code", required=True, help="the provider's USCC")
        create.add_argument("--name", required=True)
        create.add_argument(
            "--domain",
            action="append",
            required=True,
            help="domain number or code it reports for (repeatable)",
        )
        create.add_argument("--kind", action="append", help="record kinds it may report (default: all)")
        rotate = sub.add_parser("rotate-key", help="revoke the provider's keys and print a new one")
        rotate.add_argument("--code", required=True)
        sub.add_parser("list", help="list providers")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action.replace('-', '_')}")(**options)

    def _create(self, *, code: str, name: str, domain: list[str], kind: list[str] | None, **_: Any) -> None:
        code = normalise(code)
        if uscc_problem(code) is not None:
            raise CommandError(f"不是有效的统一社会信用代码：{code}")
        if Provider.objects.filter(code=code).exists():
            raise CommandError(f"信息提供单位 {code} 已存在")
        domains = []
        for value in domain:
            found = (
                Domain.objects.filter(number=int(value)).first()
                if value.isdigit()
                else Domain.objects.filter(code=value).first()
            )
            if found is None:
                raise CommandError(f"没有领域 {value}（见 xinyong 目录管理或 data/catalogue/domains.yaml）")
            domains.append(found)
        all_kinds = set(RecordKind.objects.values_list("code", flat=True))
        kinds = kind or sorted(all_kinds)
        unknown = set(kinds) - all_kinds
        if unknown:
            raise CommandError(f"目录中没有信息事项：{', '.join(sorted(unknown))}")
        provider, key = create_provider(code=code, name=name, domains=domains, kind_codes=kinds)
        self.stdout.write(f"已创建信息提供单位 {provider.name}（{provider.code}）")
        self.stdout.write("API 密钥（只显示这一次，请妥善保存）：")
        self.stdout.write(key)

    def _rotate_key(self, *, code: str, **_: Any) -> None:
        provider = Provider.objects.filter(code=normalise(code)).first()
        if provider is None:
            raise CommandError(f"信息提供单位 {code} 不存在")
        self.stdout.write("新 API 密钥（旧密钥已停用，只显示这一次）：")
        self.stdout.write(rotate_key(provider, label="rotated"))

    def _list(self, **_: Any) -> None:
        for provider in Provider.objects.prefetch_related("grants__domain"):
            domains = sorted({g.domain.number for g in provider.grants.all()})
            state = "" if provider.active else "（停用）"
            self.stdout.write(f"{provider.code}  {provider.name}{state}  领域 {domains}")
