"""Framework tables: the working-day calendar (工作日历)."""

from __future__ import annotations

from django.db import models


class CalendarYear(models.Model):
    """A year whose holiday notice has been entered. Working-day arithmetic refuses other years."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    source = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "工作日历年度 calendar year"

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the Monday–Friday default: a day off (放假) or a make-up working day (调休)."""

    class Kind(models.TextChoices):
        OFF = "off", "放假 day off"
        MAKEUP = "makeup", "调休上班 make-up working day"

    date = models.DateField(primary_key=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    year = models.ForeignKey(CalendarYear, on_delete=models.PROTECT, related_name="days")

    class Meta:
        verbose_name = verbose_name_plural = "节假日调整 calendar day"

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class RateWindow(models.Model):
    """Requests of one anonymous client in one scope and minute, for the public rate limit
    (``core.ratelimit``). Windows of past minutes decide nothing and are pruned as traffic goes."""

    client = models.CharField(max_length=64)  # an address, or an IPv6 /64 network
    scope = models.CharField(max_length=16)
    minute = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "访问频率计数 rate window"
        constraints = [
            models.UniqueConstraint(fields=["client", "scope", "minute"], name="core_ratewindow_unique")
        ]
        # Serves the prune of past minutes: ``RateWindow.objects.filter(minute__lt=…).delete()``.
        indexes = [models.Index(fields=["minute"], name="core_ratewindow_minute")]

    def __str__(self) -> str:
        return f"{self.client} {self.scope} {self.minute:%H:%M} {self.count}"


class StoredEvidence(models.Model):
    """An uploaded evidence file (证明材料) as ``cases.evidence`` stored it: name, type, size, content hash
    and the path under ``UPLOAD_DIR``. Objections and repairs each add the case the file belongs to."""

    subject_code = models.CharField(max_length=40)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=300, help_text="relative to settings.UPLOAD_DIR")
    uploaded_at = models.DateTimeField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class JobRun(models.Model):
    """One run of a registered periodic job (``core.jobs``): by the scheduler for one day's slot, or by
    hand (``xinyong jobs run``). The unique constraint on (job, slot) of scheduled runs is the claim: a
    second scheduler that reaches the same slot fails to insert and runs nothing."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "定时"
        MANUAL = "manual", "手动"

    class Outcome(models.TextChoices):
        RUNNING = "running", "运行中"
        OK = "ok", "成功"
        FAILED = "failed", "失败"

    job = models.CharField("任务", max_length=60)
    slot = models.DateField("所属日期", help_text="the day (Asia/Shanghai) whose run this is")
    trigger = models.CharField("触发方式", max_length=10, choices=Trigger.choices)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    counts = models.JSONField("处理数量", default=dict, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "定时任务运行 job run"
        constraints = [
            models.UniqueConstraint(
                fields=["job", "slot"],
                condition=models.Q(trigger="schedule"),
                name="core_jobrun_one_per_slot",
            )
        ]
        # Serves the health page (runs newest first, the latest per job) and the alarm's last success
        # per job: ``JobRun.objects.filter(job=…).order_by("-started_at")``.
        indexes = [models.Index(fields=["job", "-started_at"], name="core_jobrun_job_started")]

    def __str__(self) -> str:
        return f"{self.job} {self.slot} {self.outcome}"

    @property
    def error_summary(self) -> str:
        """The error's last line (for a traceback, the exception and its message)."""
        lines = self.error.strip().splitlines()
        return lines[-1] if lines else ""
