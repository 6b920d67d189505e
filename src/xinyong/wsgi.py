from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from xinyong.settings import prepare_var_dir

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
prepare_var_dir()
application = get_wsgi_application()
