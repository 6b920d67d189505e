"""How people appear in case histories the subject reads (User.case_name): never by login name."""

from __future__ import annotations

import pytest

from xinyong.accounts.models import Role, User
from xinyong.conftest import centre_staff

pytestmark = pytest.mark.django_db


def test_the_login_name_never_appears() -> None:
    subject = User.objects.create_user("lujiang-login", kind=User.Kind.SUBJECT)
    handler = centre_staff("handler-login", Role.OBJECTION_HANDLER)
    assert subject.case_name() == "信用主体"
    assert handler.case_name() == "信用中心"
    assert handler.case_name({Role.OBJECTION_HANDLER}) == "信用中心·异议处理员"
    handler.first_name = "王芳"
    assert handler.case_name({Role.OBJECTION_HANDLER}) == "王芳（信用中心·异议处理员）"
