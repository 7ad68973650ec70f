"""What the API says about itself (OpenAPI title and description, shown at /docs), and its slug.

The values live in meta.json, so a description of any length or content stays
data and never needs reformatting or escaping as Python source.
"""

import json
from pathlib import Path

_META = json.loads(Path(__file__).with_name("meta.json").read_text(encoding="utf-8"))

TITLE: str = _META["title"]
DESCRIPTION: str = _META["description"]
VERSION: str = _META["version"]
SLUG: str = _META["slug"]  # project-service: the default cache prefix and job queue
