"""The shared page components (docs/ui.md): error pages in the site's design, form errors at their
fields, rules by their document's title, no codes in what people read."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import Client, RequestFactory

from xinyong.accounts.models import User
from xinyong.core import rulebook

pytestmark = pytest.mark.django_db


def test_an_unknown_page_is_a_chinese_404_in_the_site_design(client: Client) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert 'id="error-page"' in html and "页面不存在" in html and "portal/site.css" in html
    assert "Not Found" not in html


def test_an_unknown_api_address_keeps_the_json_envelope(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.json()["code"] == "request.not_found"


def test_the_server_error_page_renders_without_a_request() -> None:
    html = Template('{% include "500.html" %}').render(Context({}))

    assert "系统暂时出现问题" in html and "500" in html


def test_the_forbidden_page_is_chinese(rf: RequestFactory) -> None:
    from django.views.defaults import permission_denied

    request = rf.get("/centre/audit/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionError())

    assert response.status_code == 403 and "无权访问" in response.content.decode()


def test_a_rule_reads_as_its_document_and_staff_can_open_its_id() -> None:
    template = Template('{% include "portal/components/rule.html" with ref="objection.deadlines@1" %}')
    public = template.render(Context({"user": AnonymousUser()}))
    staff = template.render(Context({"user": User(username="c", kind=User.Kind.CENTRE)}))

    assert "厦信用办〔2024〕1号" in public and "objection.deadlines" not in public
    assert "<details" in staff and "objection.deadlines@1" in staff


def test_citation_names_each_document_once_and_shows_an_unknown_ref() -> None:
    assert rulebook.citation("repair.minimum_period@2") == "国家发展改革委令第36号《信用修复管理办法》"
    assert rulebook.citation("repair.stops_sharing@2,repair.minimum_period@2") == (
        "国家发展改革委令第36号《信用修复管理办法》第三条、国家发展改革委令第36号《信用修复管理办法》"
    )
    assert rulebook.citation("collection.amount_range@1") == "本平台办理规则"
    assert rulebook.citation("no.such.rule@9") == "no.such.rule@9"


class _Form(forms.Form):
    name = forms.CharField(label="主体名称", help_text="与营业执照一致")
    code = forms.CharField(label="统一社会信用代码")

    def clean(self) -> dict[str, object]:
        raise forms.ValidationError("两项不匹配")


def test_every_error_shows_at_once_at_its_field_and_in_a_linked_summary() -> None:
    form = _Form(data={"name": "", "code": ""})
    html = Template(
        '{% load ui %}{% include "portal/components/form_errors.html" %}{% ui_field form.name %}{% ui_field form.code %}'
    ).render(Context({"form": form}))

    summary = html[: html.index('<div class="field')]
    assert summary.count("<li>") == 3 and "两项不匹配" in summary
    assert '<a href="#id_name">主体名称</a>' in summary and '<a href="#id_code">' in summary
    name_input = re.search(r"<input[^>]*id=\"id_name\"[^>]*>", html)
    assert name_input is not None
    assert 'aria-invalid="true"' in name_input.group(0)
    assert 'aria-describedby="id_name-error id_name-hint"' in name_input.group(0)
    assert 'id="id_name-error"' in html and 'id="id_name-hint"' in html


def test_messages_have_an_icon_and_the_right_role(client: Client) -> None:
    from django.contrib.messages.storage.base import Message

    html = Template('{% include "portal/components/messages.html" %}').render(
        Context({"messages": [Message(25, "已提交。"), Message(40, "未通过。")]})
    )

    assert '<li class="success" role="status"><svg' in html
    assert '<li class="error" role="alert"><svg' in html


def test_the_signed_in_menu_folds_into_a_details_element(client: Client) -> None:
    anonymous = client.get("/").content.decode()
    user = User.objects.create_user("qiye-menu", kind=User.Kind.SUBJECT)
    client.force_login(user)
    signed_in = client.get("/reports/").content.decode()

    assert '<details class="menu">' not in anonymous
    assert '<details class="menu"><summary>菜单</summary>' in signed_in


def test_the_result_banner_puts_the_verdict_with_icon_words_and_facts() -> None:
    html = Template(
        '{% include "portal/components/result_banner.html" with tone="ok" verdict="核验通过" text="信息一致" facts=facts %}'
    ).render(Context({"facts": [("主体名称", "厦门鹭江贸易有限公司")]}))

    assert 'class="banner tone-ok"' in html and 'role="status"' in html and "<svg" in html
    assert html.index("核验通过") < html.index("信息一致") < html.index("厦门鹭江贸易有限公司")
