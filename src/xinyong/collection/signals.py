"""What intake tells the layers above it: ``rows_stored``, sent after each chunk's rows are stored.

Collection sits below the apps that react to new records (supervision raises a warning at the third
key-attention listing), so it publishes instead of calling them. Receivers run synchronously inside the
chunk's transaction: what they write commits or rolls back with the rows.

Arguments: ``kind`` (the ``RecordKind`` the rows are of), ``subject_codes`` (the set of codes of the
stored rows' subjects) and ``at`` (the batch's receipt time).
"""

from __future__ import annotations

from django.dispatch import Signal

rows_stored = Signal()
