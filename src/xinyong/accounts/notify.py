"""Telling people about steps in their cases: an in-app message for each account and, once the
transaction commits, the same text by email through Django's mail backend (docs/architecture.md, principle 2)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import QuerySet

from xinyong.accounts.models import Notification, RoleAssignment, User
from xinyong.catalog.models import Provider
from xinyong.core import clock


def accounts_of_subject(subject_code: str) -> QuerySet[User]:
    """The verified accounts acting for a subject."""
    return User.objects.filter(subject_code=subject_code, verified_at__isnull=False, is_active=True)


def accounts_of_provider(provider: Provider) -> QuerySet[User]:
    return User.objects.filter(provider=provider, kind=User.Kind.PROVIDER, is_active=True)


def accounts_with_role(role: str) -> QuerySet[User]:
    holders = RoleAssignment.objects.filter(role=role).values("user_id")
    return User.objects.filter(pk__in=holders, kind=User.Kind.CENTRE, is_active=True)


def notify(
    recipients: Iterable[User], *, title: str, body: str = "", link: str = "", email: bool = True
) -> list[Notification]:
    """Leave ``title`` in each recipient's inbox; email those with an address after commit, unless the
    caller sends its own digest (``email=False``)."""
    users = list({u.pk: u for u in recipients}.values())
    now = clock.now()
    notes = Notification.objects.bulk_create(
        [Notification(user=u, title=title, body=body, link=link, created_at=now) for u in users]
    )
    messages = [
        (f"[信用平台] {title}", f"{body}\n\n{link}".strip(), settings.DEFAULT_FROM_EMAIL, [u.email])
        for u in users
        if u.email and email
    ]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return notes


def notify_many(messages: Iterable[tuple[Iterable[User], str, str, str]]) -> int:
    """``notify`` for many messages at once — (recipients, title, body, link) each — in one insert and
    one batch of email after commit; for jobs that tell many people many things."""
    now = clock.now()
    notes: list[Notification] = []
    mail = []
    for recipients, title, body, link in messages:
        for user in {u.pk: u for u in recipients}.values():
            notes.append(Notification(user=user, title=title, body=body, link=link, created_at=now))
            if user.email:
                mail.append(
                    (
                        f"[信用平台] {title}",
                        f"{body}\n\n{link}".strip(),
                        settings.DEFAULT_FROM_EMAIL,
                        [user.email],
                    )
                )
    Notification.objects.bulk_create(notes, batch_size=2000)
    if mail:
        transaction.on_commit(lambda: send_mass_mail(mail, fail_silently=True))
    return len(notes)


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
