"""Credit subjects (信用主体): organisations, individual businesses and natural persons."""

from __future__ import annotations

from django.db import models

from xinyong.subjects.codes import mask_resident_id


class Subject(models.Model):
    """A credit subject, identified by its code: the USCC, or for a person the resident ID number, or
    for an individual business without a USCC its registration number (工商注册号)."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "法人及非法人组织"
        INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"
        PERSON = "person", "自然人"

    class CodeType(models.TextChoices):
        USCC = "uscc", "统一社会信用代码"
        RESIDENT_ID = "resident_id", "居民身份证号码"
        REGISTRATION_NO = "registration_no", "工商注册号"
        OTHER_ID = "other_id", "其他证件号码"

    code = models.CharField("主体代码", max_length=40, unique=True)
    code_type = models.CharField(max_length=20, choices=CodeType.choices)
    # False when the code is well-formed but fails its check (重错码): the subject exists so nothing is
    # dropped, and everything about it is held until the code is corrected.
    code_valid = models.BooleanField(default=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    name = models.CharField("名称", max_length=200)
    legal_representative = models.CharField("法定代表人", max_length=100, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = "信用主体 subject"
        indexes = [
            # Name lookups from the centre's queues and the admin search box.
            models.Index(fields=["name"], name="subjects_subject_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.public_code})"

    @property
    def is_person(self) -> bool:
        return self.kind == self.Kind.PERSON

    @property
    def public_code(self) -> str:
        """The code as anyone but the person and centre staff may see it."""
        return mask_resident_id(self.code) if self.is_person else self.code

    @property
    def public_name(self) -> str:
        """A person's name is shown with the given name hidden (张**); organisations in full."""
        return self.name[:1] + "*" * (len(self.name) - 1) if self.is_person else self.name


class SubjectName(models.Model):
    """Every name a subject has been reported under, with the decision dates it was seen on (名称变更)."""

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="names")
    subject_code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    first_seen_on = models.DateField()
    last_seen_on = models.DateField()

    class Meta:
        verbose_name = verbose_name_plural = "主体名称历史 name history"
        constraints = [
            models.UniqueConstraint(fields=["subject", "name"], name="subjects_subjectname_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.first_seen_on}–{self.last_seen_on}"


class SubjectSearch(models.Model):
    """One searchable name of a subject: its current name, or a former one (see ``subjects.search``).

    Derived data, rebuilt per subject by ``search.index_subjects`` whenever intake creates or renames a
    subject or sees a new name. Natural persons and subjects whose code failed its check have no rows:
    they are never found by name.

    The primary key is the *ranking key*, not a counter: ``former << 56 | length << 48 | tie-break``.
    Both databases walk their index in key order and stop after a page, so "current names before
    former ones, shorter names first" costs the same whether a query matches ten rows or a million.
    """

    rank_key = models.BigIntegerField(primary_key=True)
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="+")
    subject_code = models.CharField(max_length=40)
    is_current = models.BooleanField()
    name = models.CharField(max_length=200)  # as reported, shown when a former name matched
    normalised = models.CharField(max_length=200)  # the text that was indexed (search.normalise_text)
    # Its index terms, space-separated: the bigrams in order, then ＾ + the first bigram (search.index_terms).
    grams = models.TextField()

    class Meta:
        verbose_name = verbose_name_plural = "主体检索 search index"
        # The full-text index over ``grams`` is not a Django index: an FTS5 table on SQLite and a
        # (gram, rank_key) table on PostgreSQL, created by migration 0002.

    def __str__(self) -> str:
        return self.name
